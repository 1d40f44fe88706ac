// The committed-state loop: dispatch -> journal -> snapshot -> effects.
// Events are applied to each vault's pure machine at once (in memory); what changed goes into
// the pending batch; a commit writes the batch in one transaction (many vaults and events
// share it); only after the commit do effects run, and only from committed state. A crash
// before a commit leaves no effect behind; after it, recovery re-derives the same effects.
import type { Observable, Subject } from 'rxjs';
import type { VaultContext, VaultEvent, VaultInput, VaultStateName } from '../../machines/vault.types.ts';
import { emptyBatch, type CommitBatch, type RejectedInputRow } from '../../storage/journalStore.ts';
import { SerialQueue } from '../../storage/serialQueue.ts';
import type { EngineEvent } from './engineTypes.ts';
import type { EngineOptions } from './engineOptions.ts';
import { isReduceOnly, type InFlightBtc } from '../domain/accountExposure.ts';
import { BandProximity } from './bandProximity.ts';
import { committedEvents } from './committedEvents.ts';
import { DecisionHold } from './decisionHold.ts';
import { HedgeEffects } from './hedgeEffects.ts';
import { SnapshotPolicy } from './snapshotPolicy.ts';
import { FlushScheduler } from './flushScheduler.ts';
import { loadRx } from './loadRx.ts';
import { fillRow, genesisRow, hedgeOrderRows, journalRow, type SourceRef } from './journalRows.ts';
import { RecentIds } from './recentIds.ts';
import { SourceOffsets } from './sourceOffsets.ts';
import { concatBatches, UrgentLane, type Head } from './urgentLane.ts';
import { VaultRuntime } from './vaultRuntime.ts';

export class Engine {
  /** What updates() watchers get; made (and rxjs loaded) by the first updates() call. */
  private events$: Subject<EngineEvent> | null = null;
  /** How the event stream ended while no one watched, for a watcher that comes later. */
  private eventsEnd: { error: Error } | 'complete' | null = null;
  private readonly vaults = new Map<string, VaultRuntime>();
  /** Context of each vault as of its last commit: effects read this, never the in-memory head. */
  private readonly committed = new Map<string, { state: VaultStateName; context: VaultContext }>();
  private batch = emptyBatch();
  private readonly dirty = new Set<string>();
  /** Each vault's distance to its hedge band, in one array, for ranking a live tick (rankByBand). */
  private readonly proximity = new BandProximity();
  private readonly offsets = new SourceOffsets();
  /** Recently booked fill ids (bounded: insertion order, oldest evicted). Older ids are checked
   * against the fills table by the intake before dispatch (see isKnownFill). */
  private readonly knownFills: RecentIds;
  private readonly hedges: HedgeEffects;
  private readonly snapshots: SnapshotPolicy;
  /** Wall time and spot when each hedge was decided: latency and slippage are measured from here. */
  private readonly triggers = new Map<string, { wall: number; spotUsd: number }>();
  /** Commits run one at a time, in call order; one asked for while none runs starts at once. */
  private readonly commits = new SerialQueue();
  /** Live mode: rows of vaults whose new hedge order waits on them, committed ahead of the rest. */
  private readonly lane = new UrgentLane();
  private readonly flusher: FlushScheduler;
  /** Venue results and the shared commit wait while a tick's hedge decisions are made (hold()). */
  private readonly held = new DecisionHold();
  private fatal: Error | null = null;
  private stopped = false;
  /** Commits published so far (a reader can tell whether committed state moved under it). */
  private published = 0;
  venueReachable = true;
  readonly rejectedCounts = new Map<string, number>();
  private readonly wall: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  get options(): Readonly<EngineOptions> { return this.opts; }

  constructor(private readonly opts: EngineOptions) {
    this.knownFills = new RecentIds(opts.maxRememberedFills ?? 50_000);
    this.wall = opts.wallClock ?? (() => Date.now());
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.snapshots = new SnapshotPolicy(opts.snapshots === 'at-stop' ? null : opts.snapshotEvery ?? 100, () => this.vaults.values());
    this.flusher = new FlushScheduler(() => this.commitSoon(), () => { void this.flushUrgent(); }, opts.maxBatchDelayMs ?? 5);
    this.hedges = new HedgeEffects({
      venue: opts.venue, market: opts.market, pollMs: opts.hedgePollMs ?? 50, sleep: this.sleep, effectDelayMs: opts.effectDelayMs ?? 0,
      now: (o) => (opts.mode === 'lockstep' ? o.createdAt : Math.max(o.createdAt, opts.clock.now())),
      onVenueReachable: (r) => { this.venueReachable = r; },
      isStopped: () => this.stopped,
      reduceOnly: (vaultId, order) => {
        const { accountBtc, inFlight } = this.exposure(vaultId);
        return isReduceOnly(accountBtc, inFlight, order.side, order.sizeBtc);
      },
      deliver: (vaultId, events) => {
        if (!this.held.queueResult(vaultId, events)) for (const ev of events) this.dispatch(vaultId, ev);
      },
      fail: (err) => this.die(err),
    });
  }

