// Versioned schema migrations, tracked in PRAGMA user_version (0 = empty database).
// They run at open inside one BEGIN IMMEDIATE transaction, so a crash mid-migration
// leaves the old version intact. A database newer than this code is refused, never
// read with a schema we do not understand.
import type { SqliteConnection } from './sqliteConnection.ts';
import { StorageError } from './storageError.ts';
import { MIGRATION_001_INITIAL } from './migrations/001_initial.ts';
import { MIGRATION_002_LANE_LOG } from './migrations/002_lane_log.ts';
import { MIGRATION_003_JOURNAL_MACHINE_VERSION } from './migrations/003_journal_machine_version.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In version order, 1, 2, 3...; append only, never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: MIGRATION_001_INITIAL },
  { version: 2, name: 'lane log', sql: MIGRATION_002_LANE_LOG },
  { version: 3, name: 'journal machine version', sql: MIGRATION_003_JOURNAL_MACHINE_VERSION },
];

export const LATEST_SCHEMA_VERSION: number = MIGRATIONS.length;

export async function schemaVersion(conn: SqliteConnection): Promise<number> {
  const row = await conn.get<{ user_version: number }>('PRAGMA user_version');
  return row?.user_version ?? 0;
}

/** Brings the schema up to LATEST_SCHEMA_VERSION; returns the versions applied. */
export async function runMigrations(
  conn: SqliteConnection,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const latest = migrations.length;
  const before = await schemaVersion(conn);
  refuseTooNew(conn.path, before, latest);
  if (before === latest) return [];
  await conn.exec('BEGIN IMMEDIATE');
  try {
    // Re-read under the write lock: another process may have migrated meanwhile.
    const current = await schemaVersion(conn);
    refuseTooNew(conn.path, current, latest);
    const applied: number[] = [];
    for (const m of migrations.slice(current)) {
      await conn.exec(m.sql);
      // user_version lives in the database header and is written by this transaction.
      await conn.exec(`PRAGMA user_version = ${m.version}`);
      applied.push(m.version);
    }
    await conn.exec('COMMIT');
    return applied;
  } catch (err) {
    await rollbackQuietly(conn);
    throw err;
  }
}

function refuseTooNew(path: string, version: number, latest: number): void {
  if (version > latest) {
    throw new StorageError(
      'too-new',
      `database ${path} has schema version ${version} but this omm-hedger knows only up to ${latest}; use a newer omm-hedger`,
    );
  }
}

/**
 * ROLLBACK after a failed statement. SQLite may already have rolled back by itself (disk
 * full, I/O error), in which case ROLLBACK reports "no transaction is active"; the error
 * that matters is the original one, which the caller rethrows.
 */
export async function rollbackQuietly(conn: SqliteConnection): Promise<void> {
  try {
    await conn.exec('ROLLBACK');
  } catch {
    // See above: the original failure is what the caller reports.
  }
}
