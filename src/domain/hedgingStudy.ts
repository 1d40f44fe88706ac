// Monte Carlo hedging-error study (issue 9; Hull, "Options, Futures and Other Derivatives",
// Table 19.4). GBM paths under the real-world drift; the option position is written or bought
// at its Black-Scholes price at t = 0 and delta-hedged with the underlying under one policy
// on a grid of step rebalanceYears; every cash flow is discounted to t = 0 at the rate.
//
// Cost of hedging (Hull's "cost of writing and hedging", for the whole position, PV at 0):
//   sum_i e^{-r t_i} [(h_i - h_{i-1}) S_i + lambda |h_i - h_{i-1}| S_i]
//   + e^{-r T} [-h_N S_T - Q payoff(S_T)]
// where h is the hedge in units of underlying (target -Q * delta) and Q the option position
// (Q < 0 written). For a written call its mean is close to |Q| * BS price; Hull's performance
// measure is ratio = sd(cost) / (|Q| * BS price). pnl = -Q * bsPrice - cost (premium net of
// the hedge) has the same sd. The hedge is settled against the option at T without a fee
// (physical settlement, as in Hull's exercise case).
//
// Policies (all start at the BS hedge at t = 0, and look at the market at every grid step):
//   time        rebalance to the BS hedge every `hedgeEverySteps` grid steps (default 1)
//   band        rebalance to the BS hedge when |h - target| > bandBtc
//   move        rebalance to the BS hedge when spot moved movePct since the last trade
//   ww          Whalley-Wilmott band around the BS hedge; trade back to the nearest edge
//   zakamouline Zakamouline band around the hedge at the modified vol; to the nearest edge
import { bsDelta, bsPriceDeltaGammaVega, newPriceDeltaGammaVega, type PriceDeltaGammaVega } from './blackScholes.ts';
import { whalleyWilmottHalfWidth, zakamoulineBand } from './hedgeBands.ts';
import type { OptionKind } from './instrument.ts';
import { createPrng } from './rng.ts';

export const HEDGE_POLICIES = ['time', 'ww', 'zakamouline', 'band', 'move'] as const;
export type HedgePolicy = (typeof HEDGE_POLICIES)[number];

export interface HedgingStudyInput {
  kind: OptionKind;
  spot: number;
  strike: number;
  years: number;
  /** Annualised vol of the paths and of the hedge model. */
  vol: number;
  rate: number;
  /** Real-world drift mu of the GBM paths, per year. */
  drift: number;
  /** Options held: > 0 long, < 0 written (Hull: -100000). */
  position: number;
  /** Monitoring grid step, years (the rebalance interval of the time policy). */
  rebalanceYears: number;
  paths: number;
  seed: number;
  policy: HedgePolicy;
  /** One-way proportional cost in bps of traded notional (default 0). */
  costBps?: number;
  /** ww / zakamouline: absolute risk aversion gamma_risk, 1/USD (required). */
  riskAversion?: number;
  /** band: no-trade half-width in units of underlying for the whole position (required). */
  bandBtc?: number;
  /** move: spot move since the last trade that triggers a rebalance, 0.01 = 1% (required). */
  movePct?: number;
  /** time: rebalance every k grid steps (default 1). */
  hedgeEverySteps?: number;
}

export interface HedgingStudyResult {
  /** Mean and sd of the PV cost of writing and hedging, whole position, USD. */
  meanCost: number;
  sdCost: number;
  /** Black-Scholes price of one option. */
  bsPrice: number;
  /** sdCost / (|Q| * bsPrice): Hull's performance measure. */
  ratio: number;
  /** Mean of premium - cost (hedged PnL of the position), USD. */
  meanPnl: number;
  /** Mean PV of proportional costs paid, USD. */
  meanFees: number;
  /** Mean number of hedge trades per path (the t = 0 trade included). */
  meanTrades: number;
  /** Mean traded notional per path, USD (undiscounted). */
  meanTradedNotional: number;
  paths: number;
  steps: number;
}

function need(ok: boolean, what: string): void {
  if (!ok) throw new RangeError(`hedgingStudy: ${what}`);
}

