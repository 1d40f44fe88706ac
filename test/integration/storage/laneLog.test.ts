// Hedge decisions ahead of the tables (JournalStore.commitDecision; storage/queries/laneLog.ts)
// on the real sqlite3 store. A decision is durable at once; the reads show the tables only, until
// the next commit writes it into them and deletes its entry in the same transaction; the start of
// an engine folds what a crash left (foldDecisions), exactly as releases whose readers merged the
// lane log showed it (the table's journal row and fill win over a lane copy, a snapshot only
// moves forward, the lane's order rows win, later entries over earlier ones, rows of entries
// older than schema 3 are machine version 1), bit for bit, including databases that release
// itself left at a crash (test/fixtures/lane-log). What the tables would refuse is refused
// before anything is written.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { crashCopy } from '../../fixtures/crashCopy.ts';
import { readOnlyQuery } from '../../fixtures/readOnlyQuery.ts';
import type { CommitBatch } from '../../../storage/journalStore.ts';
import { MIGRATIONS, runMigrations } from '../../../storage/migrations.ts';
import { openDatabase } from '../../../storage/openDatabase.ts';
import { commitBatch } from '../../../storage/queries/commitBatch.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { StorageError } from '../../../storage/storageError.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import { storeView } from '../../fixtures/storeView.ts';
import { batch, fillRow, hedgeOrderRow, journalRow, snapshotRow, tempDir } from './storageFixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

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

/** A lane log entry's text as the release that had one wrote it (storage/queries/laneLog.ts then). */
const entry = (b: Partial<CommitBatch>): string =>
  JSON.stringify({ journal: b.journal ?? [], snapshots: b.snapshots ?? [], fills: b.fills ?? [], hedgeOrders: b.hedgeOrders ?? [] });

/** A database of schema version 3: `tables` committed, then `entries` left in the lane log (a crash). */
async function oldDatabase(tables: CommitBatch, entries: readonly string[]): Promise<string> {
  const path = tmp.file(`old-${++n}.db`);
  const conn = await openDatabase({ path, create: 'if-missing', migrate: false });
  expect(await runMigrations(conn, MIGRATIONS.slice(0, 3))).toEqual([1, 2, 3]);
  await commitBatch(conn, tables);
  for (const e of entries) await conn.run('INSERT INTO lane_log (payload) VALUES (?)', [e]);
  await conn.close();
  return path;
}

/** A database with `batches` committed in order into the tables: what the merging readers showed. */
async function direct(...batches: CommitBatch[]): Promise<SqliteJournalStore> {
  const s = await SqliteJournalStore.open({ path: tmp.file(`direct-${++n}.db`), create: 'if-missing' });
  for (const b of batches) await s.commit(b);
  return s;
}

const tables = batch({
  journal: [journalRow('a', 1), journalRow('b', 1)],
  snapshots: [snapshotRow('a', 1), snapshotRow('b', 1)],
  hedgeOrders: [hedgeOrderRow('a-1', 'a')],
  fills: [fillRow('f-1', 'a', 1)],
});
// A hedge decision of b and the fill of a's order, as the old engine left them in the lane log.
const lane1 = batch({
  journal: [journalRow('a', 2, { fromState: 'hedging', toState: 'cooldown', deltaBtc: 0.1 + 0.2 }), journalRow('b', 2, { toState: 'hedging', priceUsd: 1 / 3 })],
  hedgeOrders: [hedgeOrderRow('a-1', 'a', { status: 'filled', filledBtc: 3.2, avgPriceUsd: 22_990.125 }), hedgeOrderRow('b-1', 'b', { createdAt: 1_677_628_870_000 })],
  fills: [fillRow('f-2', 'a', 2)],
});
const lane2 = batch({
  journal: [journalRow('b', 3, { toState: 'cooldown' })],
  hedgeOrders: [hedgeOrderRow('b-1', 'b', { status: 'filled', filledBtc: 3.2, createdAt: 1_677_628_870_000 })],
  snapshots: [snapshotRow('b', 3)],
});

const laneEntries = async (file: string): Promise<number> => (await readOnlyQuery<{ n: number }>(file, 'SELECT count(*) AS n FROM lane_log'))[0]?.n ?? -1;

