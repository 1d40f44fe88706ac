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
