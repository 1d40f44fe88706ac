// The committed-state loop on the real sqlite3 journal and the in-process simulated venue.
import { describe, expect, it } from 'vitest';
import type { CommitBatch, JournalStore } from '../../../storage/journalStore.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import { loadVaultStates } from '../../../src/engine/vaultStates.ts';
import { foldRows } from '../../../src/engine/recovery.ts';
import { openEngine } from '../../../src/engine/openEngine.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import type { HedgeVenue, IocOrderRequest } from '../../../src/venues/hedgeVenue.ts';
import { journalOf, memoryStore, priceSlice, replayAll, simVenue, startEngine } from '../../fixtures/engineHarness.ts';
import { hedgingPair, straddleVault } from '../../fixtures/vaults.ts';

const records = priceSlice(1_500);
const vaults = hedgingPair;

describe('engine loop', () => {
  it('hedges, journals every change, leaves no order pending and verifies', async () => {
    const store = await memoryStore();
    const venue = await simVenue(records);
    const run = await startEngine(store, venue, vaults());
    await replayAll(run, records);
    const orders = await store.hedgeOrders();
    expect(orders.length).toBeGreaterThan(5);
    expect(orders.filter((o) => o.status === 'pending' || o.status === 'open')).toEqual([]);
    // Every hedge order the journal knows is one the venue filled (no extra, no missing), and
    // the venue position equals the vaults' perp positions.
    const pos = await venue.position('BTC-PERP');
    const perp = run.engine.vaultIds().reduce((s, id) => s + (run.engine.vault(id)?.context.perpBtc ?? 0), 0);
    expect(pos.sizeBtc).toBeCloseTo(perp, 9);
    for (const o of orders) expect((await venue.lookup(o.clientOrderId)).status).not.toBe('unknown');
    // Journal seqs are 1..n per vault without gaps.
    for (const id of await store.vaultIds()) {
      const rows = await store.readJournal({ vaultId: id });
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    }
    expect((await verifyJournal(store)).ok).toBe(true);
    await run.engine.stop();
    await store.close();
  });

  it('places a hedge only after the commit that assigned its client order id', async () => {
    const inner = await memoryStore();
    const committedOrders = new Set<string>();
    const store: JournalStore = Object.assign(Object.create(inner) as JournalStore, {
      commit: async (b: CommitBatch) => {
        await inner.commit(b);
        for (const o of b.hedgeOrders) committedOrders.add(o.clientOrderId);
      },
    });
    const base = await simVenue(records);
    const placed: string[] = [];
    const venue: HedgeVenue = Object.assign(Object.create(base) as HedgeVenue, {
      placeIoc: (req: IocOrderRequest) => {
        expect(committedOrders.has(req.clientOrderId), `${req.clientOrderId} placed before its commit`).toBe(true);
        placed.push(req.clientOrderId);
        return base.placeIoc(req);
      },
    });
    const run = await startEngine(store, venue, vaults());
    await replayAll(run, records.slice(0, 600));
    expect(placed.length).toBeGreaterThan(2);
    expect(new Set(placed).size).toBe(placed.length);
    await run.engine.stop();
  });

  it('a failed commit stops the engine and nothing uncommitted reaches the venue', async () => {
    const inner = await memoryStore();
    let commits = 0;
    const store: JournalStore = Object.assign(Object.create(inner) as JournalStore, {
      commit: async (b: CommitBatch) => {
        commits += 1;
        if (b.hedgeOrders.some((o) => o.status === 'pending')) throw new Error('disk full (injected)');
        await inner.commit(b);
      },
    });
    const base = await simVenue(records);
    let placements = 0;
    const venue: HedgeVenue = Object.assign(Object.create(base) as HedgeVenue, {
      placeIoc: (req: IocOrderRequest) => { placements++; return base.placeIoc(req); },
    });
    const run = await startEngine(store, venue, vaults());
    await expect(replayAll(run, records)).rejects.toThrow(/disk full/);
    expect(commits).toBeGreaterThan(0);
    expect(placements).toBe(0);
    expect(run.engine.failed?.message).toMatch(/disk full/);
    expect(() => run.engine.dispatch('a', { type: 'feed.stale', at: 1 })).toThrow(/disk full/);
  });

  it('snapshots on state changes and every 100 events; a crashed run (no clean stop) still verifies and reads back whole', async () => {
    const store = await memoryStore();
    const run = await startEngine(store, await simVenue(records), vaults());
    await replayAll(run, records.slice(0, 400), { commitEveryRows: 37 });
    // No engine.stop(): as after a kill, the newest snapshot may trail the journal.
    const snaps = new Map((await store.latestSnapshots()).map((x) => [x.vaultId, x.seq]));
    const states = await loadVaultStates(store);
    let trailing = 0;
    for (const v of states) {
      const rows = await store.readJournal({ vaultId: v.vaultId });
      expect(v.seq).toBe(rows.length);
      expect(v.context).toEqual(run.engine.vault(v.vaultId)?.context);
      const snapSeq = snaps.get(v.vaultId) ?? 0;
      expect(v.seq - snapSeq).toBeLessThanOrEqual(100);
      if (snapSeq < v.seq) trailing++;
    }
    expect(trailing).toBeGreaterThan(0);
    expect((await verifyJournal(store)).ok).toBe(true);
  });

  it('never misreads a snapshot of another machine version: the vault is rebuilt from its journal', async () => {
    const store = await memoryStore();
    const venue = await simVenue(records);
    const first = await startEngine(store, venue, vaults());
    await replayAll(first, records.slice(0, 300), { takers: null });
    await first.engine.stop();
    const want = first.engine.vault('a')?.context;
    // An old snapshot (version 0) with a state that no longer means the same thing.
    const snap = (await store.latestSnapshots()).find((x) => x.vaultId === 'a');
    await store.commit({ journal: [], fills: [], hedgeOrders: [], rejected: [], offsets: [], snapshots: [{ vaultId: 'a', seq: snap?.seq ?? 0, machineVersion: 0, snapshot: { value: 'gone', context: {} } }] });
    const { engine, report } = await openEngine({ store, venue, market: 'BTC-PERP', log: silentLogger, mode: 'lockstep', clock: { now: () => 0 } }, vaults());
    expect(report.vaults.find((v) => v.vaultId === 'a')?.from).toBe('journal');
    expect(engine.vault('a')?.context).toEqual(want);
    await engine.stop();
  });

  it('settles an expiry at 08:00 UTC at the price of that minute and drops the leg', async () => {
    const expiry = Date.UTC(2023, 2, 1, 8);
    const vault = straddleVault({}, 'x');
    vault.book = [
      ...vault.book,
      { instrument: 'BTC-1MAR23-23000-C', kind: 'call', strikeUsd: 23_000, expiryMs: expiry, qty: -2, volPerYear: 0.6 },
    ];
    const store = await memoryStore();
    const run = await startEngine(store, await simVenue(records), [vault]);
    await replayAll(run, records.slice(0, 600), { takers: null });
    const rows = await store.readJournal({ vaultId: 'x' });
    const settled = rows.filter((r) => r.eventType === 'expiry.settled');
    expect(settled).toHaveLength(1);
    const ev = settled[0]!.event as { at: number; settlementPriceUsd: number };
    const tick = records.find((r) => r.ok && r.value.at === expiry);
    expect(ev.at).toBe(expiry);
    expect(ev.settlementPriceUsd).toBe(tick?.ok ? tick.value.priceUsd : NaN);
    const ctx = run.engine.vault('x')!.context;
    expect(ctx.book.map((l) => l.instrument)).not.toContain('BTC-1MAR23-23000-C');
    // The short call's payoff left the vault's cash: -2 * max(0, S - K), replayed from the journal.
    const cashAt = (seq: number) => foldRows(null, rows.filter((r) => r.seq <= seq)).context.cashUsd;
    const s = settled[0]!.seq;
    expect(cashAt(s) - cashAt(s - 1)).toBeCloseTo(-2 * Math.max(0, ev.settlementPriceUsd - 23_000), 6);
    await run.engine.stop();
  });

  it('is deterministic: the same inputs and seed give the same journal', async () => {
    const journals: unknown[][] = [];
    for (let i = 0; i < 2; i++) {
      const store = await memoryStore();
      const run = await startEngine(store, await simVenue(records), vaults());
      await replayAll(run, records.slice(0, 800));
      journals.push(await journalOf(store));
      await run.engine.stop();
    }
    expect(journals[0]!.length).toBeGreaterThan(1_000);
    expect(journals[1]).toEqual(journals[0]);
  });

  it('a rejected garbage line changes nothing downstream', async () => {
    const clean = priceSlice(700);
    const dirty = priceSlice(700, (lines) => [...lines.slice(0, 300), 'garbage,line,not,a,price,row', '2023-03-01 04:59:30+00:00,1,1,1,NaN,1', ...lines.slice(300)]);
    const out: unknown[][] = [];
    for (const recs of [clean, dirty]) {
      const store = await memoryStore();
      const run = await startEngine(store, await simVenue(clean), vaults());
      await replayAll(run, recs);
      out.push((await journalOf(store)).map((r) => { const { sourceOffset: _o, ...rest } = r as { sourceOffset: unknown }; return rest; }));
      if (recs === dirty) expect(Object.values(await store.rejectedCounts()).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
      await run.engine.stop();
    }
    expect(out[1]).toEqual(out[0]);
  });
});
