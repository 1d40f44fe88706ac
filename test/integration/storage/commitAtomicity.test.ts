// A batch that breaks an invariant writes nothing, and the store stays usable.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalStore } from '../../../storage/journalStore.ts';
import { MemoryJournalStore } from '../../../storage/memoryJournalStore.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { StorageError } from '../../../storage/storageError.ts';
import { batch, fillRow, hedgeOrderRow, journalRow, rejectedRow, snapshotRow, tempDir } from './storageFixtures.ts';

async function everything(store: JournalStore) {
  return {
    journal: await store.readJournal({}),
    snapshots: await store.latestSnapshots(),
    fills: await store.fillsOf('v1'),
    orders: await store.hedgeOrders(),
    rejected: await store.rejectedInputs(),
    offsets: await store.sourceOffsets(),
  };
}

// Small batches commit as one exec() with inlined literals, larger ones with bound parameters
// (storage/queries/commitBatch.ts); inlineMaxRows 0 forces the second path. The in-memory store
// of backtests refuses the same batches (its errors carry no SQLite code: no SQLite refused them).
const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const STORES: [string, () => Promise<JournalStore>, string | undefined][] = [
  ['one exec()', () => SqliteJournalStore.open({ path: tmp.file(`a-${++n}.db`), create: 'if-missing' }), 'SQLITE_CONSTRAINT'],
  ['bound parameters', () => SqliteJournalStore.open({ path: tmp.file(`a-${++n}.db`), create: 'if-missing', inlineMaxRows: 0 }), 'SQLITE_CONSTRAINT'],
  ['MemoryJournalStore', () => Promise.resolve(new MemoryJournalStore()), undefined],
];

describe.each(STORES)('commit atomicity (%s)', (_path, open, code) => {
  let store: JournalStore;
  beforeEach(async () => {
    store = await open();
    await store.commit(batch({ journal: [journalRow('v1', 1)], fills: [fillRow('f-1', 'v1', 1)], snapshots: [snapshotRow('v1', 1)] }));
  });
  afterEach(async () => {
    await store.close();
  });

  // Every bad batch also carries good rows of every table, which must not appear.
  const goodRest = {
    snapshots: [snapshotRow('v1', 9)],
    hedgeOrders: [hedgeOrderRow('v1-1', 'v1')],
    rejected: [rejectedRow('nan-price')],
    offsets: [{ source: 's', offset: 9 }],
  };
  const cases: [string, () => ReturnType<typeof batch>][] = [
    ['a fill id already stored', () => batch({ ...goodRest, journal: [journalRow('v1', 2)], fills: [fillRow('f-2', 'v1', 2), fillRow('f-1', 'v1', 2)] })],
    ['a fill id twice in the batch', () => batch({ ...goodRest, journal: [journalRow('v1', 2)], fills: [fillRow('f-3', 'v1', 2), fillRow('f-3', 'v1', 2)] })],
    ['a (vault, seq) already stored', () => batch({ ...goodRest, journal: [journalRow('v1', 2), journalRow('v1', 1)] })],
    ['a (vault, seq) twice in the batch', () => batch({ ...goodRest, journal: [journalRow('v2', 1), journalRow('v2', 1)] })],
    ['a NaN delta', () => batch({ ...goodRest, journal: [journalRow('v1', 2, { deltaBtc: Number.NaN })] })],
    ['an undefined event', () => batch({ ...goodRest, journal: [journalRow('v1', 2, { event: undefined })] })],
    ['a seq below 1', () => batch({ ...goodRest, journal: [journalRow('v1', 0)] })],
    ['a fill side that is not buy or sell', () => batch({ ...goodRest, fills: [{ ...fillRow('f-4', 'v1', 2), side: 'short' as 'buy' }] })],
    ['an order status not in the list', () => batch({ ...goodRest, hedgeOrders: [hedgeOrderRow('v1-2', 'v1', { status: 'done' as 'filled' })] })],
  ];

  it.each(cases)('rejects %s with kind constraint and writes nothing', async (_name, make) => {
    const before = await everything(store);
    const err = await store.commit(make()).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kind).toBe('constraint');
    expect((err as StorageError).code).toBe(code);
    expect((err as StorageError).message).toMatch(/nothing of this transaction was written/);
    expect(await everything(store)).toEqual(before);
    // The connection is not left inside a transaction: the next good commit works.
    await store.commit(batch({ journal: [journalRow('v1', 2)], fills: [fillRow('f-9', 'v1', 2)] }));
    expect((await store.readJournal({ vaultId: 'v1' })).map((r) => r.seq)).toEqual([1, 2]);
  });

  it('refuses non-finite numbers (a NaN or infinite delta, size or price is a broken invariant) and writes nothing', async () => {
    const before = await everything(store);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const err = await store.commit(batch({ journal: [journalRow('v1', 2, { deltaBtc: bad })] })).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).kind).toBe('constraint');
      const err2 = await store.commit(batch({ hedgeOrders: [hedgeOrderRow('o-bad', 'v1', { filledBtc: bad })] })).then(() => undefined, (e: unknown) => e);
      expect((err2 as StorageError).kind).toBe('constraint');
    }
    expect(await everything(store)).toEqual(before);
  });

  // A second connection: the SQLite store's files only.
  if (code !== undefined) it('keeps a failed batch invisible to a second connection too', async () => {
    const other = await SqliteJournalStore.open({ path: (store as SqliteJournalStore).path });
    try {
      await expect(store.commit(batch({ journal: [journalRow('v1', 5), journalRow('v1', 1)] }))).rejects.toBeInstanceOf(StorageError);
      expect((await other.readJournal({})).map((r) => r.seq)).toEqual([1]);
    } finally {
      await other.close();
    }
  });
});
