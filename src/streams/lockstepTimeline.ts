// Lockstep (backtest) timeline: one pass over validated price records yielding, in event-time
// order, the ticks, the rejections, the staleness signals and the expiry settlements, so the
// engine can await each step and drop nothing. Deterministic: a pure function of its input.
// Order at one instant t: expiries and a stale signal due before t, then feed.recovered
// (so the vault is live again when the tick lands), the tick, then expiries exactly at t
// (settled at that tick: "last valid price at or before the expiry").
import type { ExpirySettled } from '../../machines/vault.types.ts';
import { expiriesDue } from './expiries.ts';
import type { PriceTickInput, RejectedInput, Validated } from './inputTypes.ts';
import { StalenessTracker } from './staleness.ts';
import type { StalenessSignal } from './staleness.ts';

export type TimelineItem =
  | { kind: 'tick'; tick: PriceTickInput }
  | { kind: 'rejected'; rejected: RejectedInput }
  | { kind: 'signal'; signal: StalenessSignal }
  | { kind: 'expiry'; event: ExpirySettled };

export interface TimelineOptions {
  /** Feed staleness limit, ms of event time. */
  maxAgeMs: number;
  /** Expiry times (unix ms) of the books fed by this stream. */
  expiriesMs?: readonly number[];
  /** Flush stale signals and expiries due up to this time after the last record. */
  untilAt?: number;
}

export function* lockstepTimeline(records: Iterable<Validated<PriceTickInput>>, o: TimelineOptions): Generator<TimelineItem> {
  const stale = new StalenessTracker(o.maxAgeMs);
  const expiries = o.expiriesMs ?? [];
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastPrice: number | null = null;
  // Expiries with no price yet (feed not started): settled at the first valid tick.
  const waiting: number[] = [];

  // Items strictly before t (stale signal and expiries), in time order.
  function* before(t: number, inclusive: boolean): Generator<TimelineItem> {
    const due = expiriesDue(expiries, lastAt, t).filter((e) => inclusive || e < t);
    const staleAt = stale.staleAt;
    let staleDone = staleAt === null || (inclusive ? staleAt > t : staleAt >= t);
    for (const e of due) {
      if (!staleDone && (staleAt as number) <= e) {
        for (const s of stale.advanceTo(staleAt as number)) yield { kind: 'signal', signal: s };
        staleDone = true;
      }
      if (lastPrice === null) waiting.push(e);
      else yield { kind: 'expiry', event: { type: 'expiry.settled', at: e, expiryMs: e, settlementPriceUsd: lastPrice } };
    }
    if (!staleDone) for (const s of stale.advanceTo(staleAt as number)) yield { kind: 'signal', signal: s };
  }

  for (const r of records) {
    if (!r.ok) {
      yield { kind: 'rejected', rejected: r.rejected };
      continue;
    }
    const t = r.value.at;
    yield* before(t, false);
    for (const s of stale.observe(t)) yield { kind: 'signal', signal: s };
    yield { kind: 'tick', tick: r.value };
    lastPrice = r.value.priceUsd;
    for (const e of waiting.splice(0)) yield { kind: 'expiry', event: { type: 'expiry.settled', at: e, expiryMs: e, settlementPriceUsd: r.value.priceUsd } };
    for (const e of expiriesDue(expiries, lastAt, t)) if (e === t) yield { kind: 'expiry', event: { type: 'expiry.settled', at: e, expiryMs: e, settlementPriceUsd: r.value.priceUsd } };
    lastAt = t;
  }
  if (o.untilAt !== undefined && o.untilAt > lastAt) yield* before(o.untilAt, true);
}