  /** Registers a recovered or new vault; `committedState` is what is already durable. */
  addVault(rt: VaultRuntime, snapshotSeq?: number): void {
    this.vaults.set(rt.vaultId, rt);
    this.proximity.set(rt.vaultId, rt.context);
    if (snapshotSeq !== undefined) this.snapshots.knownAt(rt.vaultId, snapshotSeq, rt.state);
    this.committed.set(rt.vaultId, { state: rt.state, context: rt.context });
  }

  /** A vault seen for the first time: journal its genesis row so the journal alone rebuilds it. */
  addNewVault(input: VaultInput): VaultRuntime {
    const rt = VaultRuntime.create(input, this.opts.inspect ? { inspect: this.opts.inspect } : {});
    rt.seq = 1;
    this.addVault(rt);
    this.batch.journal.push(genesisRow(input, rt, this.opts.clock.now(), this.wall()));
    this.dirty.add(input.vaultId);
    return rt;
  }

  rememberFills(ids: Iterable<string>): void { for (const id of ids) this.knownFills.add(id); }

  /** Is this fill id booked already (in memory or committed)? For intakes that can redeliver old fills. */
  async isKnownFill(fillId: string): Promise<boolean> {
    if (this.knownFills.has(fillId)) return true;
    return (await this.opts.store.knownFillIds([fillId])).has(fillId);
  }
  setOffset(source: string, offset: number): void { this.offsets.set(source, offset); }
  offset(source: string): number | undefined { return this.offsets.get(source); }

  vault(vaultId: string): VaultRuntime | undefined { return this.vaults.get(vaultId); }
  /** Every vault, nearest past its hedge band at `priceUsd` first (see BandProximity.rank). */
  rankByBand(priceUsd: number): { order: string[]; likely: number } { return this.proximity.rank(priceUsd); }
  vaultIds(): string[] { return [...this.vaults.keys()]; }
  committedOf(vaultId: string): { state: VaultStateName; context: VaultContext } | undefined { return this.committed.get(vaultId); }
  pendingRows(): number { return this.batch.journal.length + this.batch.rejected.length; }

  /**
   * The account on the venue as committed: the vaults' perp positions summed, and what the
   * orders in flight (but `exceptVaultId`'s) have left to trade, by side.
   */
  exposure(exceptVaultId?: string): { accountBtc: number; inFlight: InFlightBtc; commits: number } {
    let accountBtc = 0;
    const inFlight = { buyBtc: 0, sellBtc: 0 };
    for (const [id, c] of this.committed) {
      accountBtc += c.context.perpBtc;
      const o = c.context.inFlight;
      if (!o || id === exceptVaultId) continue;
      const left = Math.max(0, o.sizeBtc - o.filledBtc);
      if (o.side === 'buy') inFlight.buyBtc += left; else inFlight.sellBtc += left;
    }
    return { accountBtc, inFlight, commits: this.published };
  }
  get failed(): Error | null { return this.fatal; }

  /**
   * Applies one event to one vault; journals it in the pending batch if anything changed.
   * `consumed` false: the input at `src` is not yet applied to every vault (a live tick handed
   * out in slices), so its offset is not recorded yet; the driver calls markConsumed after.
   */
  dispatch(vaultId: string, event: VaultEvent, src: SourceRef | null = null, consumed = true): boolean {
    if (this.fatal) throw this.fatal;
    const rt = this.vaults.get(vaultId);
    if (!rt) throw new Error(`unknown vault ${vaultId}`);
    const before = rt.context;
    const applied = rt.apply(event);
    if (src && consumed) this.noteOffset(src);
    if (!applied) return false;
    this.proximity.set(vaultId, applied.context);
    const now = this.wall();
    this.batch.journal.push(journalRow(applied, src, now));
    let urgent = false;
    for (const order of hedgeOrderRows(before, applied)) {
      this.batch.hedgeOrders.push(order);
      if (order.status === 'pending') {
        this.triggers.set(order.clientOrderId, { wall: now, spotUsd: applied.context.spotUsd });
        urgent = true;
      }
    }
    const fill = fillRow(applied);
    if (fill) this.batch.fills.push(fill);
    // The lane carries the decision's rows, not the vault's snapshot (building it was a large
    // share of a cluster tick's work before its last order): the vault stays dirty, so the shared
    // commit that moves the lane entry into the tables writes the snapshot in that transaction.
    // A crash in between folds the entry's rows onto the previous snapshot, as for any tail.
    if (urgent && this.opts.mode === 'live') this.lane.take(vaultId, this.batch, headOf(rt));
    this.dirty.add(vaultId);
    this.scheduleFlush(urgent);
    return true;
  }

