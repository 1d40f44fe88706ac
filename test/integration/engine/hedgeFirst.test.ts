// Live mode, hedge first (src/engine/hedgeFirst.ts): a tick that makes one vault hedge makes
// that vault's rows durable on their own (JournalStore.commitDecision), before the other vaults'
// rows of the same tick; the order goes out only once they are durable. Checked on the real sqlite3
// journal with commits held at a gate (test/fixtures/gatedStore.ts), so each step is seen
// exactly, without sleeps: what is durable when the order leaves, a crash right after the
// decision's commit (the journal still rebuilds every vault, the order is never placed twice),
// and a decision made while a shared commit is being written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnlyQuery } from '../../fixtures/readOnlyQuery.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import { openEngine, reconcile } from '../../../src/engine/openEngine.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import { crashCopy } from '../../fixtures/crashCopy.ts';
import { gatedStore, type GatedStore } from '../../fixtures/gatedStore.ts';
import { instantVenue } from '../../fixtures/instantVenue.ts';
import { liveEngine, tick, until, vaults } from '../../fixtures/liveEngine.ts';
import { T0 } from '../../fixtures/vaults.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-hedgefirst-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

/** Vault ids of a batch's journal rows, and the source offsets it records. */
const shape = (b: { journal: { vaultId: string }[]; snapshots: unknown[]; offsets: unknown[]; hedgeOrders: { vaultId: string; status: string }[] }): unknown => ({
  journal: [...new Set(b.journal.map((r) => r.vaultId))], snapshots: b.snapshots.length, offsets: b.offsets,
  orders: b.hedgeOrders.map((o) => `${o.vaultId}:${o.status}`),
});

