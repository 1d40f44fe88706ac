// Opening, migrating and the fault kinds: missing, too-new, corrupt, locked, full.
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, runMigrations, schemaVersion } from '../../../storage/migrations.ts';
import { DEFAULT_DB_PATH, openDatabase } from '../../../storage/openDatabase.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { StorageError } from '../../../storage/storageError.ts';
import type { JournalRow } from '../../../storage/journalStore.ts';
import type { SqliteConnection } from '../../../storage/sqliteConnection.ts';
import { batch, journalRow, snapshotRow, tempDir } from './storageFixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function failure(p: Promise<unknown>): Promise<StorageError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StorageError);
  return err as StorageError;
}

describe('openDatabase', () => {
  it('has the documented default path', () => {
    expect(DEFAULT_DB_PATH).toBe('./data/omm-hedger.db');
  });

  it('creates a fresh database only when asked, with WAL, pragmas and the latest schema', async () => {
    const path = tmp.file('sub/dir/fresh.db');
    const conn = await openDatabase({ path, create: 'if-missing', synchronous: 'FULL', busyTimeoutMs: 1234 });
    try {
      expect(await schemaVersion(conn)).toBe(LATEST_SCHEMA_VERSION);
      expect(await conn.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await conn.get('PRAGMA synchronous')).toEqual({ synchronous: 2 }); // FULL
      expect(await conn.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
      expect(await conn.get('PRAGMA busy_timeout')).toEqual({ timeout: 1234 });
      const tables = (await conn.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")).map((t) => t.name);
      expect(tables).toEqual(['fills', 'hedge_orders', 'journal', 'lane_log', 'rejected_inputs', 'snapshots', 'source_offsets']);
      const journalSql = await conn.get<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'journal'");
      expect(journalSql?.sql).toMatch(/PRIMARY KEY \(vault_id, seq\)/);
      // The tail query is served by the (vault_id, seq) key, not a scan and not a sort.
      const plan = await conn.all<{ detail: string }>('EXPLAIN QUERY PLAN SELECT * FROM journal WHERE vault_id = ? AND seq > ? ORDER BY seq', ['v', 0]);
      expect(plan.map((p) => p.detail).join(' | ')).toMatch(/SEARCH journal USING INDEX sqlite_autoindex_journal_1 \(vault_id=\? AND seq>\?\)/);
      expect(plan.map((p) => p.detail).join(' | ')).not.toMatch(/TEMP B-TREE/);
      // Migrations are idempotent: a second run applies nothing.
      expect(await runMigrations(conn)).toEqual([]);
    } finally {
      await conn.close();
    }
    const again = await openDatabase({ path });
    try {
      expect(await again.get('PRAGMA synchronous')).toEqual({ synchronous: 1 }); // NORMAL by default
    } finally {
      await again.close();
    }
  });

  it('runs pending migrations in order in one transaction and stops on a failing one', async () => {
    const conn = await openDatabase({ path: ':memory:', migrate: false });
    try {
      const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE x (a); THIS IS NOT SQL;' }];
      expect((await failure(runMigrations(conn, broken))).kind).toBe('io');
      // The whole run rolled back, including migration 1.
      expect(await schemaVersion(conn)).toBe(0);
      expect(await conn.get("SELECT name FROM sqlite_schema WHERE name = 'journal'")).toBeUndefined();
      expect(await runMigrations(conn)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await conn.close();
    }
  });

  /** A journal row as releases before schema version 3 wrote it: no machine_version column. */
  async function insertOldJournalRow(conn: SqliteConnection, r: JournalRow): Promise<void> {
    await conn.run(
      'INSERT INTO journal (vault_id, seq, at, event_type, event_json, from_state, to_state, delta_btc, price_usd, hedge_band_btc, reason, source, source_offset, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
      [r.vaultId, r.seq, r.at, r.eventType, JSON.stringify(r.event), r.fromState, r.toState, r.deltaBtc, r.priceUsd, r.hedgeBandBtc, r.reason, r.source, r.sourceOffset, r.recordedAt],
    );
  }
  const withoutVersion = (r: JournalRow): Omit<JournalRow, 'machineVersion'> => {
    const { machineVersion: _v, ...rest } = r;
    return rest;
  };

  it('brings a version-1 database (before the lane log) up to date, keeping its rows (decided by machine version 1)', async () => {
    const path = tmp.file('v1.db');
    const conn = await openDatabase({ path, create: 'if-missing', migrate: false });
    expect(await runMigrations(conn, MIGRATIONS.slice(0, 1))).toEqual([1]);
    await insertOldJournalRow(conn, journalRow('v1', 1));
    await conn.close();
    const store = await SqliteJournalStore.open({ path });
    expect(await store.foldDecisions()).toBe(0);
    expect(await store.readJournal({})).toEqual([journalRow('v1', 1, { machineVersion: 1 })]);
    await store.commitDecision(batch({ journal: [journalRow('v1', 2)] }));
    await store.commit(batch({ journal: [journalRow('v1', 3)] }));
    expect((await store.readJournal({})).map((r) => [r.seq, r.machineVersion])).toEqual([[1, 1], [2, 2], [3, 2]]);
    await store.close();
    const check = await openDatabase({ path, create: 'never' });
    expect(await schemaVersion(check)).toBe(LATEST_SCHEMA_VERSION);
    await check.close();
  });

  it('brings a version-2 database up to date: its journal rows and the lane log entries a crash left were decided by machine version 1', async () => {
    const path = tmp.file('v2.db');
    const conn = await openDatabase({ path, create: 'if-missing', migrate: false });
    expect(await runMigrations(conn, MIGRATIONS.slice(0, 2))).toEqual([1, 2]);
    await insertOldJournalRow(conn, journalRow('v1', 1));
    // A lane log entry as that release wrote it: journal rows without machineVersion.
    const entry = { journal: [withoutVersion(journalRow('v1', 2, { toState: 'hedging' }))], snapshots: [], fills: [], hedgeOrders: [] };
    await conn.run('INSERT INTO lane_log (payload) VALUES (?)', [JSON.stringify(entry)]);
    await conn.close();
    const store = await SqliteJournalStore.open({ path });
    const want = [journalRow('v1', 1, { machineVersion: 1 }), journalRow('v1', 2, { toState: 'hedging', machineVersion: 1 })];
    // The reads show the tables; an engine's start folds the entry into them first.
    expect(await store.readJournal({})).toEqual(want.slice(0, 1));
    expect(await store.foldDecisions()).toBe(1);
    expect(await store.readJournal({})).toEqual(want);
    expect(await store.foldDecisions()).toBe(0);
    await store.close();
  });

  it('refuses a missing database without create, with a clear message', async () => {
    const path = tmp.file('nope.db');
    const err = await failure(openDatabase({ path }));
    expect(err.kind).toBe('missing');
    expect(err.message).toBe(`database ${path} does not exist (pass --create to make a new one)`);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses an existing empty file without create, and initialises it with create', async () => {
    const path = tmp.file('empty.db');
    writeFileSync(path, '');
    const err = await failure(openDatabase({ path }));
    expect(err.kind).toBe('missing');
    expect(err.message).toBe(`database ${path} is empty (pass --create to initialise it)`);
    const conn = await openDatabase({ path, create: 'if-missing' });
    expect(await schemaVersion(conn)).toBe(LATEST_SCHEMA_VERSION);
    await conn.close();
  });

  it('refuses a database newer than the code (too-new)', async () => {
    const path = tmp.file('future.db');
    const conn = await openDatabase({ path, create: 'if-missing' });
    await conn.exec(`PRAGMA user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    await conn.close();
    const err = await failure(SqliteJournalStore.open({ path }));
    expect(err.kind).toBe('too-new');
    expect(err.message).toMatch(new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 1} .*knows only up to ${LATEST_SCHEMA_VERSION}`));
  });

  it('reports a text file named .db as not a database, without backup advice', async () => {
    const path = tmp.file('text.db');
    writeFileSync(path, 'this is not a database, just some text that happens to be long enough\n'.repeat(100));
    const err = await failure(openDatabase({ path }));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toMatch(/text\.db is not a database \(.*\): check the path/);
    expect(err.message).not.toMatch(/backup/);
    // The file is left alone, not "repaired" into an empty database.
    expect(readFileSync(path, 'utf8').startsWith('this is not a database')).toBe(true);
  });

  it('reports a truncated database as corrupt', async () => {
    const path = tmp.file('truncated.db');
    const store = await SqliteJournalStore.open({ path, create: 'if-missing' });
    const rows = Array.from({ length: 3000 }, (_, i) => journalRow(`v${i % 10}`, Math.floor(i / 10) + 1));
    await store.commit(batch({ journal: rows, snapshots: [snapshotRow('v1', 1)] }));
    await store.close(); // checkpoints the WAL into the main file
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const err = await failure(openDatabase({ path }));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toMatch(/truncated\.db is corrupt.*restore it from a backup/);
  });

  it('reports a database locked by another connection as locked', async () => {
    const path = tmp.file('locked.db');
    const holder = await openDatabase({ path, create: 'if-missing' });
    const store = await SqliteJournalStore.open({ path, busyTimeoutMs: 50 });
    try {
      await holder.exec('BEGIN EXCLUSIVE');
      const err = await failure(store.commit(batch({ journal: [journalRow('v1', 1)] })));
      expect(err.kind).toBe('locked');
      expect(err.message).toMatch(/another process holds the database lock/);
      await holder.exec('ROLLBACK');
      await store.commit(batch({ journal: [journalRow('v1', 1)] }));
      expect(await store.readJournal({})).toHaveLength(1);
    } finally {
      await store.close();
      await holder.close();
    }
  });

  it('reports a full database as full and writes nothing', async () => {
    const path = tmp.file('full.db');
    const conn = await openDatabase({ path, create: 'if-missing' });
    const store = new SqliteJournalStore(conn);
    try {
      await store.commit(batch({ journal: [journalRow('v1', 1)] }));
      const pages = await conn.get<{ page_count: number }>('PRAGMA page_count');
      await conn.exec(`PRAGMA max_page_count = ${(pages?.page_count ?? 0) + 2}`);
      const big = Array.from({ length: 2000 }, (_, i) => journalRow('v1', i + 2));
      const err = await failure(store.commit(batch({ journal: big })));
      expect(err.kind).toBe('full');
      expect(err.code).toBe('SQLITE_FULL');
      expect(err.message).toMatch(/full/);
      expect((await store.readJournal({})).map((r) => r.seq)).toEqual([1]);
    } finally {
      await store.close();
    }
  });
});
