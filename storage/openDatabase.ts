// Opens the omm-hedger SQLite database: refuses to create a missing file unless asked,
// sets the pragmas, checks the file is a sound database, and runs migrations.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import { runMigrations, schemaVersion } from './migrations.ts';
import { SqliteConnection } from './sqliteConnection.ts';
import { StorageError, toStorageError } from './storageError.ts';

export const DEFAULT_DB_PATH = './data/omm-hedger.db';

/** NORMAL (WAL): a commit survives a process crash; an OS crash may lose the last commits. FULL: fsync per commit. */
export type SyncMode = 'NORMAL' | 'FULL';

export interface OpenDatabaseOptions {
  /** File path, or ':memory:'. Default DEFAULT_DB_PATH. */
  path?: string;
  /** 'never' (default): a missing file is an error. 'if-missing': create it (first run, --create). */
  create?: 'never' | 'if-missing';
  /** Default 'NORMAL'. */
  synchronous?: SyncMode;
  /** How long a statement waits for another connection's lock before SQLITE_BUSY. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * 'quick' (default) runs PRAGMA quick_check over every page (O(file size)); 'header' only
   * reads the schema, catching non-database files but not every truncation.
   */
  check?: 'quick' | 'header';
  /** Run migrations at open (default true). */
  migrate?: boolean;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<SqliteConnection> {
  const path = options.path ?? DEFAULT_DB_PATH;
  const memory = path === ':memory:' || path === '';
  const create = options.create ?? 'never';
  const synchronous = options.synchronous ?? 'NORMAL';
  // It is spliced into a PRAGMA: accept only the two documented values.
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new TypeError(`synchronous must be 'NORMAL' or 'FULL', got ${String(synchronous)}`);
  }
  if (!memory && !existsSync(path)) {
    if (create === 'never') {
      throw new StorageError('missing', `database ${path} does not exist (pass --create to make a new one)`);
    }
    mkdirSync(dirname(path), { recursive: true });
  }
  const mode = sqlite3.OPEN_READWRITE | (create === 'if-missing' ? sqlite3.OPEN_CREATE : 0);
  const db = await openRaw(path, mode);
  const conn = new SqliteConnection(db, path);
  try {
    db.configure('busyTimeout', options.busyTimeoutMs ?? 5000);
    await checkReadable(conn, options.check ?? 'quick');
    // An existing but empty file (touched, or left by a crash during a first run) is not
    // a database to start over on silently either.
    if (!memory && create === 'never' && (options.migrate ?? true) && (await schemaVersion(conn)) === 0) {
      throw new StorageError('missing', `database ${path} is empty (pass --create to initialise it)`);
    }
    if (!memory) await setJournalModeWal(conn);
    await conn.exec(`PRAGMA synchronous = ${synchronous}`);
    await conn.exec('PRAGMA foreign_keys = ON');
    if (options.migrate ?? true) await runMigrations(conn);
    return conn;
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw toStorageError(err, `open ${path}`);
  }
}

function openRaw(path: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db: sqlite3.Database = new sqlite3.Database(path, mode, (err: Error | null) => {
      if (err) {
        const e = toStorageError(err, `open ${path}`);
        reject(e.kind === 'missing'
          ? new StorageError('missing', `database ${path} cannot be opened: ${err.message} (pass --create to make a new one)`, { cause: err, code: 'SQLITE_CANTOPEN' })
          : e);
      } else {
        resolve(db);
      }
    });
  });
}

async function checkReadable(conn: SqliteConnection, check: 'quick' | 'header'): Promise<void> {
  try {
    // Reading the schema fails with SQLITE_NOTADB on a file that is not a database.
    await conn.get('SELECT count(*) AS n FROM sqlite_schema');
    if (check === 'quick') {
      const rows = await conn.all<{ quick_check: string }>('PRAGMA quick_check(5)');
      const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length > 0) {
        throw new StorageError('corrupt', `database ${conn.path} is corrupt: ${problems.join('; ')} (restore it from a backup)`);
      }
    }
  } catch (err) {
    if (err instanceof StorageError && err.cause === undefined) throw err; // our quick_check verdict
    const e = toStorageError(err, `check ${conn.path}`);
    if (e.kind !== 'corrupt') throw e;
    const detail = err instanceof StorageError && err.cause instanceof Error ? err.cause.message : e.message;
    // Not a database at all (a wrong path, most likely) is not a damaged one: no backup advice.
    if (e.code === 'SQLITE_NOTADB') {
      throw new StorageError('corrupt', `${conn.path} is not a database (${detail}): check the path`, { cause: err, code: e.code });
    }
    throw new StorageError('corrupt', `database ${conn.path} is corrupt (${detail}); restore it from a backup`, {
      cause: err,
      code: e.code ?? 'SQLITE_CORRUPT',
    });
  }
}

async function setJournalModeWal(conn: SqliteConnection): Promise<void> {
  const row = await conn.get<{ journal_mode: string }>('PRAGMA journal_mode = WAL');
  if (row?.journal_mode.toLowerCase() !== 'wal') {
    throw new StorageError('io', `database ${conn.path} refused WAL mode (journal_mode is ${row?.journal_mode ?? 'unknown'})`);
  }
}
