// Quote pricing and sizing (issue 4): the two-sided quote a vault shows for each option series,
// from its net delta. Pure.
//
// Which side of a series adds delta to the vault:
//   call bid (vault buys a call)  +delta      call ask (vault sells a call)  -delta
//   put bid  (vault buys a put)   -delta      put ask  (vault sells a put)   +delta
// Let x = min(1, |netDelta| / hedgeBtc), the fraction of the way to the hedge band.
// - Sizes: the delta-increasing side of every series shows baseSize * (1 - x) (full when flat,
//   0 at and beyond the hedge band); the delta-reducing side always shows baseSize.
// - Prices: half = max(minHalfSpreadUsd, fair * halfSpreadBps / 1e4). Flat (delta exactly 0),
//   or leanMode 'off': bid = fair - half, ask = fair + half. Otherwise the reducing side leans
//   through mid: it sits at fair -/+ lean, better than fair for the taker (a taker buying a
//   call from an overexposed vault pays less than fair), so option flow supplies the hedge
//   before the perp venue has to. The lean, USD per contract:
//     fixed        maxLeanBps * x * fair / 1e4
//     costBounded  min(fixed, |option delta| * spot * (perpTakerFeeBps + perpSlippageBps) / 1e4)
//   costBounded (the default) never pays a taker more for a contract's delta than hedging that
//   delta on the perp would cost (issue 17): taking delta from option flow is never dearer
//   than the perp.
//   The increasing side stays at fair -/+ half unless that would come within minHalfSpreadUsd
//   of the leaning side; then it is pushed along, keeping the market uncrossed with a gap of at
//   least minHalfSpreadUsd (bid < ask always).
// - Prices are never negative: a bid that would fall to 0 or below is shown at 0 with size 0;
//   a reducing ask that would be 0 (fair 0) is shown at minHalfSpreadUsd.
// - halted (kill switch, stale feed) and expired series (expiry <= now): all sizes 0.
// Units: prices USD per contract of 1 BTC, sizes contracts (fractional allowed), times unix ms.
import { bsPriceDeltaGammaVega, newPriceDeltaGammaVega } from './blackScholes.ts';
import type { OptionKind } from './instrument.ts';
import { perpCostUsd } from './optionFlow.ts';
import type { Quote } from './quote.ts';

const MS_PER_YEAR = 365 * 86_400_000;

/** How the delta-reducing side leans through fair value (see the header). */
export type LeanMode = 'off' | 'fixed' | 'costBounded';
export const LEAN_MODES: readonly LeanMode[] = ['off', 'fixed', 'costBounded'];

/** Defaults of the lean fields, for a config (or a persisted vault) that does not name them. */
export const LEAN_DEFAULTS = { leanMode: 'costBounded', perpTakerFeeBps: 5, perpSlippageBps: 1 } as const;

/**
 * The quoting part of a vault's config (VaultConfig['quote'] in machines/ has the first four
 * fields; the lean fields pass through from the config and default to LEAN_DEFAULTS).
 */
export interface QuoteConfig {
  halfSpreadBps: number;
  minHalfSpreadUsd: number;
  maxLeanBps: number;
  baseSizeContracts: number;
  leanMode?: LeanMode;
  /** The perp's taker fee, bps of notional: what hedging a BTC of delta there costs in fees. */
  perpTakerFeeBps?: number;
  /** Expected slippage of a perp hedge against spot, bps. */
  perpSlippageBps?: number;
}

/** One option series' side of quotePrices: its fair value and per-contract delta at spot. */
export interface SeriesFair {
  kind: OptionKind;
  fairUsd: number;
  /** d(fair)/d(spot), BTC per contract (call 0..1, put -1..0). */
  deltaBtc: number;
  spotUsd: number;
}

export interface QuoteSeries {
  instrument: string;
  kind: OptionKind;
  strikeUsd: number;
  expiryMs: number;
  volPerYear: number;
}

export interface QuoteBookInput {
  series: readonly QuoteSeries[];
  spotUsd: number;
  nowMs: number;
  ratePerYear: number;
  /** The vault's net delta (options + perp), BTC. */
  netDeltaBtc: number;
  /** Only hedgeBtc (>= 0) is used: the skew is continuous from delta 0 to the hedge band. */
  bands: { hedgeBtc: number };
  quote: QuoteConfig;
  /** True when quotes must be pulled (halted state, stale feed). */
  halted: boolean;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`quoteBook: ${what}`);
}

function validate(input: QuoteBookInput): void {
  const q = input.quote;
  check(input.spotUsd > 0 && Number.isFinite(input.spotUsd), `spotUsd must be > 0, got ${input.spotUsd}`);
  check(Number.isFinite(input.nowMs), 'nowMs must be finite');
  check(Number.isFinite(input.ratePerYear), 'ratePerYear must be finite');
  check(Number.isFinite(input.netDeltaBtc), `netDeltaBtc must be finite, got ${input.netDeltaBtc}`);
  // hedgeBtc 0 is a legal "hedge any delta" band: then any non-zero delta counts as at the band.
  check(input.bands.hedgeBtc >= 0 && Number.isFinite(input.bands.hedgeBtc), `hedgeBtc must be >= 0, got ${input.bands.hedgeBtc}`);
  check(q.halfSpreadBps >= 0 && Number.isFinite(q.halfSpreadBps), 'halfSpreadBps must be >= 0');
  // A positive floor keeps the two sides strictly apart.
  check(q.minHalfSpreadUsd > 0 && Number.isFinite(q.minHalfSpreadUsd), 'minHalfSpreadUsd must be > 0');
  // Below 100% a leaning ask stays above 0.
  check(q.maxLeanBps >= 0 && q.maxLeanBps < 1e4, 'maxLeanBps must be in [0, 10000)');
  check(q.baseSizeContracts >= 0 && Number.isFinite(q.baseSizeContracts), 'baseSizeContracts must be >= 0');
  check(q.leanMode === undefined || LEAN_MODES.includes(q.leanMode), `leanMode must be one of ${LEAN_MODES.join(', ')}, got ${String(q.leanMode)}`);
  for (const k of ['perpTakerFeeBps', 'perpSlippageBps'] as const) {
    const v = q[k];
    check(v === undefined || (v >= 0 && Number.isFinite(v)), `${k} must be >= 0, got ${String(v)}`);
  }
}

