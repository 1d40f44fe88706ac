// Live intake on the wall clock: validated ticks from a live feed (Pyth via Hermes, a Pyth
// price account, the venue oracle) go to every vault as they arrive; the engine commits on its
// own flush policy and runs effects after each commit. Durable timing is re-armed from
// committed state: a vault in cooldown gets a timer for its cooldownUntil (also right after a
// restart), expiries settle at the last price at or before 08:00 UTC, and a feed silent for
// staleAfterMs (counted from the last price the vaults hold, also across a restart) sends
// feed.stale until the next valid tick.
import type { Observable, Subscription } from 'rxjs';
import type { VaultEvent } from '../../machines/vault.types.ts';
import { SettlementPriceTracker } from '../streams/expiries.ts';
import type { PriceTickInput, Validated } from '../streams/inputTypes.ts';
import type { Engine } from './engine.ts';
import type { Logger } from './engineTypes.ts';
import type { SourceRef } from './journalRows.ts';

export interface LiveOptions {
  engine: Engine;
  ticks: Observable<Validated<PriceTickInput>>;
  source: string;
  staleAfterMs: number;
  now: () => number;
  log: Logger;
  onTick?: (t: PriceTickInput) => void;
  /** How often expiries are checked, ms (default 1000). */
  expiryCheckMs?: number;
}

export interface LiveHandle {
  stop(): void;
  /** Resolves when the feed completes or errors (live feeds normally never do). */
  done: Promise<void>;
}

/** The newest price any vault holds (event time, ms; 0 when none has one). */
function lastPriceAt(engine: Engine): number {
  let at = 0;
  for (const id of engine.vaultIds()) at = Math.max(at, engine.vault(id)?.context.spotAt ?? 0);
  return at;
}

/**
 * At a live start, before anything is published or reconciled: each vault whose last price is
 * at least staleAfterMs old at `now` (a long downtime, wall clock of the feed's time) is marked
 * stale at once (feed.stale at `now`: quotes pulled, no new hedges) until the feed delivers a
 * tick. Otherwise the quotes committed before the downtime would be published on a price
 * minutes old and pulled only staleAfterMs after the start. Returns the vaults marked; the
 * caller commits them before it starts quoting.
 */
export function markStaleAtStart(engine: Engine, now: number, staleAfterMs: number): string[] {
  const marked: string[] = [];
  for (const id of engine.vaultIds()) {
    const ctx = engine.vault(id)?.context;
    if (!ctx || ctx.feedStale || ctx.spotAt <= 0 || now - ctx.spotAt < staleAfterMs) continue;
    engine.dispatch(id, { type: 'feed.stale', at: now });
    marked.push(id);
  }
  return marked;
}

