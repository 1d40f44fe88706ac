// Implied volatility from an option price, in the spirit of Jaeckel's "Let's Be Rational"
// (Wilmott 2015): normalise to the undiscounted forward-based Black price
//   beta = price / (df * sqrt(F K)),  x = ln(F/K),  s = vol * sqrt(T),
// turn an in-the-money option into the out-of-the-money one by parity (subtract the
// intrinsic), reflect to a call with x <= 0, then
//   - below the inflection point s_c = sqrt(2|x|) (small prices) solve 1/ln b(s) = 1/ln beta,
//     starting from the inverse of Jaeckel's lower asymptote b ~ 2 pi |x| /(3 sqrt 3) Phi(-|x|/(sqrt3 s))^3,
//     with b evaluated through erfcx so tiny prices keep full relative precision;
//   - above it solve ln(bmax - b(s)) = ln(bmax - beta), starting from bmax - b ~ 2 cosh(x/2) Phi(-s/2),
// each with third-order Householder steps, safeguarded by a bracket (b is increasing in s).
// Converges in 2-4 steps to ~1e-15 relative in s. Prices outside the no-arbitrage bounds throw.
import type { OptionKind } from './instrument.ts';
import { erfcxNonNeg, normalCdf, normalInvApprox, INV_SQRT_2PI } from './normalCdf.ts';

const SQRT3 = Math.sqrt(3);
const INV_SQRT2 = Math.SQRT1_2;
const MAX_STEPS = 40;
/** Once a third-order step is this small relative to s, the next would be ~1e-27: stop. */
const STEP_DONE = 1e-8;

/** Normalised OTM call price b(x, s) for x <= 0; the erfcx form below the inflection point. */
function normalisedOtmCall(x: number, s: number): number {
  const h = x / s;
  const t = 0.5 * s;
  if (t < -h) {
    const diff = erfcxNonNeg((-h - t) * INV_SQRT2) - erfcxNonNeg((t - h) * INV_SQRT2);
    return 0.5 * Math.exp(-0.5 * (h * h + t * t)) * diff;
  }
  return Math.exp(0.5 * x) * normalCdf(h + t) - Math.exp(-0.5 * x) * normalCdf(h - t);
}

/** Householder step from g and its ratios g''/g', g'''/g'. */
function householder(g: number, g1: number, r2: number, r3: number): number {
  const nu = -g / g1;
  return (nu * (1 + 0.5 * r2 * nu)) / (1 + nu * (r2 + (r3 * nu) / 6));
}

/**
 * Total implied standard deviation s = vol*sqrt(T) of a normalised OTM call price beta with
 * x <= 0, 0 < beta < exp(x/2). Exported for tests and benchmarks.
 */
export function normalisedImpliedStdDev(beta: number, x: number): number {
  const bMax = Math.exp(0.5 * x);
  const sC = Math.sqrt(-2 * x);
  const bC = x < 0 ? normalisedOtmCall(x, sC) : 0;
  const lower = beta < bC;
  let lo = lower ? 0 : sC;
  let hi = lower ? sC : Infinity;
  let s: number;
  if (lower) {
    const p = Math.cbrt((3 * SQRT3 * beta) / (2 * Math.PI * -x));
    const z = normalInvApprox(p);
    s = z < 0 ? x / (SQRT3 * z) : 0.5 * sC;
  } else {
    s = -2 * normalInvApprox((bMax - beta) / (bMax + Math.exp(-0.5 * x)));
  }
  if (!(s > lo && s < hi)) s = Number.isFinite(hi) ? 0.5 * (lo + hi) : Math.max(2 * lo, 1);
  const x2 = x * x;
  const logBeta = Math.log(beta);
  const logMTarget = Math.log(bMax - beta);
  for (let i = 0; i < MAX_STEPS; i++) {
    const h = x / s;
    const t = 0.5 * s;
    const r2 = x2 / (s * s * s) - 0.25 * s; // b''/b'
    const r3 = r2 * r2 - (3 * x2) / (s * s * s * s) - 0.25; // b'''/b'
    let ds: number;
    if (lower) {
      // b = e^{-(h^2+t^2)/2} diff/2 and b' = e^{-(h^2+t^2)/2}/sqrt(2 pi): use logs, no underflow.
      const diff = erfcxNonNeg((-h - t) * INV_SQRT2) - erfcxNonNeg((t - h) * INV_SQRT2);
      const L = Math.log(0.5 * diff) - 0.5 * (h * h + t * t);
      if (L < logBeta) lo = s; else hi = s;
      const L1 = (2 * INV_SQRT_2PI) / diff;
      const L2 = r2 * L1 - L1 * L1;
      const L3 = r3 * L1 - 3 * r2 * L1 * L1 + 2 * L1 * L1 * L1;
      const g = 1 / L - 1 / logBeta;
      const g1 = -L1 / (L * L);
      const g2 = -L2 / (L * L) + (2 * L1 * L1) / (L * L * L);
      const g3 = -L3 / (L * L) + (6 * L1 * L2) / (L * L * L) - (6 * L1 * L1 * L1) / (L * L * L * L);
      ds = householder(g, g1, g2 / g1, g3 / g1);
    } else {
      const M = Math.exp(0.5 * x) * normalCdf(-h - t) + Math.exp(-0.5 * x) * normalCdf(h - t); // bMax - b
      if (M > bMax - beta) lo = s; else hi = s;
      const b1 = INV_SQRT_2PI * Math.exp(-0.5 * (h * h + t * t));
      const q = b1 / M;
      const g = Math.log(M) - logMTarget;
      const g1 = -q;
      const g2 = -r2 * q - q * q;
      const g3 = -r3 * q - 3 * r2 * q * q - 2 * q * q * q;
      ds = householder(g, g1, g2 / g1, g3 / g1);
    }
    if (Math.abs(ds) <= STEP_DONE * s) {
      s += ds;
      break;
    }
    let next = s + ds;
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? 0.5 * (lo + hi) : 2 * s;
    s = next;
    if (hi - lo <= 4e-16 * s) break;
  }
  return s;
}

