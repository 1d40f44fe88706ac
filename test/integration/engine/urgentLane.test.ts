// Live mode: a tick that makes one vault hedge commits that vault's rows in a small transaction
// of their own (the urgent lane), before the other vaults' rows of the same tick; the order goes
// out after that commit. Checked on the real sqlite3 journal, including a crash between the
// lane's commit and the rest (the journal then still rebuilds every vault, and the order is
// never placed twice), and the engine's hold of venue results while a tick's hedge decisions
// are made. The sliced live driver has its own file (slicedLiveTicks.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, Subject } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnlyQuery } from '../../fixtures/readOnlyQuery.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import type { Engine } from '../../../src/engine/engine.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import { runLive } from '../../../src/engine/liveDriver.ts';
import { openEngine, reconcile } from '../../../src/engine/openEngine.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';
import { instantVenue } from '../../fixtures/instantVenue.ts';
import { liveEngine, tick, until, vaults } from '../../fixtures/liveLane.ts';
import { T0 } from '../../fixtures/vaults.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-lane-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

describe('urgent lane (live mode)', () => {
  it('commits the hedging vault alone, before the shared batch, and places the order after that commit', async () => {
    const path = join(dir, `lane-${++fileNo}.db`);
    const seen: { journal: string[]; orders: string[]; offsets: unknown[] }[] = [];
    let reader: SqliteJournalStore | null = null;
    const raw: { laneEntries: number; hotRowsInTable: number; laneSnapshots: number; hotSnapshotSeq: number }[] = [];
    const v = instantVenue({ onPlace: async () => {
      // What is durable when the order leaves: read through a second connection.
      reader ??= await SqliteJournalStore.open({ path });
      // The decision is in the lane log, not yet in the journal table; reads merge it.
      raw.push({
        laneEntries: (await readOnlyQuery<{ n: number }>(path, 'SELECT count(*) AS n FROM lane_log'))[0]?.n ?? -1,
        hotRowsInTable: (await readOnlyQuery<{ n: number }>(path, "SELECT count(*) AS n FROM journal WHERE vault_id = 'hot' AND to_state = 'hedging'"))[0]?.n ?? -1,
        // The entry carries the decision's rows, not a snapshot (the move writes that).
        laneSnapshots: (await readOnlyQuery<{ n: number }>(path, "SELECT sum(json_array_length(payload, '$.snapshots')) AS n FROM lane_log"))[0]?.n ?? -1,
        hotSnapshotSeq: (await readOnlyQuery<{ s: number }>(path, "SELECT max(seq) AS s FROM snapshots WHERE vault_id = 'hot'"))[0]?.s ?? -1,
      });
      seen.push({
        journal: (await reader.readJournal({})).map((r) => `${r.vaultId}#${r.seq}:${r.eventType}:${r.toState}`),
        orders: (await reader.hedgeOrders()).map((o) => `${o.clientOrderId}:${o.status}`),
        offsets: await reader.sourceOffsets(),
      });
    } });
    const placed = v.placed;
    const run = await liveEngine(path, v, 6);
    run.ticks.next(tick(1, 23_000));
    await until(() => run.engine.offset('feed') === 1, 'tick 1 given to every vault');
    await run.engine.commit();
    expect(run.engine.vault('hot')?.state).not.toBe('hedging');
    run.ticks.next(tick(2, 25_300)); // +10%: the straddle's delta swings ~4 BTC past hot's band of 2
    await until(() => seen.length === 1, 'the hedge was placed');
    const atPlacement = seen[0] as (typeof seen)[number];
    // Durable when the order left: hot's decision (its tick-2 row and the pending order) and
    // nothing else of tick 2, and the source offset still at tick 1.
    expect(atPlacement.journal.filter((r) => r.startsWith('hot#')).at(-1)).toMatch(/price\.tick:hedging$/);
    expect(atPlacement.journal.filter((r) => !r.startsWith('hot#') && /#3:/.test(r))).toEqual([]);
    expect(atPlacement.orders).toEqual([`${placed[0]}:pending`]);
    expect(atPlacement.offsets).toEqual([{ source: 'feed', offset: 1 }]);
    expect(raw[0]).toEqual({ laneEntries: 1, hotRowsInTable: 0, laneSnapshots: 0, hotSnapshotSeq: 1 });
    expect(run.engine.vault('hot')?.seq).toBeGreaterThan(2);
    // The rest of tick 2 and the fill then commit; the journal rebuilds every vault.
    await until(() => run.engine.vault('hot')?.state !== 'hedging' && run.engine.offset('feed') === 2, 'tick 2 done everywhere');
    await run.engine.commit();
    for (const id of run.engine.vaultIds()) {
      const rows = await run.store.readJournal({ vaultId: id });
      expect(rows.map((r) => r.seq), id).toEqual(rows.map((_, i) => i + 1));
      expect(rows.at(-1)?.at, id).toBe(T0 + 2 * 60_000);
    }
    expect(await run.store.sourceOffsets()).toEqual([{ source: 'feed', offset: 2 }]);
    expect((await verifyJournal(run.store)).ok).toBe(true);
    // The shared commit moved the entry into the tables, in the same transaction as its delete.
    expect(await readOnlyQuery(path, 'SELECT id FROM lane_log')).toEqual([]);
    expect((await readOnlyQuery<{ n: number }>(path, "SELECT count(*) AS n FROM journal WHERE vault_id = 'hot' AND to_state = 'hedging'"))[0]?.n).toBe(1);
    run.stop();
    await run.engine.stop();
    await (reader as SqliteJournalStore | null)?.close();
    await run.store.close();
  });

  it('the shared commit that moves a lane entry into the tables writes the vault\'s snapshot at its decision', async () => {
    const path = join(dir, `lane-${++fileNo}.db`);
    // The venue never answers: hot stays hedging, so its decision is its last row.
    const v = instantVenue({ onPlace: () => new Promise<void>(() => undefined) });
    const run = await liveEngine(path, v, 3);
    run.ticks.next(tick(1, 23_000));
    await until(() => run.engine.offset('feed') === 1, 'tick 1 given to every vault');
    await run.engine.commit();
    run.ticks.next(tick(2, 25_300));
    await until(() => v.placed.length === 1, 'the hedge was placed');
    const decision = run.engine.vault('hot')?.seq;
    expect(run.engine.vault('hot')?.state).toBe('hedging');
    // One snapshot row per vault: the latest.
    const snapshot = async (): Promise<{ seq: number; value: unknown } | undefined> =>
      (await readOnlyQuery<{ seq: number; snapshot_json: string }>(path, "SELECT seq, snapshot_json FROM snapshots WHERE vault_id = 'hot'"))
        .map((r) => ({ seq: r.seq, value: (JSON.parse(r.snapshot_json) as { value: unknown }).value }))[0];
    // Durable in the lane log only: the snapshot is still the one before the decision.
    expect((await snapshot())?.seq).toBeLessThan(decision as number);
    await run.engine.commit();
    expect(await readOnlyQuery(path, 'SELECT id FROM lane_log')).toEqual([]);
    expect(await snapshot()).toEqual({ seq: decision, value: 'hedging' });
    expect((await verifyJournal(run.store)).ok).toBe(true);
    run.stop();
    await run.engine.stop(0);
    await run.store.close();
  });

  it('a crash right after the lane commit: recovery resumes the hedge without placing it twice; the other vaults lost only uncommitted ticks', async () => {
    const path = join(dir, `lane-${++fileNo}.db`);
    let crash!: () => void;
    const crashed = new Promise<void>((r) => { crash = r; });
    // The venue fills the order; the process "dies" before the engine hears back.
    let dead = false;
    const v = instantVenue({ onPlace: () => {
      if (dead) return undefined;
      dead = true;
      crash();
      return new Promise<void>(() => undefined);
    } });
    const placed = v.placed;
    const run = await liveEngine(path, v, 4);
    // Tick 1 reaches every vault but is never committed (the shared batch waits); tick 2 makes
    // hot hedge, and its lane commit carries hot's rows of both ticks, but no offset.
    run.ticks.next(tick(1, 23_000));
    await until(() => run.engine.offset('feed') === 1, 'tick 1 given to every vault');
    run.ticks.next(tick(2, 25_300));
    await crashed;
    run.stop(); // the dead process commits nothing more (its shared batch is lost)

    // Restart on the same file: the venue keeps what it filled.
    const store2 = await SqliteJournalStore.open({ path });
    expect((await verifyJournal(store2)).ok).toBe(true);
    let now = T0 + 2 * 60_000;
    const { engine, report } = await openEngine({ store: store2, venue: v, market: 'BTC-PERP', log: silentLogger, mode: 'live', clock: { now: () => now } }, vaults(4));
    // The hedge decision was durable only in the lane log: start-up moved it into the tables.
    expect(report.laneEntries).toBe(1);
    expect(await readOnlyQuery(path, 'SELECT id FROM lane_log')).toEqual([]);
    // No offset is durable: tick 1's rows of the other vaults were lost with the process, so a
    // replaying feed must give tick 1 again (hot, having it, skips it by event time).
    expect(report.offsets).toEqual({});
    expect(engine.vault('hot')?.state).toBe('hedging');
    expect(engine.vault('hot')?.context.spotAt).toBe(T0 + 2 * 60_000);
    expect(engine.vault('q0')?.context.spotAt).toBe(0);
    await reconcile(engine, 'BTC-PERP', v);
    await until(() => engine.vault('hot')?.state !== 'hedging', 'the in-flight hedge was looked up and booked');
    expect(placed).toHaveLength(1); // looked up, found filled: not placed again
    now += 60_000;
    await engine.stop();
    expect((await verifyJournal(store2)).ok).toBe(true);
    await store2.close();
    await run.store.close().catch(() => undefined);
  });
});

describe('urgent lane vs a shared commit already under way', () => {
  it('a lane part that appears while a shared commit is between its lane step and its grab commits with it, never after its offsets', async () => {
    const path = join(dir, `lane-${++fileNo}.db`);
    const inner = await SqliteJournalStore.open({ path, create: 'if-missing' });
    // Lane commits (appends to the lane log) wait for this gate: what is durable before it
    // opens is what a crash at that moment would leave.
    let openGate!: () => void;
    const gate = new Promise<void>((r) => { openGate = r; });
    const store = Object.assign(Object.create(inner) as SqliteJournalStore, {
      appendLaneLog: (b: Parameters<SqliteJournalStore['appendLaneLog']>[0]) => gate.then(() => inner.appendLaneLog(b)),
    });
    let now = T0;
    const v = instantVenue();
    const { engine } = await openEngine({ store, venue: v, market: 'BTC-PERP', log: silentLogger, mode: 'live', clock: { now: () => now }, maxBatchDelayMs: 600_000 }, vaults(3));
    await engine.commit();
    const ticks = new Subject<Validated<PriceTickInput>>();
    const live = runLive({ engine, ticks, source: 'feed', staleAfterMs: 3_600_000, now: () => now, log: silentLogger, expiryCheckMs: 3_600_000, sliceSize: 8 });
    now = T0 + 60_000;
    ticks.next(tick(1, 23_000));
    await until(() => engine.offset('feed') === 1, 'tick 1 given to every vault');
    await engine.commit();
    now = T0 + 120_000;
    ticks.next(tick(2, 23_010)); // nobody crosses: every vault's tick-2 row waits in the shared batch
    await until(() => engine.offset('feed') === 2, 'tick 2 given to every vault');
    // The shared commit starts (its lane step finds nothing), and before it takes the shared
    // batch, an operator's flatten makes q0 urgent: q0's tick-2 row moves to the lane.
    const shared = engine.commit();
    engine.dispatch('q0', { type: 'control.flatten', at: now });
    await shared;
    const reader = await SqliteJournalStore.open({ path });
    const offsets = await reader.sourceOffsets();
    const q0Ticks = (await reader.readJournal({ vaultId: 'q0' })).filter((r) => r.eventType === 'price.tick').map((r) => r.sourceOffset);
    await reader.close();
    // Durable now: if offset 2 is, q0's tick-2 row must be too (else a restart would skip it).
    if (offsets.some((o) => o.offset === 2)) expect(q0Ticks).toContain(2);
    expect(offsets).toEqual([{ source: 'feed', offset: 2 }]);
    openGate();
    live.stop();
    await engine.stop();
    expect((await verifyJournal(inner)).ok).toBe(true);
    await inner.close();
  });
});

describe('engine.hold (live): hedge decisions before bookkeeping', () => {
  async function held(maxHoldMs?: number): Promise<{ engine: Engine; store: SqliteJournalStore; path: string; placed: string[] }> {
    const path = join(dir, `lane-${++fileNo}.db`);
    const store = await SqliteJournalStore.open({ path, create: 'if-missing' });
    const v = instantVenue();
    const { engine } = await openEngine({ store, venue: v, market: 'BTC-PERP', log: silentLogger, mode: 'live', clock: { now: () => T0 + 120_000 }, maxBatchDelayMs: 1 }, vaults(3));
    await engine.commit();
    engine.dispatch('hot', { type: 'price.tick', at: T0 + 60_000, priceUsd: 23_000 });
    engine.dispatch('q0', { type: 'price.tick', at: T0 + 60_000, priceUsd: 23_000 });
    // The 1 ms flush timer these armed commits them: wait for that commit. (An explicit commit
    // here raced it: a timer commit started just before the hold grabbed rows dispatched in it.)
    await firstValueFrom(engine.updates().pipe(filter((e) => e.kind === 'commit')));
    engine.hold(maxHoldMs);
    engine.dispatch('hot', { type: 'price.tick', at: T0 + 120_000, priceUsd: 25_300 });
    engine.dispatch('q0', { type: 'price.tick', at: T0 + 120_000, priceUsd: 25_300 });
    await engine.flushUrgent();
    return { engine, store, path, placed: v.placed };
  }

  it('holds venue results and the shared commit until release; the order itself goes at once', async () => {
    // A long maxHoldMs: on a loaded machine the default 50 ms could end the hold before the checks.
    const { engine, store, path, placed } = await held(60_000);
    await until(() => placed.length === 1, 'the order left during the hold');
    await new Promise((r) => setTimeout(r, 30)); // the fill is back and the 1 ms flush timer has fired
    expect(engine.vault('hot')?.state).toBe('hedging'); // its fill waits
    expect((await readOnlyQuery<{ n: number }>(path, "SELECT count(*) AS n FROM journal WHERE vault_id = 'q0'"))[0]?.n).toBe(2); // q0's tick 2 waits
    engine.release();
    expect(engine.vault('hot')?.state).not.toBe('hedging');
    await until(() => engine.pendingRows() === 0, 'the held shared commit ran');
    await engine.commit();
    expect((await readOnlyQuery<{ n: number }>(path, "SELECT count(*) AS n FROM journal WHERE vault_id = 'q0'"))[0]?.n).toBe(3);
    expect(await readOnlyQuery(path, 'SELECT id FROM lane_log')).toEqual([]);
    await engine.stop();
    expect((await verifyJournal(store)).ok).toBe(true);
    await store.close();
  });

  it('a hold nobody releases ends by itself after maxHoldMs', async () => {
    const { engine, store, placed } = await held(20);
    await until(() => placed.length === 1, 'the order left during the hold');
    await until(() => engine.vault('hot')?.state !== 'hedging', 'the fill was applied once the hold timed out');
    await engine.stop();
    expect((await verifyJournal(store)).ok).toBe(true);
    await store.close();
  });
});