function validate(p: HedgingStudyInput): void {
  need(p.kind === 'call' || p.kind === 'put', 'kind must be call or put');
  need(p.spot > 0 && Number.isFinite(p.spot), 'spot must be > 0');
  need(p.strike > 0 && Number.isFinite(p.strike), 'strike must be > 0');
  need(p.years > 0 && Number.isFinite(p.years), 'years must be > 0');
  need(p.vol > 0 && Number.isFinite(p.vol), 'vol must be > 0');
  need(Number.isFinite(p.rate) && Number.isFinite(p.drift), 'rate and drift must be finite');
  need(p.position !== 0 && Number.isFinite(p.position), 'position must be non-zero');
  need(p.rebalanceYears > 0 && p.rebalanceYears <= p.years, 'rebalanceYears must be in (0, years]');
  need(p.years / p.rebalanceYears <= 1e6, 'too many steps (years / rebalanceYears > 1e6)');
  need(Number.isInteger(p.paths) && p.paths >= 2, 'paths must be an integer >= 2');
  need(Number.isFinite(p.seed), 'seed must be finite');
  need(HEDGE_POLICIES.includes(p.policy), `unknown policy ${String(p.policy)}`);
  const cost = p.costBps ?? 0;
  need(cost >= 0 && cost < 1e4, 'costBps must be in [0, 10000)');
  if (p.policy === 'ww' || p.policy === 'zakamouline') need((p.riskAversion ?? 0) > 0, `${p.policy} needs riskAversion > 0`);
  if (p.policy === 'band') need((p.bandBtc ?? -1) >= 0, 'band needs bandBtc >= 0');
  if (p.policy === 'move') need((p.movePct ?? 0) > 0, 'move needs movePct > 0');
  const k = p.hedgeEverySteps ?? 1;
  need(Number.isInteger(k) && k >= 1, 'hedgeEverySteps must be an integer >= 1');
}

const TIME = 0, MOVE = 1, BAND = 2, BANDED_EDGE = 3;
const POLICY_CODE: Record<HedgePolicy, number> = { time: TIME, move: MOVE, band: BAND, ww: BANDED_EDGE, zakamouline: BANDED_EDGE };

/** The policy's target hedge and half-width at time-to-expiry ti and spot s, into st. */
function makeEvaluator(
  p: HedgingStudyInput, lambda: number, out: PriceDeltaGammaVega, st: { target: number; halfWidth: number },
): (ti: number, s: number) => void {
  const { kind, strike, vol, rate, position: q } = p;
  const absQ = Math.abs(q);
  const riskAversion = p.riskAversion ?? 0;
  if (p.policy === 'ww') {
    return (ti, s) => {
      bsPriceDeltaGammaVega(kind, s, strike, ti, vol, rate, 0, out);
      st.target = -q * out.delta;
      st.halfWidth = whalleyWilmottHalfWidth({ spot: s, gamma: absQ * out.gamma, tau: ti, rate, lambda, riskAversion });
    };
  }
  if (p.policy === 'zakamouline') {
    return (ti, s) => {
      bsPriceDeltaGammaVega(kind, s, strike, ti, vol, rate, 0, out);
      const band = zakamoulineBand({ spot: s, gamma: absQ * out.gamma, tau: ti, vol, rate, lambda, riskAversion }, q < 0);
      st.target = -q * bsDelta(kind, s, strike, ti, band.modifiedVolPerYear, rate, 0);
      st.halfWidth = band.halfWidth;
    };
  }
  const bandBtc = p.policy === 'band' ? (p.bandBtc ?? 0) : 0;
  return (ti, s) => {
    st.target = -q * bsDelta(kind, s, strike, ti, vol, rate, 0);
    st.halfWidth = bandBtc;
  };
}