export function runLive(opts: LiveOptions): LiveHandle {
  const { engine, now, log } = opts;
  const ids = engine.vaultIds();
  const prices = new SettlementPriceTracker();
  const timers = new Map<string, { until: number; handle: NodeJS.Timeout }>();
  let staleTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  const resumeAfter = engine.offset(opts.source) ?? -Infinity;

  // A tick goes first, synchronously, to the vaults predicted to cross their hedge band
  // (engine.rankByBand), so their decisions are written at once (hedgeFirst.ts), and to the
  // other vaults once those are durable and their orders sent (engine.hedgesWritten), a turn of
  // the event loop later. Anything else this driver sends finishes the tick in progress first,
  // so each vault sees its events in order.
  let rest: { tick: PriceTickInput; ids: readonly string[]; handle: NodeJS.Immediate | null } | null = null;
  const give = (tick: PriceTickInput, vaultIds: readonly string[]): void => {
    const src = { source: tick.source, offset: tick.offset };
    for (const id of vaultIds) {
      const ctx = engine.vault(id)?.context;
      if (!ctx || ctx.spotAt >= tick.at) continue;
      if (ctx.feedStale) deliver(id, { type: 'feed.recovered', at: tick.at });
      deliver(id, { type: 'price.tick', at: tick.at, priceUsd: tick.priceUsd }, src);
    }
  };
  const finishTick = (): void => {
    const r = rest;
    if (!r) return;
    rest = null;
    if (r.handle) clearImmediate(r.handle);
    give(r.tick, r.ids);
    if (!stopped) engine.markConsumed({ source: r.tick.source, offset: r.tick.offset });
  };

  /** Dispatches, stopping the driver if the engine has stopped (it throws its fatal error). */
  const deliver = (id: string, ev: VaultEvent, tickSrc: SourceRef | null = null): void => {
    if (stopped) return;
    try {
      // A tick's offset is recorded once every vault has it (markConsumed), not per vault.
      engine.dispatch(id, ev, tickSrc, false);
    } catch (err) {
      log.error({ vault: id, event: ev.type, err: String(err) }, 'dispatch failed: engine stopped');
      stopped = true;
    }
  };
  const send = (id: string, ev: VaultEvent): void => { finishTick(); deliver(id, ev); };

  // Cooldown deadlines live in committed context; arm a timer for each, re-armed on change.
  const arm = (id: string): void => {
    const c = engine.committedOf(id);
    const until = c && c.state === 'cooldown' ? c.context.cooldownUntil : null;
    const prev = timers.get(id);
    if (prev && prev.until === until) return;
    if (prev) { clearTimeout(prev.handle); timers.delete(id); }
    if (until === null || stopped) return;
    const handle = setTimeout(() => { timers.delete(id); send(id, { type: 'timer.fired', at: until }); }, Math.max(0, until - now()));
    timers.set(id, { until, handle });
  };
  const committedSub: Subscription = engine.updates().subscribe({ next: (e) => { if (e.kind === 'committed') arm(e.vaultId); }, error: () => undefined });
  for (const id of ids) arm(id);

  const markStale = (): void => {
    staleTimer = null;
    const at = now();
    for (const id of ids) if (!engine.vault(id)?.context.feedStale) send(id, { type: 'feed.stale', at });
    log.warn({ source: opts.source, afterMs: opts.staleAfterMs }, 'price feed stale: quotes pulled, no new hedges');
  };
  const armStale = (afterMs = opts.staleAfterMs): void => {
    if (staleTimer) clearTimeout(staleTimer);
    if (!stopped) staleTimer = setTimeout(markStale, afterMs);
  };
  // At a start the feed has been silent since the last price the vaults hold, not since now.
  const held = lastPriceAt(engine);
  armStale(held > 0 ? Math.max(0, Math.min(opts.staleAfterMs, opts.staleAfterMs - (now() - held))) : opts.staleAfterMs);

  const expiryTimer = setInterval(() => {
    const t = now();
    for (const id of ids) {
      const book = engine.vault(id)?.context.book ?? [];
      const due = [...new Set(book.filter((l) => l.expiryMs <= t).map((l) => l.expiryMs))].sort((a, b) => a - b);
      for (const e of due) {
        const px = prices.priceAt(e);
        if (px === null) continue; // no price at or before the expiry yet: settle once one is known
        send(id, { type: 'expiry.settled', at: e, expiryMs: e, settlementPriceUsd: px });
      }
    }
  }, opts.expiryCheckMs ?? 1_000);

  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });
  const tickSub = opts.ticks.subscribe({
    next: (v) => {
      if (stopped) return;
      if (!v.ok) {
        // Its offset is recorded at once: every vault must have the tick before it first.
        finishTick();
        engine.reject({ source: v.rejected.source, reason: v.rejected.reason, detail: v.rejected.detail, payload: v.rejected.payload, at: v.rejected.at, sourceOffset: v.rejected.offset });
        return;
      }
      const t = v.value;
      if (t.offset <= resumeAfter) return;
      finishTick();
      prices.observe(t.at, t.priceUsd);
      opts.onTick?.(t);
      const { order, likely } = engine.rankByBand(t.priceUsd);
      give(t, order.slice(0, likely));
      const job = { tick: t, ids: order.slice(likely), handle: null as NodeJS.Immediate | null };
      rest = job;
      void engine.hedgesWritten().then(() => { if (rest === job) job.handle = setImmediate(finishTick); });
      armStale();
    },
    error: (err: unknown) => { log.error({ source: opts.source, err: String(err) }, 'price feed failed'); resolveDone(); },
    complete: () => resolveDone(),
  });

  return {
    done,
    stop: () => {
      if (rest?.handle) clearImmediate(rest.handle);
      rest = null;
      stopped = true;
      tickSub.unsubscribe();
      committedSub.unsubscribe();
      clearInterval(expiryTimer);
      if (staleTimer) clearTimeout(staleTimer);
      for (const t of timers.values()) clearTimeout(t.handle);
      timers.clear();
      resolveDone();
    },
  };
}
