// Routing of inputs to vaults. One price stream per underlying fans out to every vault on
// it; fills go to their vault by id. Lockstep (backtest) paths never drop anything; the
// live path may conflate prices to the latest per vault when the consumer falls behind.
// Fills are never conflated.
import { Observable, asapScheduler, filter, map, share } from 'rxjs';
import type { MonoTypeOperatorFunction, SchedulerLike, Subscription } from 'rxjs';
import type { FillInput, PriceTickInput } from './inputTypes.ts';

export interface Routed<T> {
  vaultId: string;
  value: T;
}

/** Every value of `source` once per vault, in vault order (lossless, synchronous). */
export function fanOut<T>(source: Observable<T>, vaultIds: readonly string[]): Observable<Routed<T>> {
  const ids = [...vaultIds];
  return new Observable<Routed<T>>((sub) =>
    source.subscribe({
      next: (value) => {
        for (const vaultId of ids) {
          if (sub.closed) return;
          sub.next({ vaultId, value });
        }
      },
      error: (e: unknown) => sub.error(e),
      complete: () => sub.complete(),
    }),
  );
}

/** Fans a price stream out to the vaults on its underlying: `vaultsByUnderlying.get(underlying)`. */
export function fanOutPrices(
  prices: Observable<PriceTickInput>, underlying: string, vaultsByUnderlying: ReadonlyMap<string, readonly string[]>,
): Observable<Routed<PriceTickInput>> {
  return fanOut(prices, vaultsByUnderlying.get(underlying) ?? []);
}

/**
 * Splits one fill stream by vault id: `forVault(id)` is that vault's fills; `unrouted` gets
 * fills for ids not in `vaultIds` (should not happen after validateFill; kept so none is lost).
 * The source is subscribed once (shared) while anyone listens.
 */
export function routeFills(fills: Observable<FillInput>, vaultIds: readonly string[]): {
  forVault: (vaultId: string) => Observable<FillInput>;
  unrouted: Observable<FillInput>;
} {
  const known = new Set(vaultIds);
  const shared = fills.pipe(share());
  return {
    forVault: (vaultId) => shared.pipe(filter((f) => f.vaultId === vaultId)),
    unrouted: shared.pipe(filter((f) => !known.has(f.vaultId))),
  };
}

/** Lossless routing of a fill stream into Routed<FillInput> (for a merged per-vault loop). */
export function routeFillsByVault(fills: Observable<FillInput>): Observable<Routed<FillInput>> {
  return fills.pipe(map((value) => ({ vaultId: value.vaultId, value })));
}

/**
 * Live-mode conflation: values arriving faster than the scheduler drains them are reduced
 * to the latest per key (e.g. per vault id). Each burst is flushed on the next scheduler
 * turn (asap by default), keys in order of their latest arrival. Use on prices only; never on fills.
 * `dropped` counts conflated-away values.
 */
export function conflateLatest<T>(
  keyOf: (v: T) => string, scheduler: SchedulerLike = asapScheduler, stats?: { dropped: number },
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((sub) => {
      let latest = new Map<string, T>();
      let flush: Subscription | null = null;
      let done = false;
      const drain = (): void => {
        flush = null;
        const batch = latest;
        latest = new Map();
        for (const v of batch.values()) sub.next(v);
        if (done) sub.complete();
      };
      const s = source.subscribe({
        next: (v) => {
          const k = keyOf(v);
          if (latest.has(k)) {
            if (stats) stats.dropped++;
            latest.delete(k); // re-insert so order follows the latest arrival
          }
          latest.set(k, v);
          flush ??= scheduler.schedule(drain);
        },
        error: (e: unknown) => sub.error(e),
        complete: () => {
          done = true;
          flush ??= scheduler.schedule(drain);
        },
      });
      return () => {
        flush?.unsubscribe();
        s.unsubscribe();
      };
    });
}
