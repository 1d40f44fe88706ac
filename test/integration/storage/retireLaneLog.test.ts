// Schema version 4 retires the lane log. A database of the old shape holding lane log entries a
// crash left (built here with the old migrations, 1-3 or 1-2; and databases the release with a
// lane log itself left at a crash, test/fixtures/lane-log) opens under the new code with those
// entries folded into the tables exactly as the old readers merged them (the table's journal
// row and fill win over a lane copy, a snapshot only moves forward, the lane's order rows win,
// later entries over earlier ones, rows older than schema 3 are machine version 1), bit for
// bit, and the lane_log table is gone.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnlyQuery } from '../../fixtures/readOnlyQuery.ts';
import type { CommitBatch } from '../../../storage/journalStore.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, runMigrations } from '../../../storage/migrations.ts';
import { openDatabase } from '../../../storage/openDatabase.ts';
import { commitBatch } from '../../../storage/queries/commitBatch.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
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

/** A database of schema version 3 (the last with a lane log): `tables` committed, then `entries` left in the lane log. */
async function oldDatabase(tables: CommitBatch, entries: readonly string[]): Promise<string> {
  const path = tmp.file(`old-${++n}.db`);
  const conn = await openDatabase({ path, create: 'if-missing', migrate: false });
  expect(await runMigrations(conn, MIGRATIONS.slice(0, 3))).toEqual([1, 2, 3]);
  await commitBatch(conn, tables);
  for (const e of entries) await conn.run('INSERT INTO lane_log (payload) VALUES (?)', [e]);
  await conn.close();
  return path;
}

/** A database of the new shape with `batches` committed in order: what the old readers showed when they merged. */
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

describe('migration 4: the lane log folded into the tables, then dropped', () => {
  it('entries a crash left read back as the old readers merged them, in entry order, and the table is gone', async () => {
    const path = await oldDatabase(tables, [entry(lane1), entry(lane2)]);
    const s = await SqliteJournalStore.open({ path });
    const want = await direct(tables, lane1, lane2);
    expect(await view(s)).toEqual(await view(want));
    // The later entry's order row and snapshot won.
    expect((await s.hedgeOrders('b')).map((o) => o.status)).toEqual(['filled']);
    expect((await s.latestSnapshots()).find((x) => x.vaultId === 'b')?.seq).toBe(3);
    expect(await readOnlyQuery(path, "SELECT name FROM sqlite_schema WHERE name = 'lane_log'")).toEqual([]);
    expect(await readOnlyQuery(path, 'PRAGMA user_version')).toEqual([{ user_version: LATEST_SCHEMA_VERSION }]);
    await s.close();
    await want.close();
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
    const want = await direct(tables, batch({ hedgeOrders: stale.hedgeOrders }));
    expect(await view(s)).toEqual(await view(want));
    expect((await s.readJournal({ vaultId: 'a' }))[0]?.reason).toBe(journalRow('a', 1).reason);
    expect((await s.hedgeOrders('a'))[0]?.status).toBe('cancelled');
    await s.close();
    await want.close();
  });

  const fixtures = fileURLToPath(new URL('../../fixtures/lane-log/', import.meta.url));
  const manifest = JSON.parse(readFileSync(`${fixtures}manifest.json`, 'utf8')) as { release: string; cases: { name: string; vaultIds: string[]; laneEntries: number }[] };
  it.each(manifest.cases)('$name, left by release 2739246 at a crash with $laneEntries lane log entry: every read shows what that release showed; verify passes', async ({ name, vaultIds }) => {
    const path = tmp.file(`${name}.db`);
    writeFileSync(path, gunzipSync(readFileSync(`${fixtures}${name}.db.gz`)));
    expect((await readOnlyQuery<{ n: number }>(path, 'SELECT count(*) AS n FROM lane_log'))[0]?.n).toBeGreaterThan(0);
    const released = JSON.parse(gunzipSync(readFileSync(`${fixtures}${name}.view.json.gz`)).toString('utf8')) as unknown;
    const s = await SqliteJournalStore.open({ path });
    expect(JSON.parse(JSON.stringify(await storeView(s, vaultIds)))).toEqual(released);
    expect((await verifyJournal(s)).ok).toBe(true);
    await s.close();
    expect(await readOnlyQuery(path, "SELECT name FROM sqlite_schema WHERE name = 'lane_log'")).toEqual([]);
  });

  it('a database of schema version 2: lane journal rows without a machine version are version 1', async () => {
    const path = tmp.file(`old-${++n}.db`);
    const conn = await openDatabase({ path, create: 'if-missing', migrate: false });
    expect(await runMigrations(conn, MIGRATIONS.slice(0, 2))).toEqual([1, 2]);
    const { machineVersion: _v, ...v2Row } = journalRow('v1', 1, { toState: 'hedging' });
    await conn.run('INSERT INTO lane_log (payload) VALUES (?)', [JSON.stringify({ journal: [v2Row], snapshots: [], fills: [], hedgeOrders: [] })]);
    await conn.close();
    const s = await SqliteJournalStore.open({ path });
    expect(await s.readJournal({})).toEqual([journalRow('v1', 1, { toState: 'hedging', machineVersion: 1 })]);
    await s.close();
  });

  it('a corrupt entry stops the migration with a clear error and leaves the database as it was', async () => {
    const path = await oldDatabase(tables, ['{"journal": [']);
    await expect(SqliteJournalStore.open({ path })).rejects.toThrow(/lane log entry 1 is not JSON/);
    expect(await readOnlyQuery(path, 'PRAGMA user_version')).toEqual([{ user_version: 3 }]);
    expect(await readOnlyQuery(path, 'SELECT count(*) AS n FROM lane_log')).toEqual([{ n: 1 }]);
  });

  it('property: rows folded from the lane log read back bit for bit as a direct commit writes them', async () => {
    // Finite doubles only (the tables refuse the rest); -0 is stored as 0 either way.
    const num = fc.double({ noNaN: true, noDefaultInfinity: true });
    const text = fc.string({ maxLength: 10, unit: 'binary' });
    const rowArb = fc.record({ delta: num, price: num, size: num, fillPx: num, reason: text, event: fc.jsonValue({ maxDepth: 2 }), snap: fc.jsonValue({ maxDepth: 2 }) });
    await fc.assert(fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 4 }), async (rows) => {
      const b = batch({});
      rows.forEach((r, i) => {
        const seq = i + 1;
        b.journal.push(journalRow('a', seq, { deltaBtc: r.delta, priceUsd: r.price, reason: r.reason, event: r.event }));
        b.snapshots.push({ vaultId: 'a', seq, machineVersion: 1, snapshot: r.snap });
        b.hedgeOrders.push(hedgeOrderRow(`a-${seq}`, 'a', { sizeBtc: r.size, avgPriceUsd: r.fillPx, reason: r.reason }));
        b.fills.push({ ...fillRow(`f-${seq}`, 'a', seq), priceUsd: r.fillPx });
      });
      const s = await SqliteJournalStore.open({ path: await oldDatabase(batch({}), [entry(b)]) });
      const d = await direct(b);
      expect(await view(s)).toEqual(await view(d));
      await s.close();
      await d.close();
    }), { numRuns: 20 });
  });
});
