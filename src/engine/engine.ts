// The committed-state loop: dispatch -> journal -> snapshot -> effects.
// Events are applied to each vault's pure machine at once (in memory); what changed goes into
// the pending batch; a commit writes the batch in one transaction (many vaults and events
// share it; live, a vault whose event creates a hedge order is written first, alone: see
// hedgeFirst.ts); only after the commit do effects run, and only from committed state. A crash
// before a commit leaves no effect behind; after it, recovery re-derives the same effects.
import type { Observable } from 'rxjs';
import type { VaultContext, VaultEvent, VaultInput, VaultStateName } from '../../machines/vault.types.ts';
import { concatBatches, emptyBatch, type CommitBatch, type RejectedInputRow } from '../../storage/journalStore.ts';
import { SerialQueue } from '../../storage/serialQueue.ts';
import type { EngineEvent } from './engineTypes.ts';
import type { EngineOptions } from './engineOptions.ts';
import { accountExposure, isReduceOnly, type InFlightBtc } from '../domain/accountExposure.ts';
import { committedEvents } from './committedEvents.ts';
import { EngineEvents } from './engineEvents.ts';
import { HedgeEffects } from './hedgeEffects.ts';
import { SnapshotPolicy } from './snapshotPolicy.ts';
import { FlushScheduler } from './flushScheduler.ts';
import { fillRow, genesisRow, hedgeOrderRows, journalRow, type SourceRef } from './journalRows.ts';
import { RecentIds } from './recentIds.ts';
import { SourceOffsets } from './sourceOffsets.ts';
import { HedgeFirst, type Head } from './hedgeFirst.ts';
import { VaultRuntime } from './vaultRuntime.ts';