describe('hedge first (live mode)', () => {
  it('writes the hedging vault alone, before the shared batch, and places the order only once that is written', async () => {
    const path = join(dir, `hf-${++fileNo}.db`);
    let gate!: GatedStore;
    let durable: { journal: string[]; orders: string[]; offsets: unknown } | null = null;
    const v = instantVenue({ onPlace: async () => {
      // What is durable when the order leaves: what a crash now would leave, as the next start sees it.
      const crash = await crashCopy(path);
      durable = {
        journal: (await readOnlyQuery<{ r: string }>(crash.path, "SELECT vault_id || '#' || seq || ':' || event_type || ':' || to_state AS r FROM journal ORDER BY vault_id, seq")).map((x) => x.r),
        orders: (await readOnlyQuery<{ r: string }>(crash.path, "SELECT client_order_id || ':' || status AS r FROM hedge_orders")).map((x) => x.r),
        offsets: await readOnlyQuery(crash.path, 'SELECT source, "offset" FROM source_offsets'),
      };
    } });
    const run = await liveEngine(path, v, 6, (s) => { gate = gatedStore(s); return gate.store; });
    run.ticks.next(tick(1, 23_000));
    await until(() => run.engine.offset('feed') === 1, 'tick 1 given to every vault');
    await run.engine.commit();
    gate.hold();
    run.ticks.next(tick(2, 25_300)); // +10%: the straddle's delta swings ~4 BTC past hot's band of 2
    // At once: hot, predicted to cross, has the tick; the quiet vaults get it once hot's
    // decision is written and its order sent.
    expect(run.engine.vault('hot')?.state).toBe('hedging');
    expect(run.engine.vault('q0')?.context.spotAt).toBe(T0 + 60_000);
    // The first transaction holds hot's decision alone: its row and order, no snapshot, no offset.
    expect(shape(await gate.nextCommit())).toEqual({ journal: ['hot'], snapshots: 0, offsets: [], orders: ['hot:pending'] });
    expect(gate.kinds.at(-1)).toBe('decision');
    // Held there: no order has left, and the quiet vaults still wait.
    expect(v.placed).toEqual([]);
    expect(run.engine.vault('q0')?.context.spotAt).toBe(T0 + 60_000);
    await gate.pass();
    await until(() => durable !== null, 'the hedge was placed');
    await until(() => run.engine.offset('feed') === 2, 'tick 2 given to every vault');
    const at = durable as unknown as { journal: string[]; orders: string[]; offsets: unknown };
    // Durable when the order left: hot's decision and nothing else of tick 2; the offset still 1.
    expect(at.journal.filter((r) => r.startsWith('hot#')).at(-1)).toMatch(/price\.tick:hedging$/);
    expect(at.journal.filter((r) => !r.startsWith('hot#') && /#3:/.test(r))).toEqual([]);
    expect(at.orders).toEqual([`${v.placed[0]}:pending`]);
    expect(at.offsets).toEqual([{ source: 'feed', offset: 1 }]);
    // Then the rest of tick 2 and the fill commit; the journal rebuilds every vault.
    await gate.open();
    await until(() => run.engine.vault('hot')?.state !== 'hedging', 'the fill was applied');
    await run.engine.commit();
    for (const id of run.engine.vaultIds()) {
      const rows = await run.store.readJournal({ vaultId: id });
      expect(rows.map((r) => r.seq), id).toEqual(rows.map((_, i) => i + 1));
      expect(rows.at(-1)?.at, id).toBe(T0 + 2 * 60_000);
    }
    expect(await run.store.sourceOffsets()).toEqual([{ source: 'feed', offset: 2 }]);
    expect((await verifyJournal(run.store)).ok).toBe(true);
    run.stop();
    await run.engine.stop();
    await run.store.close();
  });

  it('the next shared commit writes the hedging vault\'s snapshot at its decision', async () => {
    const path = join(dir, `hf-${++fileNo}.db`);
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
    const snapshot = async (file: string): Promise<{ seq: number; value: unknown } | undefined> =>
      (await readOnlyQuery<{ seq: number; snapshot_json: string }>(file, "SELECT seq, snapshot_json FROM snapshots WHERE vault_id = 'hot'"))
        .map((r) => ({ seq: r.seq, value: (JSON.parse(r.snapshot_json) as { value: unknown }).value }))[0];
    // The decision is durable (a crash now leaves it in the journal); the snapshot is still the one before it.
    const crash = await crashCopy(path);
    expect(crash.foldedDecisions).toBe(1);
    expect((await readOnlyQuery<{ n: number }>(crash.path, `SELECT count(*) AS n FROM journal WHERE vault_id = 'hot' AND seq = ${decision}`))[0]?.n).toBe(1);
    expect((await snapshot(crash.path))?.seq).toBeLessThan(decision as number);
    await run.engine.commit();
    // The shared commit wrote the decision's rows into the tables with the snapshot at it.
    expect((await readOnlyQuery<{ n: number }>(path, `SELECT count(*) AS n FROM journal WHERE vault_id = 'hot' AND seq = ${decision}`))[0]?.n).toBe(1);
    expect(await snapshot(path)).toEqual({ seq: decision, value: 'hedging' });
    expect((await crashCopy(path)).foldedDecisions).toBe(0);
    expect((await verifyJournal(run.store)).ok).toBe(true);
    run.stop();
    await run.engine.stop(0);
    await run.store.close();
  });

  it('a crash right after the decision\'s commit: recovery resumes the hedge without placing it twice; the other vaults lost only uncommitted ticks', async () => {
    const path = join(dir, `hf-${++fileNo}.db`);
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
    // hot hedge, and its commit carries hot's rows of both ticks, but no offset.
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
    // The decision was durable ahead of the tables and without its snapshot: the start wrote it
    // into the tables, and recovery folded it as a journal tail.
    expect(report.foldedDecisions).toBe(1);
    expect(report.vaults.find((x) => x.vaultId === 'hot')).toMatchObject({ from: 'snapshot', tailEvents: 2, state: 'hedging' });
    // No offset is durable: tick 1's rows of the other vaults were lost with the process, so a
    // replaying feed must give tick 1 again (hot, having it, skips it by event time).
    expect(report.offsets).toEqual({});
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

  it('a decision made while a shared commit is being written goes in the next transaction; its order waits for it, and no offset gets ahead of a row', async () => {
    const path = join(dir, `hf-${++fileNo}.db`);
    let gate!: GatedStore;
    const v = instantVenue();
    const run = await liveEngine(path, v, 3, (s) => { gate = gatedStore(s); return gate.store; });
    run.ticks.next(tick(1, 23_010)); // nobody crosses: every vault's tick-1 row waits in the shared batch
    await until(() => run.engine.offset('feed') === 1, 'tick 1 given to every vault');
    gate.hold();
    const shared = run.engine.commit();
    expect(shape(await gate.nextCommit())).toMatchObject({ journal: ['hot', 'q0', 'q1'], offsets: [{ source: 'feed', offset: 1 }] });
    // While it is being written, an operator's flatten makes q0 hedge.
    run.engine.dispatch('q0', { type: 'control.flatten', at: T0 + 90_000 });
    await gate.pass();
    await shared;
    // The decision's own transaction comes next; its order leaves only once it is written.
    expect(shape(await gate.nextCommit())).toEqual({ journal: ['q0'], snapshots: 0, offsets: [], orders: ['q0:pending'] });
    expect(gate.kinds.at(-1)).toBe('decision');
    expect(v.placed).toEqual([]);
    await gate.open();
    await until(() => v.placed.length === 1, 'the flatten order was placed');
    await until(() => run.engine.vault('q0')?.state !== 'hedging', 'the fill was applied');
    run.stop();
    await run.engine.stop();
    expect((await verifyJournal(run.store)).ok).toBe(true);
    expect(await run.store.sourceOffsets()).toEqual([{ source: 'feed', offset: 1 }]);
    await run.store.close();
  });
});
