// How much perp to trade, given the vault's net delta. Pure: sizes in BTC, signed
// (> 0 buy perp, < 0 sell perp).

export interface HedgeSizeInput {
  /** Net delta of options + perp, BTC. */
  netDeltaBtc: number;
  /** 'zero': trade delta to 0; 'bandEdge': trade to the nearest edge of the re-entry band. */
  target: 'zero' | 'bandEdge';
  /** Half-width of the band the 'bandEdge' target trades back to, BTC. */
  edgeBtc: number;
  maxOrderBtc: number;
  minOrderBtc: number;
  lotBtc: number;
}

/** Rounds a size to whole lots, half away from zero, explicitly (never by float truncation). */
export function roundToLots(sizeBtc: number, lotBtc: number): number {
  if (!(lotBtc > 0)) throw new Error(`lot size must be > 0 BTC, got ${lotBtc}`);
  const lots = Math.round(Math.abs(sizeBtc) / lotBtc);
  // Multiply back and trim float dust so 0.1 + 0.2 style noise never reaches a venue.
  const size = Number((lots * lotBtc).toPrecision(12));
  return sizeBtc < 0 ? -size : size;
}

/** Signed hedge size in BTC, clipped at maxOrderBtc and rounded to lots; 0 when below the venue minimum. */
export function hedgeSizeBtc(input: HedgeSizeInput): number {
  const { netDeltaBtc, target, edgeBtc } = input;
  let want = -netDeltaBtc;
  if (target === 'bandEdge') {
    const edge = Math.max(0, edgeBtc);
    if (Math.abs(netDeltaBtc) <= edge) return 0;
    want = -(netDeltaBtc - Math.sign(netDeltaBtc) * edge);
  }
  const clipped = Math.sign(want) * Math.min(Math.abs(want), input.maxOrderBtc);
  const rounded = roundToLots(clipped, input.lotBtc);
  if (Math.abs(rounded) < input.minOrderBtc || rounded === 0) return 0;
  return rounded;
}

/** Protective limit price: the worst price the hedge accepts, slippageBps away from spot. */
export function protectiveLimitUsd(side: 'buy' | 'sell', spotUsd: number, slippageBps: number): number {
  const factor = side === 'buy' ? 1 + slippageBps / 1e4 : 1 - slippageBps / 1e4;
  return Number((spotUsd * factor).toFixed(2));
}

/** Venue order limits a hedge is cut to. */
export interface ClipLimits {
  maxOrderBtc: number;
  minOrderBtc: number;
  lotBtc: number;
}

/**
 * The next clip of a hedge of `restBtc` still to trade (signed, BTC): the rest split evenly
 * into ceil(|rest| / maxOrderBtc) clips (no small last clip), rounded to lots and never above
 * maxOrderBtc; 0 when what is left rounds below the venue minimum. Trading each clip and
 * asking again trades the whole rest, one order at a time.
 */
export function nextClipBtc(restBtc: number, lim: ClipLimits): number {
  const rest = roundToLots(restBtc, lim.lotBtc);
  if (rest === 0 || Math.abs(rest) < lim.minOrderBtc) return 0;
  const clips = Math.ceil(Math.abs(rest) / lim.maxOrderBtc);
  if (clips <= 1) return rest;
  const largest = Math.sign(rest) * Number((Math.floor(lim.maxOrderBtc / lim.lotBtc + 1e-9) * lim.lotBtc).toPrecision(12));
  const even = roundToLots(rest / clips, lim.lotBtc);
  // An even share under the venue minimum (maxOrderBtc < 2 x minOrderBtc): full clips instead.
  return Math.abs(even) > Math.abs(largest) || Math.abs(even) < lim.minOrderBtc ? largest : even;
}