export class Engine {
  /** What updates() watchers get. */
  private readonly events = new EngineEvents();
  private readonly vaults = new Map<string, VaultRuntime>();
  /** Context of each vault as of its last commit: effects read this, never the in-memory head. */
  private readonly committed = new Map<string, { state: VaultStateName; context: VaultContext }>();
  private batch = emptyBatch();
  private readonly dirty = new Set<string>();
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
  /** Live mode: a tick's likely hedgers first, and their decisions committed ahead of the rest (hedgeFirst.ts). */
  private readonly hedgeFirst: HedgeFirst;
  private readonly flusher: FlushScheduler;
  private fatal: Error | null = null;
  /** Duration of the last commit's transaction, ms (reported with its commit event). */
  private lastCommitMs = 0;
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
    this.flusher = new FlushScheduler(() => this.commitSoon(), opts.maxBatchDelayMs ?? 5);
    this.hedgeFirst = new HedgeFirst(() => this.commitHedges());
    this.hedges = new HedgeEffects({
      venue: opts.venue, market: opts.market, pollMs: opts.hedgePollMs ?? 50, sleep: this.sleep, effectDelayMs: opts.effectDelayMs ?? 0,
      now: (o) => (opts.mode === 'lockstep' ? o.createdAt : Math.max(o.createdAt, opts.clock.now())),
      onVenueReachable: (r) => { this.venueReachable = r; },
      isStopped: () => this.stopped,
      reduceOnly: (vaultId, order) => {
        const { accountBtc, inFlight } = this.exposure(vaultId);
        return isReduceOnly(accountBtc, inFlight, order.side, order.sizeBtc);
      },
      deliver: (vaultId, events) => { for (const ev of events) this.dispatch(vaultId, ev); },
      fail: (err) => this.die(err),
    });
  }

  /** Registers a recovered or new vault; `committedState` is what is already durable. */
  addVault(rt: VaultRuntime, snapshotSeq?: number): void {
    this.vaults.set(rt.vaultId, rt);
    this.hedgeFirst.note(rt.vaultId, rt.context);
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
  /** Every vault, nearest past its hedge band at `priceUsd` first, and how many are predicted past it (hedgeFirst.ts). */
  rankByBand(priceUsd: number): { order: string[]; likely: number } { return this.hedgeFirst.rank(priceUsd); }
  vaultIds(): string[] { return [...this.vaults.keys()]; }
  committedOf(vaultId: string): { state: VaultStateName; context: VaultContext } | undefined { return this.committed.get(vaultId); }
  pendingRows(): number { return this.batch.journal.length + this.batch.rejected.length; }

  /**
   * The account on the venue as committed: the vaults' perp positions summed, and what the
   * orders in flight (but `exceptVaultId`'s) have left to trade, by side.
   */
  exposure(exceptVaultId?: string): { accountBtc: number; inFlight: InFlightBtc; commits: number } {
    return { ...accountExposure(this.committed, exceptVaultId), commits: this.published };
  }
  get failed(): Error | null { return this.fatal; }

  /**
   * Applies one event to one vault; journals it in the pending batch if anything changed.
   * `consumed` false: the input at `src` is not yet applied to every vault (a live tick reaches
   * the vaults predicted to hedge first), so its offset is not recorded yet; the driver calls
   * markConsumed after.
   */
  dispatch(vaultId: string, event: VaultEvent, src: SourceRef | null = null, consumed = true): boolean {
    if (this.fatal) throw this.fatal;
    const rt = this.vaults.get(vaultId);
    if (!rt) throw new Error(`unknown vault ${vaultId}`);
    const before = rt.context;
    const applied = rt.apply(event);
    if (src && consumed) this.noteOffset(src);
    if (!applied) return false;
    this.hedgeFirst.note(vaultId, applied.context);
    const now = this.wall();
    this.batch.journal.push(journalRow(applied, src, now));
    let newOrder = false;
    for (const order of hedgeOrderRows(before, applied)) {
      this.batch.hedgeOrders.push(order);
      if (order.status === 'pending') {
        this.triggers.set(order.clientOrderId, { wall: now, spotUsd: applied.context.spotUsd });
        newOrder = true;
      }
    }
    const fill = fillRow(applied);
    if (fill) this.batch.fills.push(fill);
    // A new order: the vault's rows go first (hedgeFirst.ts), without its snapshot (building it
    // is a large share of a tick's work when many vaults hedge at once).
    if (newOrder && this.opts.mode === 'live') this.hedgeFirst.take(vaultId, this.batch, headOf(rt));
    this.dirty.add(vaultId);
    this.scheduleFlush();
    return true;
  }

  /** Every vault has now been given the input at `src`: its offset may be committed. */
  markConsumed(src: SourceRef): void { this.noteOffset(src); }

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
    this.events.next({ kind: 'rejected', source: row.source, reason: row.reason });
    this.scheduleFlush();
  }

  private noteOffset(src: SourceRef): void { this.offsets.note(src); }

  private scheduleFlush(): void {
    if (this.opts.mode !== 'live') return;
    this.flusher.schedule(this.pendingRows() >= (this.opts.maxBatchRows ?? 5000));
  }

  private commitSoon(): void {
    this.commit().catch((err: unknown) => this.die(err));
  }

  private die(err: unknown): void {
    if (this.fatal) return;
    this.fatal = err instanceof Error ? err : new Error(String(err));
    this.opts.log.error({ err: this.fatal.message }, 'engine stopped: commit failed; nothing uncommitted was acted on');
    this.events.error(this.fatal);
  }

  /**
   * Commits everything pending in one transaction (serialised after any commit under way; the
   * hedge-first rows ahead of the rest), then runs effects from the committed state.
   */
  commit(): Promise<void> {
    return this.commits.run(() => this.commitNow());
  }

  /** The hedge-first rows alone, in their own transaction (the one trigger: see hedgeFirst.ts). */
  private commitHedges(): Promise<void> {
    if (this.fatal) return Promise.resolve();
    return this.commits.run(async () => {
      if (!this.hedgeFirst.pending || this.fatal) return;
      const { batch, heads } = this.hedgeFirst.drain();
      await this.write(batch, 'decision');
      this.publish(batch, heads);
    }).catch((err: unknown) => this.die(err));
  }

  /** Settles once the hedge decisions made so far are durable and their orders started (hedgeFirst.ts). */
  hedgesWritten(): Promise<void> { return this.hedgeFirst.written(); }

  private async commitNow(): Promise<void> {
    if (this.fatal) throw this.fatal;
    if (this.dirty.size === 0 && this.batch.rejected.length === 0 && !this.offsets.changed && !this.snapshots.pending && !this.hedgeFirst.pending) return;
    // Hedge-first rows not yet written go into this transaction, ahead of the shared rows (a
    // vault's earlier rows before its later ones; an offset never before a row it covers).
    const early = this.hedgeFirst.pending ? this.hedgeFirst.drain() : null;
    const batch = early ? concatBatches(early.batch, this.batch) : this.batch;
    this.batch = emptyBatch();
    const changed = [...this.dirty];
    this.dirty.clear();
    const heads = new Map<string, Head>(early?.heads ?? []);
    const runtimes = changed.map((id) => this.vaults.get(id) as VaultRuntime);
    batch.snapshots.push(...this.snapshots.rows(runtimes));
    for (const rt of runtimes) heads.set(rt.vaultId, headOf(rt));
    batch.offsets.push(...this.offsets.take());
    await this.write(batch);
    this.publish(batch, heads);
  }

  /**
   * One transaction: the shared batch into the tables, or a hedge decision ahead of it (see
   * JournalStore.commitDecision). A failure stops the engine (nothing uncommitted is acted on).
   */
  private async write(batch: CommitBatch, kind: 'shared' | 'decision' = 'shared'): Promise<void> {
    const t0 = performance.now();
    try {
      if (kind === 'decision') await this.opts.store.commitDecision(batch);
      else await this.opts.store.commit(batch);
    } catch (err) {
      this.die(err);
      throw err;
    }
    this.lastCommitMs = performance.now() - t0;
  }

  /** After a commit: publishes what it committed and runs the effects of its vaults. */
  private publish(batch: CommitBatch, heads: ReadonlyMap<string, Head>): void {
    const events = committedEvents({ batch, heads, latencyMs: this.lastCommitMs, triggers: this.triggers, wallNow: this.wall(), log: this.opts.log });
    for (const [id, head] of heads) this.committed.set(id, { state: head.state, context: head.context });
    this.published++;
    for (const e of events) this.events.next(e);
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

  updates(): Observable<EngineEvent> { return this.events.watch(); }

  /** Stops intake of effects and flushes. In-flight hedges get `graceMs` to resolve first. */
  async stop(graceMs = 5_000): Promise<void> {
    const deadline = this.wall() + graceMs;
    while (this.hedges.size > 0 && this.wall() < deadline) {
      await Promise.race([this.settleHedges(), this.sleep(50)]);
      await this.commit();
    }
    this.stopped = true;
    this.flusher.cancel();
    this.hedgeFirst.cancel();
    // A clean stop leaves every vault with a snapshot at its last event: restart folds nothing.
    this.snapshots.snapshotAll();
    if (!this.fatal) await this.commit();
    for (const rt of this.vaults.values()) rt.stop();
    if (this.fatal) return;
    this.events.complete();
  }
}

function headOf(rt: VaultRuntime): Head {
  return { state: rt.state, context: rt.context, seq: rt.seq };
}
