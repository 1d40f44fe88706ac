import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalStore } from '../../../storage/journalStore.ts';
import { MemoryJournalStore } from '../../../storage/memoryJournalStore.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { StorageError } from '../../../storage/storageError.ts';
import { batch, fillRow, hedgeOrderRow, journalRow, rejectedRow, snapshotRow, tempDir } from './storageFixtures.ts';

// The backtests' in-memory store answers every read as the SQLite store does.
const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
describe.each([
  ['SqliteJournalStore', (): Promise<JournalStore> => SqliteJournalStore.open({ path: tmp.file(`rt-${++n}.db`), create: 'if-missing' })],
  ['MemoryJournalStore', (): Promise<JournalStore> => Promise.resolve(new MemoryJournalStore())],
])('%s round trips', (_name, open) => {
  let store: JournalStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('writes and reads back every row type', async () => {
    const journal = [journalRow('v1', 1), journalRow('v1', 2, { source: null, sourceOffset: null }), journalRow('v2', 1)];
    const snapshots = [snapshotRow('v1', 2), snapshotRow('v2', 1)];
    const fills = [fillRow('f-1', 'v1', 2), fillRow('f-2', 'v2', 1)];
    const orders = [hedgeOrderRow('v1-1', 'v1'), hedgeOrderRow('v2-1', 'v2', { status: 'filled', filledBtc: 3.2, reason: 'done' })];
    const rejected = [rejectedRow('nan-price'), rejectedRow('out-of-order', { at: 5, sourceOffset: null })];
    const offsets = [{ source: 'prices:btcusdt.csv', offset: 20 }];
    await store.commit(batch({ journal, snapshots, fills, hedgeOrders: orders, rejected, offsets }));

    expect(await store.readJournal({})).toEqual(journal);
    expect(await store.latestSnapshots()).toEqual(snapshots);
    expect(await store.fillsOf('v1')).toEqual([fills[0]]);
    expect(await store.fillsOf('v2')).toEqual([fills[1]]);
    expect(await store.hedgeOrders()).toEqual(orders);
    expect(await store.hedgeOrders('v2')).toEqual([orders[1]]);
    expect(await store.openHedgeOrders()).toEqual([orders[0]]);
    expect(await store.rejectedInputs()).toEqual(rejected);
    expect(await store.rejectedInputs(1)).toEqual([rejected[1]]);
    expect(await store.rejectedCounts()).toEqual({ 'nan-price': 1, 'out-of-order': 1 });
    expect(await store.sourceOffsets()).toEqual(offsets);
    expect(await store.vaultIds()).toEqual(['v1', 'v2']);
  });

  it('upserts snapshots, hedge orders and offsets; last write wins within a batch', async () => {
    await store.commit(batch({ snapshots: [snapshotRow('v1', 1)], hedgeOrders: [hedgeOrderRow('v1-1', 'v1')], offsets: [{ source: 's', offset: 1 }] }));
    const filled = hedgeOrderRow('v1-1', 'v1', { status: 'filled', filledBtc: 3.2, avgPriceUsd: 22_960, feeUsd: 1.5, updatedAt: 1_677_628_900_000 });
    await store.commit(batch({
      snapshots: [snapshotRow('v1', 2), snapshotRow('v1', 3)],
      hedgeOrders: [hedgeOrderRow('v1-1', 'v1', { status: 'open' }), filled],
      offsets: [{ source: 's', offset: 2 }, { source: 's', offset: 3 }],
    }));
    expect(await store.latestSnapshots()).toEqual([snapshotRow('v1', 3)]);
    expect(await store.hedgeOrders()).toEqual([filled]);
    expect(await store.openHedgeOrders()).toEqual([]);
    expect(await store.sourceOffsets()).toEqual([{ source: 's', offset: 3 }]);
  });

  it('filters the journal by vault, sinceSeq and limit, in seq order', async () => {
    const rows = [];
    for (let seq = 1; seq <= 5; seq++) rows.push(journalRow('b', seq), journalRow('a', seq));
    await store.commit(batch({ journal: rows }));
    const seqs = (rs: { vaultId: string; seq: number }[]) => rs.map((r) => `${r.vaultId}${r.seq}`);
    expect(seqs(await store.readJournal({ vaultId: 'a' }))).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(seqs(await store.readJournal({ vaultId: 'b', sinceSeq: 3 }))).toEqual(['b4', 'b5']);
    expect(seqs(await store.readJournal({ vaultId: 'b', sinceSeq: 1, limit: 2 }))).toEqual(['b2', 'b3']);
    expect(seqs(await store.readJournal({ sinceSeq: 4 }))).toEqual(['a5', 'b5']);
    expect(seqs(await store.readJournal({ limit: 3 }))).toEqual(['a1', 'a2', 'a3']);
    expect(seqs(await store.journalTail('a', 2))).toEqual(['a3', 'a4', 'a5']);
    expect(await store.journalTail('zzz', 0)).toEqual([]);
  });

  it('lastTransition is the newest row of the vault whose state changed, or null', async () => {
    const same = { fromState: 'neutral', toState: 'neutral' };
    await store.commit(batch({ journal: [
      journalRow('v1', 1, same), journalRow('v1', 2, { fromState: 'neutral', toState: 'overexposed' }),
      journalRow('v1', 3, { fromState: 'overexposed', toState: 'hedging' }), journalRow('v1', 4, { fromState: 'hedging', toState: 'hedging' }),
      journalRow('v2', 1, same), journalRow('v3', 1, { fromState: 'neutral', toState: 'halted' }),
    ] }));
    expect((await store.lastTransition('v1'))?.seq).toBe(3);
    expect(await store.lastTransition('v2')).toBeNull();
    expect(await store.lastTransition('nope')).toBeNull();
    expect(await store.lastTransition('v3')).toEqual((await store.readJournal({ vaultId: 'v3' }))[0]);
  });

  it('knownFillIds returns exactly the stored subset, also past the parameter limit', async () => {
    const fills = Array.from({ length: 50 }, (_, i) => fillRow(`f-${i}`, 'v1', i + 1));
    await store.commit(batch({ fills }));
    const asked = ['f-3', 'nope', 'f-49', 'f-3', 'f-50'];
    expect(await store.knownFillIds(asked)).toEqual(new Set(['f-3', 'f-49']));
    expect(await store.knownFillIds([])).toEqual(new Set());
    const many = Array.from({ length: 40_000 }, (_, i) => `x-${i}`).concat(['f-0']);
    expect(await store.knownFillIds(many)).toEqual(new Set(['f-0']));
  });

  it('writes batches larger than one statement (chunking under the variable limit)', async () => {
    const rows = Array.from({ length: 6000 }, (_, i) => journalRow(`v${i % 7}`, Math.floor(i / 7) + 1));
    await store.commit(batch({ journal: rows }));
    const back = await store.readJournal({});
    expect(back.length).toBe(6000);
    expect(await store.journalTail('v3', 850)).toEqual(rows.filter((r) => r.vaultId === 'v3' && r.seq > 850));
  });

  it('refuses work after close', async () => {
    const s = await open();
    await s.close();
    await expect(s.commit(batch({ journal: [journalRow('v', 1)] }))).rejects.toMatchObject({ kind: 'closed' });
    await expect(s.latestSnapshots()).rejects.toBeInstanceOf(StorageError);
  });
});
