// Live price conflation. A feed may tick far faster than hedging needs (and every tick is a
// journal row per vault), so live ticks are thinned to at most one per minIntervalMs: the
// first tick of a quiet spell goes out at once, ticks inside the interval are held, and when
// it ends the latest held one goes out (never an older price, never none). Rejections pass
// straight through: each is stored with its reason. Replays are never conflated.
import { Observable, asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { PriceTickInput, Validated } from './inputTypes.ts';

export function conflateTicks(minIntervalMs: number, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<Validated<PriceTickInput>> {
  if (!(minIntervalMs >= 0 && Number.isFinite(minIntervalMs))) throw new RangeError(`conflation interval must be a finite number of ms >= 0, got ${minIntervalMs}`);
  return (source) => {
    if (minIntervalMs === 0) return source;
    return new Observable<Validated<PriceTickInput>>((sub) => {
      let held: Validated<PriceTickInput> | null = null;
      let window: Subscription | null = null;
      const open = (): void => {
        window = scheduler.schedule(() => {
          window = null;
          if (held === null) return;
          const next = held;
          held = null;
          sub.next(next);
          open();
        }, minIntervalMs);
      };
      const upstream = source.subscribe({
        next: (v) => {
          if (!v.ok) sub.next(v);
          else if (window === null) {
            sub.next(v);
            open();
          } else held = v;
        },
        error: (err: unknown) => sub.error(err),
        complete: () => {
          if (held !== null) sub.next(held);
          held = null;
          sub.complete();
        },
      });
      return () => {
        upstream.unsubscribe();
        window?.unsubscribe();
      };
    });
  };
}