describe('decisions ahead of the tables (the lane log)', () => {
  it('a decision is durable at once; the reads show the tables until the next commit writes it into them and deletes its entry', async () => {
    const s = await SqliteJournalStore.open({ path: tmp.file(`live-${++n}.db`), create: 'if-missing' });
    await s.commit(tables);
    const decision = batch({ journal: lane1.journal, hedgeOrders: lane1.hedgeOrders, fills: lane1.fills });
    const seen = await view(s);
    await s.commitDecision(decision);
    expect(await laneEntries(s.path)).toBe(1);
    // Readers see the tables: the state as of the last commit.
    expect(await view(s)).toEqual(seen);
    // Durable: a crash now leaves the decision, which the next start writes into the tables.
    const crash = await crashCopy(s.path);
    expect(crash.foldedDecisions).toBe(1);
    const crashed = await SqliteJournalStore.open({ path: crash.path });
    const wantCrash = await direct(tables, decision);
    expect(await view(crashed)).toEqual(await view(wantCrash));
    // The next commit writes it, ahead of its own rows, and deletes the entry, in one transaction.
    const next = batch({ journal: lane2.journal, hedgeOrders: lane2.hedgeOrders, snapshots: lane2.snapshots });
    await s.commit(next);
    expect(await laneEntries(s.path)).toBe(0);
    const want = await direct(tables, decision, next);
    expect(await view(s)).toEqual(await view(want));
    for (const x of [s, crashed, wantCrash, want]) await x.close();
  });

  it('a commit that fails rolls back whole: the entry stays, the reads do not change, and the decision is still carried by the next commit', async () => {
    const s = await SqliteJournalStore.open({ path: tmp.file(`live-${++n}.db`), create: 'if-missing' });
    await s.commit(tables);
    const decision = batch({ journal: lane1.journal, hedgeOrders: lane1.hedgeOrders });
    await s.commitDecision(decision);
    const seen = await view(s);
    // journal (a, 1) again: a broken invariant, refused by the unique key.
    await expect(s.commit(batch({ journal: [journalRow('a', 1)] }))).rejects.toThrow(/UNIQUE|constraint/i);
    expect(await laneEntries(s.path)).toBe(1);
    expect(await view(s)).toEqual(seen);
    await s.commit(batch({}));
    expect(await laneEntries(s.path)).toBe(0);
    const want = await direct(tables, decision);
    expect(await view(s)).toEqual(await view(want));
    await s.close();
    await want.close();
  });

  it('refuses before writing anything what the tables would refuse, and what a decision never holds (snapshots, offsets, refused inputs)', async () => {
    const s = await SqliteJournalStore.open({ path: tmp.file(`live-${++n}.db`), create: 'if-missing' });
    const bad: [string, CommitBatch][] = [
      ['NaN delta', batch({ journal: [journalRow('a', 1, { deltaBtc: Number.NaN })] })],
      ['infinite price', batch({ journal: [journalRow('a', 1, { priceUsd: Number.POSITIVE_INFINITY })] })],
      ['infinite source offset', batch({ journal: [journalRow('a', 1, { sourceOffset: Number.NEGATIVE_INFINITY })] })],
      ['missing event', batch({ journal: [{ ...journalRow('a', 1), event: undefined }] })],
      ['null order size', batch({ hedgeOrders: [hedgeOrderRow('a-1', 'a', { sizeBtc: null as unknown as number })] })],
      ['a snapshot', batch({ journal: [journalRow('a', 1)], snapshots: [snapshotRow('a', 1)] })],
      ['an offset', batch({ journal: [journalRow('a', 1)], offsets: [{ source: 'p', offset: 1 }] })],
    ];
    for (const [what, b] of bad) {
      const err = await s.commitDecision(b).then(() => null, (e: unknown) => e);
      expect(err, what).toBeInstanceOf(StorageError);
      expect((err as StorageError).kind, what).toBe('constraint');
    }
    expect(await laneEntries(s.path)).toBe(0);
    // Nothing refused is carried by the next commit either.
    await s.commit(batch({ journal: [journalRow('a', 1)] }));
    expect((await s.readJournal({})).map((r) => r.seq)).toEqual([1]);
    await s.close();
  });

  it('property: rows through a decision read back bit for bit as a direct commit writes them, whether the next commit or the next start writes them', async () => {
    // Finite doubles only (the tables refuse the rest); -0 is stored as 0 either way.
    const num = fc.double({ noNaN: true, noDefaultInfinity: true });
    const text = fc.string({ maxLength: 10, unit: 'binary' });
    const rowArb = fc.record({ delta: num, price: num, size: num, fillPx: num, reason: text, event: fc.jsonValue({ maxDepth: 2 }) });
    await fc.assert(fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 4 }), fc.boolean(), async (rows, crash) => {
      const b = batch({});
      rows.forEach((r, i) => {
        const seq = i + 1;
        b.journal.push(journalRow('a', seq, { deltaBtc: r.delta, priceUsd: r.price, reason: r.reason, event: r.event }));
        b.hedgeOrders.push(hedgeOrderRow(`a-${seq}`, 'a', { sizeBtc: r.size, avgPriceUsd: r.fillPx, reason: r.reason }));
        b.fills.push({ ...fillRow(`f-${seq}`, 'a', seq), priceUsd: r.fillPx });
      });
      const s = await SqliteJournalStore.open({ path: tmp.file(`live-${++n}.db`), create: 'if-missing' });
      await s.commitDecision(b);
      let got: SqliteJournalStore;
      if (crash) {
        got = await SqliteJournalStore.open({ path: (await crashCopy(s.path)).path });
        await s.close();
      } else {
        await s.commit(batch({}));
        got = s;
      }
      const d = await direct(b);
      expect(await view(got)).toEqual(await view(d));
      await got.close();
      await d.close();
    }), { numRuns: 20 });
  });
});

