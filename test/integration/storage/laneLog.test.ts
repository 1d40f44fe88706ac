// The lane log on the real sqlite3 store: an entry is durable and visible through every read
// before it is moved; the commit that moves it deletes it in the same transaction; start-up
// drains what a crash left; moved rows are bit for bit the rows a direct commit writes; what
// the tables would refuse is refused before anything is written.
import fc from 'fast-check';
import sqlite3 from 'sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnlyQuery } from '../../fixtures/readOnlyQuery.ts';
import type { CommitBatch } from '../../../storage/journalStore.ts';
import { JsonText } from '../../../storage/jsonText.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { StorageError } from '../../../storage/storageError.ts';
import { batch, fillRow, hedgeOrderRow, journalRow, snapshotRow, tempDir } from './storageFixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = (): Promise<SqliteJournalStore> => SqliteJournalStore.open({ path: tmp.file(`lane-${++n}.db`), create: 'if-missing' });

const count = async (file: string, table: string): Promise<number> => (await readOnlyQuery<{ n: number }>(file, `SELECT count(*) AS n FROM ${table}`))[0]?.n ?? -1;

/** Everything the reads return: what status, journal, verify and recovery see. */
async function view(s: SqliteJournalStore): Promise<unknown> {
  return {
    journal: await s.readJournal({}),
    limited: await s.readJournal({ limit: 3 }),
    tailA: await s.journalTail('a', 1),
    lastA: await s.lastTransition('a'),
    lastB: await s.lastTransition('b'),
    ids: await s.vaultIds(),
    snapshots: await s.latestSnapshots(),
    open: await s.openHedgeOrders(),
    orders: await s.hedgeOrders(),
    ordersB: await s.hedgeOrders('b'),
    fillsA: await s.fillsOf('a'),
    known: [...await s.knownFillIds(['f-1', 'f-2', 'f-9'])].sort(),
  };
}

const before = batch({
  journal: [journalRow('a', 1), journalRow('b', 1)],
  snapshots: [snapshotRow('a', 1)],
  hedgeOrders: [hedgeOrderRow('a-1', 'a')],
  fills: [fillRow('f-1', 'a', 1)],
});
// A hedge decision of b and the fill of a's order, as the urgent lane would write them.
const lane = batch({
  journal: [journalRow('a', 2, { fromState: 'hedging', toState: 'cooldown' }), journalRow('b', 2, { toState: 'hedging' })],
  snapshots: [snapshotRow('a', 2), { vaultId: 'b', seq: 2, machineVersion: 1, snapshot: new JsonText('{"value":"hedging","context":{"x":[1,2.5]}}') }],
  hedgeOrders: [hedgeOrderRow('a-1', 'a', { status: 'filled', filledBtc: 3.2, avgPriceUsd: 22_990.125 }), hedgeOrderRow('b-1', 'b', { createdAt: 1_677_628_870_000 })],
  fills: [fillRow('f-2', 'a', 2)],
});
const plain = (b: CommitBatch): CommitBatch => JSON.parse(JSON.stringify(b)) as CommitBatch;