  /** Every vault has now been given the input at `src`: its offset may be committed. */
  markConsumed(src: SourceRef): void { this.noteOffset(src); }

  /**
   * Starts the commit of the urgent lane (vaults with a new hedge order) now if no commit is
   * running, else right after it; resolves once it is written and its effects started (null:
   * nothing urgent). Live drivers call it between slices of a tick; it is also scheduled
   * (setImmediate) by every dispatch that creates an order.
   */
  flushUrgent(): Promise<void> | null {
    if (!this.lane.pending || this.fatal) return null;
    const run = this.commits.run(() => this.commitLane());
    run.catch((err: unknown) => this.die(err));
    return run;
  }

  /** Books an option fill once: a fill id already seen (committed or pending) is a duplicate. */
  dispatchFill(event: Extract<VaultEvent, { type: 'fill.received' }> & { vaultId: string }, src: SourceRef | null): 'accepted' | 'duplicate' {
    if (this.knownFills.has(event.fillId)) return 'duplicate';
    this.knownFills.add(event.fillId);
    const { vaultId, ...ev } = event;
    this.dispatch(vaultId, ev, src);
    return 'accepted';
  }

  /** Stores a refused input with its reason (committed with the next batch). */
  reject(row: Omit<RejectedInputRow, 'recordedAt'>): void {
    this.batch.rejected.push({ ...row, recordedAt: this.wall() });
    if (row.source && row.sourceOffset !== null) this.noteOffset({ source: row.source, offset: row.sourceOffset });
    this.rejectedCounts.set(row.reason, (this.rejectedCounts.get(row.reason) ?? 0) + 1);
    this.events$?.next({ kind: 'rejected', source: row.source, reason: row.reason });
    this.scheduleFlush();
  }

  private noteOffset(src: SourceRef): void { this.offsets.note(src); }

  private scheduleFlush(urgent = false): void {
    if (this.opts.mode !== 'live') return;
    this.flusher.schedule(this.pendingRows() >= (this.opts.maxBatchRows ?? 5000), urgent);
  }

  private commitSoon(): void {
    if (this.held.deferFlush()) return;
    this.commit().catch((err: unknown) => this.die(err));
  }

  /**
   * Live drivers: a tick is being handed to the vaults predicted to hedge; until release() (or
   * maxHoldMs, ms), venue results and the shared commit wait (see decisionHold.ts).
   */
  hold(maxHoldMs = 50): void {
    if (this.opts.mode === 'live') this.held.start(maxHoldMs, () => this.release());
  }

  /** Ends hold(): queued venue results are applied, in arrival order, and a held shared commit starts. */
  release(): void {
    const h = this.held.end();
    if (!h || this.fatal) return;
    for (const r of h.results) for (const ev of r.events) this.dispatch(r.vaultId, ev);
    if (h.flush) this.commitSoon();
  }

  private die(err: unknown): void {
    if (this.fatal) return;
    this.fatal = err instanceof Error ? err : new Error(String(err));
    this.opts.log.error({ err: this.fatal.message }, 'engine stopped: commit failed; nothing uncommitted was acted on');
    if (this.events$) this.events$.error(this.fatal);
    else this.eventsEnd = { error: this.fatal };
  }

  /**
   * Commits everything pending (serialised; the urgent lane first, as a lane log entry; then
   * the shared batch with the logged lane rows moved into the tables), then runs effects from
   * the committed state. Starts at once if no commit is running.
   */
  commit(): Promise<void> {
    return this.commits.run(() => this.commitNow());
  }

  /**
   * The urgent lane goes to the lane log: one small transaction (its rows as one JSON entry), so
   * the orders waiting on it leave without waiting for the tables' inserts. Durable there, its
   * effects run now; the next shared commit moves its rows into the tables.
   */
  private async commitLane(): Promise<void> {
    if (this.fatal) throw this.fatal;
    if (!this.lane.pending) return;
    const { batch, heads } = this.lane.drain();
    const t0 = performance.now();
    let id: number;
    try {
      id = await this.opts.store.appendLaneLog(batch);
    } catch (err) {
      this.die(err);
      throw err;
    }
    this.lane.logAt(batch, id);
    this.publish(batch, heads, performance.now() - t0);
    this.flusher.schedule(false, false);
  }