/** Runs the study. Deterministic in (input, seed). */
export function hedgingStudy(p: HedgingStudyInput): HedgingStudyResult {
  validate(p);
  const { kind, strike, years: T, vol, rate, position: q } = p;
  const lambda = (p.costBps ?? 0) / 1e4;
  const absQ = Math.abs(q);
  const steps = Math.max(1, Math.ceil(T / p.rebalanceYears - 1e-9));
  // Grid: t_i = i * dt for i < steps, t_steps = T (a shorter last step if dt does not divide T).
  const tau = new Float64Array(steps);
  const disc = new Float64Array(steps + 1);
  const driftStep = new Float64Array(steps + 1);
  const volStep = new Float64Array(steps + 1);
  for (let i = 0; i <= steps; i++) {
    const t = i === steps ? T : i * p.rebalanceYears;
    const prev = i === 0 ? 0 : (i - 1) * p.rebalanceYears;
    if (i < steps) tau[i] = T - t;
    disc[i] = Math.exp(-rate * t);
    const dt = t - prev;
    driftStep[i] = (p.drift - 0.5 * vol * vol) * dt;
    volStep[i] = vol * Math.sqrt(dt);
  }
  const out = newPriceDeltaGammaVega();
  const bsPrice = bsPriceDeltaGammaVega(kind, p.spot, strike, T, vol, rate, 0, out).price;
  const every = p.hedgeEverySteps ?? 1;
  const rng = createPrng(p.seed);
  const w = kind === 'call' ? 1 : -1;

  // Target hedge (units of underlying) and no-trade half-width, written by evaluate().
  const st = { target: 0, halfWidth: 0 };
  const evaluate = makeEvaluator(p, lambda, out, st);
  const policy = POLICY_CODE[p.policy];
  const movePct = p.movePct ?? 0;

  // Sums are taken about the premium (about where the mean lies) to avoid cancellation.
  const shift = -q * bsPrice;
  let sum = 0, sumSq = 0, sumFees = 0, sumTrades = 0, sumNotional = 0;
  for (let path = 0; path < p.paths; path++) {
    let s = p.spot;
    evaluate(tau[0]!, s);
    let h = st.target;
    let lastTradeSpot = s;
    let fees = lambda * Math.abs(h) * s;
    let cost = h * s + fees;
    let trades = h !== 0 ? 1 : 0;
    let notional = Math.abs(h) * s;
    for (let i = 1; i < steps; i++) {
      s *= Math.exp(driftStep[i]! + volStep[i]! * rng.normal());
      let next = h;
      if (policy === TIME) {
        if (i % every === 0) { evaluate(tau[i]!, s); next = st.target; }
      } else if (policy === MOVE) {
        if (Math.abs(s / lastTradeSpot - 1) >= movePct) { evaluate(tau[i]!, s); next = st.target; }
      } else if (policy === BAND) {
        evaluate(tau[i]!, s);
        if (Math.abs(h - st.target) > st.halfWidth) next = st.target;
      } else { // ww, zakamouline: back to the nearest edge
        evaluate(tau[i]!, s);
        if (h > st.target + st.halfWidth) next = st.target + st.halfWidth;
        else if (h < st.target - st.halfWidth) next = st.target - st.halfWidth;
      }
      const traded = next - h;
      if (traded !== 0) {
        const fee = lambda * Math.abs(traded) * s;
        cost += disc[i]! * (traded * s + fee);
        fees += disc[i]! * fee;
        trades += 1;
        notional += Math.abs(traded) * s;
        h = next;
        lastTradeSpot = s;
      }
    }
    s *= Math.exp(driftStep[steps]! + volStep[steps]! * rng.normal());
    const payoff = Math.max(w * (s - strike), 0);
    cost += disc[steps]! * (-h * s - q * payoff);
    sum += cost - shift;
    sumSq += (cost - shift) * (cost - shift);
    sumFees += fees;
    sumTrades += trades;
    sumNotional += notional;
  }
  const n = p.paths;
  const meanShifted = sum / n;
  const meanCost = shift + meanShifted;
  const sdCost = Math.sqrt(Math.max(0, (sumSq - n * meanShifted * meanShifted) / (n - 1)));
  return {
    meanCost,
    sdCost,
    bsPrice,
    ratio: sdCost / (absQ * bsPrice),
    meanPnl: -q * bsPrice - meanCost,
    meanFees: sumFees / n,
    meanTrades: sumTrades / n,
    meanTradedNotional: sumNotional / n,
    paths: n,
    steps,
  };
}