describe('lane log', () => {
  it('an appended entry is visible through every read exactly as if committed, and moves into the tables with the commit that deletes it', async () => {
    const s = await fresh();
    const direct = await fresh();
    await s.commit(before);
    await direct.commit(before);
    await direct.commit(plain(lane));
    const expected = await view(direct);

    const id = await s.appendLaneLog(lane);
    expect(id).toBeGreaterThan(0);
    expect(await count(s.path, 'lane_log')).toBe(1);
    expect(await count(s.path, 'journal')).toBe(2); // not in the tables yet
    expect(await view(s)).toEqual(expected);
    // A second connection (status while the engine runs) sees the same.
    const other = await SqliteJournalStore.open({ path: s.path });
    expect(await view(other)).toEqual(expected);

    await s.commit({ ...plain(lane), laneLogThrough: id });
    expect(await count(s.path, 'lane_log')).toBe(0);
    expect(await count(s.path, 'journal')).toBe(4);
    expect(await view(s)).toEqual(expected);
    expect(await view(other)).toEqual(expected);
    await other.close();
    await s.close();
    await direct.close();
  });

  it('start-up drains what a crash left, in entry order, once', async () => {
    const s = await fresh();
    await s.commit(before);
    await s.appendLaneLog(lane);
    await s.appendLaneLog(batch({ journal: [journalRow('b', 3, { toState: 'cooldown' })], hedgeOrders: [hedgeOrderRow('b-1', 'b', { status: 'filled' })], snapshots: [snapshotRow('b', 3)] }));
    const seen = await view(s);
    await s.close();
    const again = await SqliteJournalStore.open({ path: s.path });
    expect(await again.drainLaneLog()).toBe(2);
    expect(await again.drainLaneLog()).toBe(0);
    expect(await count(s.path, 'lane_log')).toBe(0);
    expect(await view(again)).toEqual(seen);
    // The later entry's order row and snapshot won.
    expect((await again.hedgeOrders('b')).map((o) => o.status)).toEqual(['filled']);
    expect((await again.latestSnapshots()).find((x) => x.vaultId === 'b')?.seq).toBe(3);
    await again.close();
  });

  it('a move that fails rolls back whole: the entry stays and the reads do not change', async () => {
    const s = await fresh();
    await s.commit(before);
    const id = await s.appendLaneLog(lane);
    const seen = await view(s);
    // journal (a, 1) again: a broken invariant, refused by the unique key.
    await expect(s.commit({ ...plain(lane), journal: [journalRow('a', 1), ...lane.journal], laneLogThrough: id })).rejects.toThrow(/UNIQUE|constraint/i);
    expect(await count(s.path, 'lane_log')).toBe(1);
    expect(await view(s)).toEqual(seen);
    await s.close();
  });

  it('refuses before writing anything what the tables would refuse at the move', async () => {
    const s = await fresh();
    const bad: [string, CommitBatch][] = [
      ['NaN delta', batch({ journal: [journalRow('a', 1, { deltaBtc: Number.NaN })] })],
      ['infinite price', batch({ journal: [journalRow('a', 1, { priceUsd: Number.POSITIVE_INFINITY })] })],
      ['infinite source offset', batch({ journal: [journalRow('a', 1, { sourceOffset: Number.NEGATIVE_INFINITY })] })],
      ['missing event', batch({ journal: [{ ...journalRow('a', 1), event: undefined }] })],
      ['null order size', batch({ hedgeOrders: [hedgeOrderRow('a-1', 'a', { sizeBtc: null as unknown as number })] })],
      ['undefined snapshot', batch({ snapshots: [{ vaultId: 'a', seq: 1, machineVersion: 1, snapshot: undefined }] })],
      ['an offset', batch({ journal: [journalRow('a', 1)], offsets: [{ source: 'p', offset: 1 }] })],
    ];
    for (const [what, b] of bad) {
      const err = await s.appendLaneLog(b).then(() => null, (e: unknown) => e);
      expect(err, what).toBeInstanceOf(StorageError);
      expect((err as StorageError).kind, what).toBe('constraint');
    }
    expect(await count(s.path, 'lane_log')).toBe(0);
    await s.close();
  });

  it('a corrupt entry stops reads and start-up with a clear error', async () => {
    const s = await fresh();
    await new Promise<void>((res, rej) => {
      const db = new sqlite3.Database(s.path);
      db.run("INSERT INTO lane_log (payload) VALUES ('{\"journal\": [')", (err) => db.close(() => (err ? rej(err) : res())));
    });
    await expect(s.readJournal({})).rejects.toThrow(/lane log entry 1 is not JSON/);
    await expect(s.drainLaneLog()).rejects.toThrow(/lane log entry 1 is not JSON/);
    await s.close();
  });

  it('property: rows moved through the lane log read back bit for bit as a direct commit writes them', async () => {
    // Finite doubles only (the tables refuse the rest); -0 is stored as 0 either way.
    const num = fc.double({ noNaN: true, noDefaultInfinity: true });
    const text = fc.string({ maxLength: 10, unit: 'binary' });
    const rowArb = fc.record({ delta: num, price: num, size: num, fillPx: num, reason: text, event: fc.jsonValue({ maxDepth: 2 }), snap: fc.jsonValue({ maxDepth: 2 }) });
    const s = await fresh();
    const d = await fresh();
    let seq = 0;
    await fc.assert(fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 4 }), async (rows) => {
      const b = batch({});
      for (const r of rows) {
        seq += 1;
        b.journal.push(journalRow('a', seq, { deltaBtc: r.delta, priceUsd: r.price, reason: r.reason, event: r.event }));
        b.snapshots.push({ vaultId: 'a', seq, machineVersion: 1, snapshot: r.snap });
        b.hedgeOrders.push(hedgeOrderRow(`a-${seq}`, 'a', { sizeBtc: r.size, avgPriceUsd: r.fillPx, reason: r.reason }));
        b.fills.push({ ...fillRow(`f-${seq}`, 'a', seq), priceUsd: r.fillPx });
      }
      const id = await s.appendLaneLog(b);
      const merged = await view(s);
      await s.commit({ ...plain(b), laneLogThrough: id });
      await d.commit(b);
      const direct = await view(d);
      expect(await view(s)).toEqual(direct);
      expect(merged).toEqual(direct);
    }), { numRuns: 60 });
    await s.close();
    await d.close();
  });
});