  private async commitNow(): Promise<void> {
    // Lane rows of a vault precede its rows in the shared batch: they must commit first.
    await this.commitLane();
    if (this.dirty.size === 0 && this.batch.rejected.length === 0 && !this.offsets.changed && !this.snapshots.pending && !this.lane.pending && !this.lane.hasLogged) return;
    // A lane part may have appeared while the lane step above was awaited (an event dispatched
    // in between made a vault urgent, moving its rows, maybe of ticks whose offsets this batch
    // records, into the lane). It goes into this transaction, ahead of the shared rows: an
    // offset is never committed before every row it covers.
    const early = this.lane.pending ? this.lane.drain() : null;
    const batch = early ? concatBatches(early.batch, this.batch) : this.batch;
    this.batch = emptyBatch();
    const changed = [...this.dirty];
    this.dirty.clear();
    const heads = new Map<string, Head>(early?.heads ?? []);
    const runtimes = changed.map((id) => this.vaults.get(id) as VaultRuntime);
    batch.snapshots.push(...this.snapshots.rows(runtimes));
    for (const rt of runtimes) heads.set(rt.vaultId, headOf(rt));
    batch.offsets.push(...this.offsets.take());
    // Lane log entries move into the tables in this transaction, ahead of everything newer.
    const rows = this.lane.withLogged(batch);
    const t0 = performance.now();
    try {
      await this.opts.store.commit(rows);
    } catch (err) {
      this.die(err);
      throw err;
    }
    this.publish(batch, heads, performance.now() - t0);
  }

  /** After a commit: publishes what it committed (the moved lane rows were published when logged) and runs the effects of its vaults. */
  private publish(batch: CommitBatch, heads: ReadonlyMap<string, Head>, latencyMs: number): void {
    const events = committedEvents({ batch, heads, latencyMs, triggers: this.triggers, wallNow: this.wall(), log: this.opts.log });
    for (const [id, head] of heads) this.committed.set(id, { state: head.state, context: head.context });
    this.published++;
    if (this.events$) for (const e of events) this.events$.next(e);
    this.runEffects(heads.keys());
  }

  /** Effects from committed state: start the hedge reactor for every committed in-flight order. */
  private runEffects(vaultIds: Iterable<string>): void {
    for (const id of vaultIds) {
      const c = this.committed.get(id);
      const order = c?.context.inFlight;
      if (order) this.hedges.ensure(id, order);
    }
  }

  /** Re-arms effects of every vault (after recovery): hedges in flight are looked up, then finished. */
  resumeEffects(): void {
    this.runEffects(this.vaults.keys());
  }

  /** Waits until no hedge reactor is running (lockstep: results are dispatched, not yet committed). */
  settleHedges(): Promise<void> { return this.hedges.settle(); }

  hasActiveHedges(): boolean { return this.hedges.size > 0; }

  /** Lockstep: commit, let effects finish, commit their results, until quiet. */
  async quiesce(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      await this.commit();
      if (!this.hasActiveHedges()) return;
      await this.settleHedges();
    }
    throw new Error('engine did not quiesce after 100 rounds of effects');
  }

  updates(): Observable<EngineEvent> {
    if (this.events$ === null) {
      this.events$ = new (loadRx().Subject)<EngineEvent>();
      if (this.eventsEnd === 'complete') this.events$.complete();
      else if (this.eventsEnd) this.events$.error(this.eventsEnd.error);
    }
    return this.events$.asObservable();
  }

  /** Stops intake of effects and flushes. In-flight hedges get `graceMs` to resolve first. */
  async stop(graceMs = 5_000): Promise<void> {
    this.release();
    const deadline = this.wall() + graceMs;
    while (this.hedges.size > 0 && this.wall() < deadline) {
      await Promise.race([this.settleHedges(), this.sleep(50)]);
      await this.commit();
    }
    this.stopped = true;
    this.flusher.cancel();
    // A clean stop leaves every vault with a snapshot at its last event: restart folds nothing.
    this.snapshots.snapshotAll();
    if (!this.fatal) await this.commit();
    for (const rt of this.vaults.values()) rt.stop();
    if (this.fatal) return;
    if (this.events$) this.events$.complete();
    else this.eventsEnd = 'complete';
  }
}

function headOf(rt: VaultRuntime): Head {
  return { state: rt.state, context: rt.context, seq: rt.seq };
}