/**
 * Implied total std-dev from an undiscounted price `undisc` of a call/put on forward F.
 * Throws when the price breaks a no-arbitrage bound.
 */
function impliedStdDev(kind: OptionKind, undisc: number, forward: number, strike: number, df: number): number {
  const w = kind === 'call' ? 1 : -1;
  const intrinsic = Math.max(w * (forward - strike), 0);
  const upper = kind === 'call' ? forward : strike;
  // A model price of a deep-ITM option can round a few ulps below intrinsic: that is "at
  // intrinsic" (zero vol), not an arbitrage. Anything further below is refused.
  const roundingTol = 8 * Number.EPSILON * Math.max(forward, strike);
  if (undisc < intrinsic - roundingTol) {
    throw new Error(`price ${undisc * df} is below the lower no-arbitrage bound ${intrinsic * df} (discounted intrinsic value of the forward)`);
  }
  if (undisc >= upper) {
    const what = kind === 'call' ? 'discounted forward, S*exp(-qT)' : 'discounted strike, K*exp(-rT)';
    throw new Error(`price ${undisc * df} is at or above the upper no-arbitrage bound ${upper * df} (${what})`);
  }
  const x = Math.log(forward / strike);
  const norm = Math.sqrt(forward * strike);
  // ITM -> OTM by parity: subtract the normalised intrinsic 2 sinh(|x|/2).
  const itm = w * x > 0;
  const beta = undisc / norm - (itm ? 2 * Math.sinh(0.5 * Math.abs(x)) : 0);
  if (!(beta > 0) || undisc <= intrinsic) return 0; // at the intrinsic value: zero vol
  const xr = -Math.abs(x);
  if (beta >= Math.exp(0.5 * xr)) return Infinity; // only reachable through rounding at the upper bound
  return normalisedImpliedStdDev(beta, xr);
}

function checkCommon(kind: OptionKind, price: number, strike: number, years: number, rate: number): void {
  if (kind !== 'call' && kind !== 'put') throw new Error(`option kind must be 'call' or 'put', got '${String(kind)}'`);
  if (!(price >= 0 && Number.isFinite(price))) throw new Error(`price must be >= 0 and finite, got ${price}`);
  if (!(strike > 0 && Number.isFinite(strike))) throw new Error(`strike must be a positive finite number, got ${strike}`);
  if (!(years > 0 && Number.isFinite(years))) throw new Error(`years to expiry must be > 0 and finite, got ${years}`);
  if (!Number.isFinite(rate)) throw new Error(`rate must be finite, got ${rate}`);
}

function toVol(s: number, years: number): number {
  if (!Number.isFinite(s)) throw new Error('price is indistinguishable from the upper no-arbitrage bound');
  return s / Math.sqrt(years);
}

/** BSM implied vol (annualised) of a call/put price with rate r and carry/dividend q. */
export function impliedVol(kind: OptionKind, price: number, spot: number, strike: number, years: number, rate = 0, carry = 0): number {
  checkCommon(kind, price, strike, years, rate);
  if (!(spot > 0 && Number.isFinite(spot))) throw new Error(`spot must be a positive finite number, got ${spot}`);
  if (!Number.isFinite(carry)) throw new Error(`carry must be finite, got ${carry}`);
  const df = Math.exp(-rate * years);
  const forward = spot * Math.exp((rate - carry) * years);
  return toVol(impliedStdDev(kind, price / df, forward, strike, df), years);
}