describe('the start of an engine folds what a crash left in the lane log', () => {
  it('entries a crash left read back as the merging readers showed them, in entry order; the reads showed the tables before', async () => {
    const path = await oldDatabase(tables, [entry(lane1), entry(lane2)]);
    const s = await SqliteJournalStore.open({ path });
    const tablesOnly = await direct(tables);
    expect(await view(s)).toEqual(await view(tablesOnly));
    expect(await s.foldDecisions()).toBe(2);
    const want = await direct(tables, lane1, lane2);
    expect(await view(s)).toEqual(await view(want));
    // The later entry's order row and snapshot won.
    expect((await s.hedgeOrders('b')).map((o) => o.status)).toEqual(['filled']);
    expect((await s.latestSnapshots()).find((x) => x.vaultId === 'b')?.seq).toBe(3);
    expect(await laneEntries(path)).toBe(0);
    expect(await s.foldDecisions()).toBe(0);
    for (const x of [s, tablesOnly, want]) await x.close();
  });

  it('a row in both keeps the table\'s copy (journal, fill); a snapshot never moves back; the lane\'s order row wins', async () => {
    const stale = batch({
      journal: [journalRow('a', 1, { reason: 'lane copy', deltaBtc: 99 })],
      fills: [{ ...fillRow('f-1', 'a', 1), qty: 99 }],
      snapshots: [{ ...snapshotRow('a', 1), snapshot: { value: 'lane copy' } }, { ...snapshotRow('b', 0), snapshot: { value: 'older' } }],
      hedgeOrders: [hedgeOrderRow('a-1', 'a', { status: 'cancelled', reason: 'lane row' })],
    });
    const path = await oldDatabase(tables, [entry(stale)]);
    const s = await SqliteJournalStore.open({ path });
    expect(await s.foldDecisions()).toBe(1);
    const want = await direct(tables, batch({ hedgeOrders: stale.hedgeOrders }));
    expect(await view(s)).toEqual(await view(want));
    expect((await s.readJournal({ vaultId: 'a' }))[0]?.reason).toBe(journalRow('a', 1).reason);
    expect((await s.hedgeOrders('a'))[0]?.status).toBe('cancelled');
    await s.close();
    await want.close();
  });

  const fixtures = fileURLToPath(new URL('../../fixtures/lane-log/', import.meta.url));
  const manifest = JSON.parse(readFileSync(`${fixtures}manifest.json`, 'utf8')) as { release: string; cases: { name: string; vaultIds: string[]; laneEntries: number }[] };
  it.each(manifest.cases)('$name, left by release 2739246 at a crash with $laneEntries lane log entry: once folded, every read shows what that release showed; verify passes', async ({ name, vaultIds }) => {
    const path = tmp.file(`${name}.db`);
    writeFileSync(path, gunzipSync(readFileSync(`${fixtures}${name}.db.gz`)));
    expect((await readOnlyQuery<{ n: number }>(path, 'SELECT count(*) AS n FROM lane_log'))[0]?.n).toBeGreaterThan(0);
    const released = JSON.parse(gunzipSync(readFileSync(`${fixtures}${name}.view.json.gz`)).toString('utf8')) as unknown;
    const s = await SqliteJournalStore.open({ path });
    expect(await s.foldDecisions()).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(await storeView(s, vaultIds)))).toEqual(released);
    expect((await verifyJournal(s)).ok).toBe(true);
    await s.close();
    expect(await laneEntries(path)).toBe(0);
  });

  it('a database of schema version 2: lane journal rows without a machine version are version 1', async () => {
    const path = tmp.file(`old-${++n}.db`);
    const conn = await openDatabase({ path, create: 'if-missing', migrate: false });
    expect(await runMigrations(conn, MIGRATIONS.slice(0, 2))).toEqual([1, 2]);
    const { machineVersion: _v, ...v2Row } = journalRow('v1', 1, { toState: 'hedging' });
    await conn.run('INSERT INTO lane_log (payload) VALUES (?)', [JSON.stringify({ journal: [v2Row], snapshots: [], fills: [], hedgeOrders: [] })]);
    await conn.close();
    const s = await SqliteJournalStore.open({ path });
    expect(await s.foldDecisions()).toBe(1);
    expect(await s.readJournal({})).toEqual([journalRow('v1', 1, { toState: 'hedging', machineVersion: 1 })]);
    await s.close();
  });

  it('a corrupt entry stops the start with a clear error and leaves the database as it was', async () => {
    const path = await oldDatabase(tables, [entry(lane1), '{"journal": [']);
    const s = await SqliteJournalStore.open({ path });
    const seen = await view(s);
    await expect(s.foldDecisions()).rejects.toThrow(/lane log entry 2 is not JSON/);
    expect(await laneEntries(path)).toBe(2);
    expect(await view(s)).toEqual(seen);
    await s.close();
  });
});
