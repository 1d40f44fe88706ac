// Option expiries: which fall due in an event-time window, and the settlement price (last valid
// price at or before the expiry). The replay and live drivers send the expiry.settled events.
// Times unix ms; prices USD.
import type { PriceTickInput } from './inputTypes.ts';

/** Distinct expiries e with afterAt < e <= uptoAt, ascending. */
export function expiriesDue(expiriesMs: readonly number[], afterAt: number, uptoAt: number): number[] {
  const due = new Set<number>();
  for (const e of expiriesMs) if (e > afterAt && e <= uptoAt) due.add(e);
  return [...due].sort((a, b) => a - b);
}

/** Last price at or before atMs in ticks sorted by time (binary search); null if none. */
export function settlementPrice(ticks: readonly Pick<PriceTickInput, 'at' | 'priceUsd'>[], atMs: number): number | null {
  let lo = 0;
  let hi = ticks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ticks[mid] as PriceTickInput).at <= atMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? null : (ticks[found] as PriceTickInput).priceUsd;
}

/**
 * Keeps recent valid prices so an expiry that falls between two ticks settles at the one
 * at or before it even after a later tick was seen. Holds at most `keep` points.
 */
export class SettlementPriceTracker {
  private readonly points: { at: number; priceUsd: number }[] = [];
  constructor(private readonly keep = 1024) {}

  observe(at: number, priceUsd: number): void {
    const last = this.points[this.points.length - 1];
    if (last && at < last.at) throw new Error(`SettlementPriceTracker: ${at} before ${last.at}`);
    this.points.push({ at, priceUsd });
    if (this.points.length > this.keep) this.points.splice(0, this.points.length - this.keep);
  }

  priceAt(atMs: number): number | null {
    return settlementPrice(this.points, atMs);
  }
}
