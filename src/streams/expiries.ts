// Option expiries: which fall due in an event-time window, the settlement price (last valid
// price at or before the expiry), and a wall-clock rxjs stream for live mode.
// Times unix ms; prices USD.
import { Observable, asyncScheduler } from 'rxjs';
import type { SchedulerLike, Subscription } from 'rxjs';
import type { ExpirySettled } from '../../machines/vault.types.ts';
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

/**
 * Live mode: emits expiry.settled at each expiry's wall-clock (scheduler) time with the last
 * valid price at or before it. If no price is known yet (feed down since start), the event
 * waits for the first valid tick and settles at it (the engine's feed-stale state covers
 * that gap). Expiries already past at subscribe fire at once. Completes after the last one.
 */
export function expirySettlements(
  expiriesMs: readonly number[], prices: Observable<PriceTickInput>, scheduler: SchedulerLike = asyncScheduler,
): Observable<ExpirySettled> {
  return new Observable<ExpirySettled>((sub) => {
    const tracker = new SettlementPriceTracker();
    const pending = expiriesDue(expiriesMs, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    const waiting: number[] = [];
    const timers: Subscription[] = [];
    let left = pending.length;
    const settle = (e: number, price: number): void => {
      sub.next({ type: 'expiry.settled', at: e, expiryMs: e, settlementPriceUsd: price });
      if (--left === 0) sub.complete();
    };
    const fire = (e: number): void => {
      const p = tracker.priceAt(e);
      if (p === null) waiting.push(e);
      else settle(e, p);
    };
    const ps = prices.subscribe({
      next: (t) => {
        tracker.observe(t.at, t.priceUsd);
        while (waiting.length > 0) settle(waiting.shift() as number, t.priceUsd);
      },
      error: (err: unknown) => sub.error(err),
    });
    if (left === 0) sub.complete();
    for (const e of pending) timers.push(scheduler.schedule(() => fire(e), Math.max(0, e - scheduler.now())));
    return () => {
      ps.unsubscribe();
      for (const t of timers) t.unsubscribe();
    };
  });
}
