// A small promise wrapper over one sqlite3 (async) Database. Every driver error comes back
// as a StorageError. Prepared statements are cached by SQL text (LRU) because the group
// commit reuses the same multi-row INSERT shapes over and over.
import type sqlite3 from 'sqlite3';
import { StorageError, toStorageError } from './storageError.ts';

export type SqlParam = string | number | null | bigint | Buffer;

export interface RunResult {
  changes: number;
  lastID: number;
}

/** How many prepared statements stay cached; each is a few KB of native memory. */
const STATEMENT_CACHE_SIZE = 128;

export class SqliteConnection {
  readonly path: string;
  private readonly db: sqlite3.Database;
  private readonly statements = new Map<string, sqlite3.Statement>();
  private closed = false;

  constructor(db: sqlite3.Database, path: string) {
    this.db = db;
    this.path = path;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs one statement through a cached prepared statement. */
  run(sql: string, params: readonly SqlParam[] = []): Promise<RunResult> {
    if (this.closed) return Promise.reject(this.closedError());
    const cached = this.statements.get(sql);
    if (cached !== undefined) {
      // Re-insert to mark it most recently used.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return runStatement(cached, sql, params);
    }
    return this.prepare(sql).then((stmt) => runStatement(stmt, sql, params));
  }

  all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    if (this.closed) return Promise.reject(this.closedError());
    return new Promise((resolve, reject) => {
      this.db.all<T>(sql, params, (err: Error | null, rows: T[]) => {
        if (err) reject(toStorageError(err, describe(sql, 'read')));
        else resolve(rows);
      });
    });
  }

  get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    if (this.closed) return Promise.reject(this.closedError());
    return new Promise((resolve, reject) => {
      this.db.get<T>(sql, params, (err: Error | null, row: T | undefined) => {
        if (err) reject(toStorageError(err, describe(sql, 'read')));
        else resolve(row);
      });
    });
  }

  /** Runs one or more statements without parameters (DDL, BEGIN/COMMIT, pragmas). */
  exec(sql: string): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    return new Promise((resolve, reject) => {
      this.db.exec(sql, (err: Error | null) => {
        if (err) reject(toStorageError(err, describe(sql, 'exec')));
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stmts = [...this.statements.values()];
    this.statements.clear();
    await Promise.all(stmts.map((s) => finalize(s)));
    await new Promise<void>((resolve, reject) => {
      this.db.close((err: Error | null) => {
        if (err) reject(toStorageError(err, `close ${this.path}`));
        else resolve();
      });
    });
  }

  private prepare(sql: string): Promise<sqlite3.Statement> {
    return new Promise((resolve, reject) => {
      // With a callback the driver reports a failed prepare here instead of emitting an
      // unhandled 'error' event on the statement.
      const stmt = this.db.prepare(sql, (err: Error | null) => {
        if (err) {
          reject(toStorageError(err, describe(sql, 'prepare')));
          return;
        }
        this.remember(sql, stmt);
        resolve(stmt);
      });
    });
  }

  private remember(sql: string, stmt: sqlite3.Statement): void {
    if (this.closed) {
      stmt.finalize(() => undefined);
      return;
    }
    this.statements.set(sql, stmt);
    if (this.statements.size <= STATEMENT_CACHE_SIZE) return;
    const oldest = this.statements.keys().next();
    if (oldest.done === true) return;
    const evicted = this.statements.get(oldest.value);
    this.statements.delete(oldest.value);
    // The driver queues finalize behind pending runs of that statement; its error
    // (the statement's last error) has already been reported to that run's caller.
    if (evicted !== undefined) evicted.finalize(() => undefined);
  }

  private closedError(): StorageError {
    return new StorageError('closed', `database ${this.path} is closed`);
  }
}

function runStatement(stmt: sqlite3.Statement, sql: string, params: readonly SqlParam[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    stmt.run(params, function (this: sqlite3.RunResult, err: Error | null) {
      if (err) reject(toStorageError(err, describe(sql, 'write')));
      else resolve({ changes: this.changes, lastID: this.lastID });
    });
  });
}

function finalize(stmt: sqlite3.Statement): Promise<void> {
  return new Promise((resolve) => {
    // finalize() reports the statement's last error, already delivered to its run().
    stmt.finalize(() => resolve());
  });
}

function describe(sql: string, what: string): string {
  const head = sql.replace(/\s+/g, ' ').trim().slice(0, 60);
  return `sqlite ${what} "${head}${sql.length > 60 ? '...' : ''}"`;
}
