// Multi-row INSERT in chunks that respect SQLite's bound-parameter limit. One statement
// per chunk instead of one per row: with the async driver every statement is a round trip
// to the worker thread, so this is where group commit gets its speed.
import type { SqliteConnection, SqlParam } from '../sqliteConnection.ts';
import { StorageError } from '../storageError.ts';

/** SQLITE_MAX_VARIABLE_NUMBER of SQLite >= 3.32 (the bundled driver ships 3.5x). */
export const MAX_SQL_PARAMS = 32766;

export interface InsertSpec {
  table: string;
  /** Column names, already quoted where needed. */
  columns: readonly string[];
  /** Appended after VALUES, e.g. an ON CONFLICT ... DO UPDATE clause. */
  suffix?: string;
}

/**
 * Rows per statement. Throughput (bench/journal.bench.ts) is flat over a wide middle range of
 * rows per statement and drops for the largest statements, so a chunk is capped well below
 * the parameter limit.
 */
export const MAX_ROWS_PER_STATEMENT = 500;

/** Rows per full chunk for a spec: the row cap, or fewer if the parameter limit says so. */
export function rowsPerChunk(spec: InsertSpec, maxParams = MAX_SQL_PARAMS): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(maxParams / spec.columns.length)));
}

const sqlCache = new WeakMap<InsertSpec, Map<number, string>>();

/** The INSERT text for `rowCount` rows, built once per (spec, rowCount). */
export function insertSql(spec: InsertSpec, rowCount: number): string {
  let bySize = sqlCache.get(spec);
  if (bySize === undefined) {
    bySize = new Map();
    sqlCache.set(spec, bySize);
  }
  const cached = bySize.get(rowCount);
  if (cached !== undefined) return cached;
  const tuple = `(${spec.columns.map(() => '?').join(',')})`;
  const values = new Array<string>(rowCount).fill(tuple).join(',');
  const sql = `INSERT INTO ${spec.table} (${spec.columns.join(',')}) VALUES ${values}${spec.suffix ?? ''}`;
  bySize.set(rowCount, sql);
  return sql;
}

/**
 * An infinite number in a journal, fill or order row is a broken invariant upstream: refuse
 * the whole batch rather than persist it (SQLite would keep it; a NaN is stored as NULL and
 * the NOT NULL columns refuse it themselves).
 */
export function assertStorable(p: SqlParam, spec: InsertSpec): void {
  if (p === Number.POSITIVE_INFINITY || p === Number.NEGATIVE_INFINITY) {
    throw new StorageError('constraint', `non-finite number ${p} in a ${spec.table} row (a storage invariant was broken; nothing of this transaction was written)`);
  }
}

/**
 * Rows of the next statement when `left` rows remain: a full chunk, else the largest power of
 * two not above `left`. A remainder of any size would be a statement text of its own, which
 * the connection must prepare (parse) before it runs: ~2 ms of CPU for a few hundred rows,
 * more than the few round trips the powers of two cost. So one table has at most
 * log2(perChunk) + 2 statement shapes, all kept in the connection's statement cache.
 */
export function nextChunkRows(left: number, perChunk: number): number {
  if (left >= perChunk) return perChunk;
  return 1 << (31 - Math.clz32(left));
}

/**
 * Inserts `rows` (`encode` appends one value per column) in full chunks as the parameter
 * limit allows, then the rest in power-of-two chunks (see nextChunkRows). Must run inside
 * the caller's transaction.
 */
export async function insertRows<T>(
  conn: SqliteConnection,
  spec: InsertSpec,
  rows: readonly T[],
  encode: (row: T, out: SqlParam[]) => void,
  maxParams = MAX_SQL_PARAMS,
): Promise<void> {
  const perChunk = rowsPerChunk(spec, maxParams);
  const encodeChunk = (start: number): SqlParam[] => {
    const end = start + nextChunkRows(rows.length - start, perChunk);
    const params: SqlParam[] = [];
    // Index is in range by the loop bounds.
    for (let i = start; i < end; i++) encode(rows[i] as T, params);
    for (const p of params) assertStorable(p, spec);
    return params;
  };
  let start = 0;
  let params = rows.length > 0 ? encodeChunk(0) : [];
  while (start < rows.length) {
    const count = nextChunkRows(rows.length - start, perChunk);
    // One statement in flight at a time (order and atomicity), but the next chunk is
    // encoded (JSON.stringify of events) while the worker thread runs this one.
    const running = conn.run(insertSql(spec, count), params);
    const next = start + count;
    let nextParams: SqlParam[] = [];
    try {
      if (next < rows.length) nextParams = encodeChunk(next);
    } finally {
      await running;
    }
    start = next;
    params = nextParams;
  }
}
