// Lockstep replay: feeds one validated price file through the engine, one record at a time,
// on event time. A step per record: scheduled events due before it (cooldown timers,
// expiries, feed staleness), the tick to every vault, events due at the tick, simulated taker
// fills against the quotes standing after the tick. Nothing in a step is committed until the
// step is whole; then, if a vault has a hedge to place, commit and let the effect finish
// (results committed too) before the next step. So every commit boundary is a step boundary
// or an effect result, and a restarted run redoes exactly the uncommitted step: the same
// file, seed and config give the same journal however often the process is killed.
// Trackers (staleness, last price) are rebuilt from the file; scheduled events are derived
// from vault state (a timer fires only while the vault still waits in cooldown, an expiry
// settles only while its legs are still in the book), so nothing is delivered twice.
import type { FillReceived, VaultContext, VaultEvent } from '../../machines/vault.types.ts';
import type { Quote } from '../domain/quote.ts';
import type { PriceTickInput, Validated } from '../streams/inputTypes.ts';
import { simulateTakerFills } from '../streams/simulatedTakers.ts';
import { StalenessTracker } from '../streams/staleness.ts';
import type { Engine } from './engine.ts';
import { vaultQuotes } from './vaultQuotes.ts';

export interface TakerSettings {
  arrivalsPerMinute: number;
  buyShare: number;
  meanSizeContracts: number;
}