/** The perp's expected one-way cost (taker fee + slippage), bps of notional, per the quote config. */
export function perpCostBps(q: QuoteConfig): number {
  return (q.perpTakerFeeBps ?? LEAN_DEFAULTS.perpTakerFeeBps) + (q.perpSlippageBps ?? LEAN_DEFAULTS.perpSlippageBps);
}

/** What hedging `deltaBtc` of delta on the perp costs, USD: |delta| * spot * (fee + slippage). */
export function perpHedgeCostUsd(q: QuoteConfig, deltaBtc: number, spotUsd: number): number {
  return perpCostUsd(deltaBtc * spotUsd, perpCostBps(q));
}

/** How far past fair the reducing side of a series goes, USD per contract, at band fraction x. */
export function leanUsd(q: QuoteConfig, s: SeriesFair, x: number): number {
  const mode = q.leanMode ?? LEAN_DEFAULTS.leanMode;
  if (mode === 'off') return 0;
  const fixed = (q.maxLeanBps * x * s.fairUsd) / 1e4;
  return mode === 'fixed' ? fixed : Math.min(fixed, perpHedgeCostUsd(q, s.deltaBtc, s.spotUsd));
}

/** Bid and ask prices of one series given its fair value and delta and the vault's delta. */
export function quotePrices(
  s: SeriesFair, netDeltaBtc: number, hedgeBtc: number, q: QuoteConfig,
): { bidPriceUsd: number; askPriceUsd: number } {
  const { kind, fairUsd } = s;
  const half = Math.max(q.minHalfSpreadUsd, (fairUsd * q.halfSpreadBps) / 1e4);
  const gap = q.minHalfSpreadUsd;
  if (netDeltaBtc === 0 || (q.leanMode ?? LEAN_DEFAULTS.leanMode) === 'off') {
    return { bidPriceUsd: Math.max(0, fairUsd - half), askPriceUsd: fairUsd + half };
  }
  const lean = leanUsd(q, s, bandFraction(netDeltaBtc, hedgeBtc));
  // The vault sells to reduce delta when (over, call) or (under, put); it buys otherwise.
  const reduceBySelling = (netDeltaBtc > 0) === (kind === 'call');
  if (reduceBySelling) {
    let ask = fairUsd - lean;
    if (!(ask > 0)) ask = gap;
    const bid = Math.max(0, Math.min(fairUsd - half, ask - gap));
    return { bidPriceUsd: bid, askPriceUsd: ask };
  }
  const bid = fairUsd + lean;
  const ask = Math.max(fairUsd + half, bid + gap);
  return { bidPriceUsd: bid, askPriceUsd: ask };
}

/** min(1, |delta| / hedgeBtc): 0 when flat, 1 at and beyond the hedge band (hedgeBtc 0: 1 off zero). */
export function bandFraction(netDeltaBtc: number, hedgeBtc: number): number {
  if (netDeltaBtc === 0) return 0;
  return hedgeBtc > 0 ? Math.min(1, Math.abs(netDeltaBtc) / hedgeBtc) : 1;
}

/** Size multiplier of the delta-increasing side: 1 when flat, 0 at and beyond the hedge band. */
export function increasingSideFactor(netDeltaBtc: number, hedgeBtc: number): number {
  return 1 - bandFraction(netDeltaBtc, hedgeBtc);
}

/** Quotes for every series of the book, in input order. */
export function quoteBook(input: QuoteBookInput): Quote[] {
  validate(input);
  const { spotUsd, nowMs, ratePerYear, netDeltaBtc, quote: q } = input;
  const hedgeBtc = input.bands.hedgeBtc;
  const shrink = increasingSideFactor(netDeltaBtc, hedgeBtc);
  const out = newPriceDeltaGammaVega();
  return input.series.map((s) => {
    check(s.strikeUsd > 0 && s.volPerYear >= 0 && Number.isFinite(s.volPerYear), `bad series ${s.instrument}`);
    const years = Math.max(0, (s.expiryMs - nowMs) / MS_PER_YEAR);
    const g = bsPriceDeltaGammaVega(s.kind, spotUsd, s.strikeUsd, years, s.volPerYear, ratePerYear, 0, out);
    const fairUsd = g.price;
    const { bidPriceUsd, askPriceUsd } = quotePrices({ kind: s.kind, fairUsd, deltaBtc: g.delta, spotUsd }, netDeltaBtc, hedgeBtc, q);
    const live = !input.halted && s.expiryMs > nowMs;
    // Which side adds delta: call bid / put ask when delta > 0 would grow it further.
    const bidAdds = s.kind === 'call';
    const overOrFlat = netDeltaBtc >= 0;
    const bidFactor = bidAdds === overOrFlat ? shrink : 1;
    const askFactor = bidAdds === overOrFlat ? 1 : shrink;
    return {
      instrument: s.instrument,
      bidPriceUsd,
      bidSizeContracts: live && bidPriceUsd > 0 ? q.baseSizeContracts * bidFactor : 0,
      askPriceUsd,
      askSizeContracts: live ? q.baseSizeContracts * askFactor : 0,
      fairUsd,
    };
  });
}
