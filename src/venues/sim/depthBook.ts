// The depth model: a pure function that walks an IOC order through a synthetic book around
// the reference price. Level i (0-based) sits halfSpreadBps + i * levelSpacingBps away from
// the reference, rounded to the tick away from the taker, and holds depthBtcPerLevel. The
// book refills between orders, so an order's outcome depends on its own inputs only.
import type { OrderSide } from '../hedgeVenue.ts';
import type { DepthConfig } from './simVenueConfig.ts';

export interface LevelFill {
  /** Integer lots taken at this level. */
  lots: number;
  priceUsd: number;
}

export interface WalkBookArgs {
  refPriceUsd: number;
  side: OrderSide;
  /** Integer lots wanted. */
  lots: number;
  limitPriceUsd: number;
  lotSizeBtc: number;
  tickSizeUsd: number;
  depth: DepthConfig;
}

/** Rounds to a multiple of the tick; 1e-9 guards against 0.1*3 style float noise. */
export function levelPriceUsd(refPriceUsd: number, side: OrderSide, level: number, depth: DepthConfig, tickSizeUsd: number): number {
  const bps = depth.halfSpreadBps + level * depth.levelSpacingBps;
  const raw = side === 'buy' ? refPriceUsd * (1 + bps / 10_000) : refPriceUsd * (1 - bps / 10_000);
  const ticks = side === 'buy' ? Math.ceil(raw / tickSizeUsd - 1e-9) : Math.floor(raw / tickSizeUsd + 1e-9);
  return Math.round(ticks * tickSizeUsd * 1e8) / 1e8;
}

/** The fills an IOC order gets: levels in order until the size is done, the limit cuts, or the book ends. */
export function walkBook(a: WalkBookArgs): LevelFill[] {
  if (!Number.isInteger(a.lots) || a.lots < 0) throw new RangeError(`walkBook: lots must be a non-negative integer, got ${a.lots}`);
  const lotsPerLevel = Math.max(1, Math.round(a.depth.depthBtcPerLevel / a.lotSizeBtc));
  const fills: LevelFill[] = [];
  let remaining = a.lots;
  for (let level = 0; level < a.depth.levels && remaining > 0; level++) {
    const priceUsd = levelPriceUsd(a.refPriceUsd, a.side, level, a.depth, a.tickSizeUsd);
    const withinLimit = a.side === 'buy' ? priceUsd <= a.limitPriceUsd : priceUsd >= a.limitPriceUsd;
    if (!withinLimit || priceUsd <= 0) break;
    const lots = Math.min(remaining, lotsPerLevel);
    fills.push({ lots, priceUsd });
    remaining -= lots;
  }
  return fills;
}