export interface ReplayOptions {
  engine: Engine;
  records: readonly Validated<PriceTickInput>[];
  source: string;
  seed: number;
  takers: TakerSettings | null;
  /** No valid tick for this long (event time) makes the feed stale. */
  staleAfterMs: number;
  /** Commit at least every this many journal rows (durability vs throughput). */
  commitEveryRows: number;
  /** Wall-clock pause before a record, from the event-time gap (ms); absent = as fast as possible. */
  pace?: (gapMs: number) => number;
  /** Tells an in-process venue the reference price (when it is not reading the same file). */
  onPrice?: (at: number, priceUsd: number) => void;
  onProgress?: (done: number, total: number) => void;
  /** A simulated taker fill the vault booked, with its context just before and just after it. */
  onFill?: (vaultId: string, fill: FillReceived, before: VaultContext, after: VaultContext) => void;
  shouldStop?: () => boolean;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Let the event loop run (timers, I/O, worker threads' messages) after every this many
   * records. A store whose commits resolve without I/O (MemoryJournalStore) otherwise keeps a
   * whole run in the microtask queue. Absent: never.
   */
  yieldEveryTicks?: number;
}

export interface ReplayResult {
  processed: number;
  skipped: number;
  rejected: number;
  lastAt: number;
}

const NONE: readonly VaultEvent[] = Object.freeze([]);

/**
 * Events due for one vault at or before `upto` (strictly before when `strict`), in time order.
 * Called twice a tick per vault: nothing is allocated when nothing is due (the usual case).
 */
function scheduledFor(engine: Engine, vaultId: string, upto: number, strict: boolean, lastPrice: { at: number; priceUsd: number } | null): readonly VaultEvent[] {
  const rt = engine.vault(vaultId);
  if (!rt) return NONE;
  const ctx = rt.context;
  let out: VaultEvent[] | null = null;
  const until = ctx.cooldownUntil;
  if (until !== null && (strict ? until < upto : until <= upto) && rt.state === 'cooldown') out = [{ type: 'timer.fired', at: until }];
  if (lastPrice) {
    let expiries: number[] | null = null;
    for (const leg of ctx.book) {
      const e = leg.expiryMs;
      if ((strict ? e < upto : e <= upto) && !(expiries ??= []).includes(e)) expiries.push(e);
    }
    if (expiries !== null) {
      out ??= [];
      for (const e of expiries.sort((a, b) => a - b)) {
        out.push({ type: 'expiry.settled', at: e, expiryMs: e, settlementPriceUsd: lastPrice.priceUsd });
      }
    }
  }
  return out === null ? NONE : out.sort((a, b) => a.at - b.at);
}

export async function replay(opts: ReplayOptions): Promise<ReplayResult> {
  const { engine, records, source } = opts;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const vaultIds = engine.vaultIds();
  const resumeAfter = engine.offset(source) ?? -1;
  const stale = new StalenessTracker(opts.staleAfterMs);
  let lastPrice: { at: number; priceUsd: number } | null = null;
  let processed = 0, skipped = 0, rejected = 0, lastAt = 0, prevAt: number | null = null;
  let background: Promise<void> = Promise.resolve();

  const hedgePending = (): boolean => engine.hasActiveHedges() || vaultIds.some((id) => engine.vault(id)?.context.inFlight != null);
  // Each vault's current quotes, asked only when a taker arrives (one closure per vault, not per tick).
  const quotesOf = new Map(vaultIds.map((id) => [id, (): readonly Quote[] => {
    const rt = engine.vault(id);
    return rt ? vaultQuotes(rt.state, rt.context) : [];
  }]));
  const dispatchAll = (id: string, events: readonly VaultEvent[]): void => {
    for (const ev of events) engine.dispatch(id, ev);
  };

  for (const rec of records) {
    const offset = rec.ok ? rec.value.offset : rec.rejected.offset ?? -1;
    if (offset <= resumeAfter) {
      // Already committed: rebuild the trackers from the file, deliver nothing.
      if (rec.ok) { stale.observe(rec.value.at); lastPrice = { at: rec.value.at, priceUsd: rec.value.priceUsd }; prevAt = rec.value.at; }
      skipped++;
      continue;
    }
    if (opts.shouldStop?.()) break;
    if (!rec.ok) {
      engine.reject({ ...rec.rejected, sourceOffset: rec.rejected.offset });
      rejected++;
      continue;
    }
    const t = rec.value;
    if (opts.pace && prevAt !== null) {
      const wait = opts.pace(t.at - prevAt);
      if (wait > 0) await sleep(wait);
    }
    prevAt = t.at;
    // 1. What fell due before this tick: timers, expiries (at the last price), staleness.
    for (const id of vaultIds) dispatchAll(id, scheduledFor(engine, id, t.at, true, lastPrice));
    for (const sig of stale.observe(t.at)) {
      for (const id of vaultIds) {
        const isStale = engine.vault(id)?.context.feedStale;
        if ((sig.type === 'feed.stale') !== isStale) engine.dispatch(id, { type: sig.type, at: sig.at });
      }
    }
    // 2. The tick itself, to every vault on the underlying.
    opts.onPrice?.(t.at, t.priceUsd);
    lastPrice = { at: t.at, priceUsd: t.priceUsd };
    const src = { source, offset: t.offset };
    for (const id of vaultIds) {
      if ((engine.vault(id)?.context.spotAt ?? 0) < t.at) engine.dispatch(id, { type: 'price.tick', at: t.at, priceUsd: t.priceUsd }, src);
    }
    // 3. Events due exactly now (they see this tick's price), then option takers on the quotes.
    for (const id of vaultIds) dispatchAll(id, scheduledFor(engine, id, t.at, false, lastPrice));
    if (opts.takers) {
      for (const id of vaultIds) {
        const rt = engine.vault(id);
        if (!rt) continue;
        const fills = simulateTakerFills({ seed: opts.seed, vaultId: id, at: t.at, quotes: quotesOf.get(id) as () => readonly Quote[], ...opts.takers });
        for (const f of fills) {
          const before = rt.context;
          const fill: FillReceived = { type: 'fill.received', at: f.at, fillId: f.fillId, instrument: f.instrument, side: f.side, qty: f.qty, priceUsd: f.priceUsd };
          const booked = engine.dispatchFill({ ...fill, vaultId: id }, src) === 'accepted';
          if (booked && opts.onFill && rt.context !== before) opts.onFill(id, fill, before, rt.context);
        }
      }
    }
    // 4. The step is whole: commit it if a hedge must go out (then run it), or if the batch is
    //    full. A full batch commits in the background while the next steps are applied (sqlite
    //    works on its own thread); only one such commit is outstanding at a time.
    if (hedgePending()) {
      await background;
      await engine.quiesce();
    } else if (engine.pendingRows() >= opts.commitEveryRows) {
      await background;
      background = engine.commit();
      // Handled here so a failure is not "unhandled" while in flight; awaiting it rethrows.
      background.catch(() => undefined);
    }
    processed++;
    lastAt = t.at;
    opts.onProgress?.(processed + skipped + rejected, records.length);
    if (opts.yieldEveryTicks !== undefined && processed % opts.yieldEveryTicks === 0) await new Promise<void>((r) => setImmediate(r));
  }
  await background;
  await engine.quiesce();
  return { processed, skipped, rejected, lastAt };
}
