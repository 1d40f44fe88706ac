// The journal's tables as the in-memory store keeps them (memoryJournalStore.ts): each row is
// encoded by the tables' own codecs (rowCodecs.ts) and stored as the row object SQLite's driver
// would read back, so reads decode it with the same decoders. The column facts below (integer
// affinity, NULL allowed, CHECKs) restate the schema of storage/migrations; a test compares them
// with PRAGMA table_info of a migrated database, so the two cannot drift apart.
import type { SqlParam } from './sqliteConnection.ts';
import { assertStorable, type InsertSpec } from './queries/insertRows.ts';
import {
  FILL_COLUMNS, HEDGE_ORDER_COLUMNS, JOURNAL_COLUMNS, OFFSET_COLUMNS, REJECTED_COLUMNS, SNAPSHOT_COLUMNS,
} from './rowCodecs.ts';
import { StorageError } from './storageError.ts';

export interface MemoryTable {
  name: string;
  /** Column names in codec order, unquoted (the keys of the table's *DbRow type). */
  columns: readonly string[];
  /** INTEGER affinity: a safe integer bound as its decimal text (rowCodecs' intText) is stored as the number. */
  integer: ReadonlySet<string>;
  /** Columns without NOT NULL. */
  nullable: ReadonlySet<string>;
  /** The table's CHECK constraints, as allowed values per column. */
  allowed: Readonly<Record<string, readonly unknown[]>>;
  /** CHECK (seq >= 1) and the like: the least value per column. */
  atLeast: Readonly<Record<string, number>>;
}

const unquote = (c: string): string => c.replace(/^"(.*)"$/, '$1');
const SIDES = ['buy', 'sell'] as const;

function table(name: string, columns: readonly string[], t: Partial<Pick<MemoryTable, 'allowed' | 'atLeast'>> & { integer: string[]; nullable?: string[] }): MemoryTable {
  return { name, columns: columns.map(unquote), integer: new Set(t.integer), nullable: new Set(t.nullable ?? []), allowed: t.allowed ?? {}, atLeast: t.atLeast ?? {} };
}

export const MEMORY_TABLES = {
  journal: table('journal', JOURNAL_COLUMNS, {
    integer: ['seq', 'at', 'source_offset', 'recorded_at', 'machine_version'], nullable: ['source', 'source_offset'], atLeast: { seq: 1 },
  }),
  snapshots: table('snapshots', SNAPSHOT_COLUMNS, { integer: ['seq', 'machine_version'] }),
  fills: table('fills', FILL_COLUMNS, { integer: ['at', 'seq'], allowed: { side: SIDES } }),
  hedgeOrders: table('hedge_orders', HEDGE_ORDER_COLUMNS, {
    integer: ['created_at', 'updated_at'], nullable: ['reason'],
    allowed: { side: SIDES, status: ['pending', 'open', 'filled', 'cancelled', 'rejected', 'failed'] },
  }),
  rejected: table('rejected_inputs', REJECTED_COLUMNS, { integer: ['at', 'source_offset', 'recorded_at'], nullable: ['at', 'source_offset'] }),
  offsets: table('source_offsets', OFFSET_COLUMNS, { integer: ['offset'] }),
} as const;

/**
 * The value SQLite stores for a bound parameter and its driver reads back: NaN binds as NULL,
 * an integral REAL is kept as an integer (so -0 reads back as 0), and an integer column turns
 * a safe integer's decimal text into the number.
 */
function storedValue(p: SqlParam, integer: boolean): unknown {
  if (typeof p === 'number') return Number.isNaN(p) ? null : Object.is(p, -0) ? 0 : p;
  if (integer && typeof p === 'string') {
    const n = Number(p);
    if (Number.isSafeInteger(n) && String(n) === p) return n;
  }
  return p;
}

/**
 * One row as the table stores it, or a StorageError('constraint') for what SQLite refuses (a
 * NULL or NaN in a NOT NULL column, a failed CHECK) or the commit path refuses (an infinite number).
 */
export function storedRow<T, D>(t: MemoryTable, row: T, encode: (row: T, out: SqlParam[]) => void): D {
  const params: SqlParam[] = [];
  encode(row, params);
  const spec: InsertSpec = { table: t.name, columns: t.columns };
  const out: Record<string, unknown> = {};
  for (let i = 0; i < t.columns.length; i++) {
    const col = t.columns[i] as string;
    const p = params[i] as SqlParam;
    assertStorable(p, spec);
    const v = storedValue(p, t.integer.has(col));
    if (v === null || v === undefined) {
      if (!t.nullable.has(col)) throw constraint(`NOT NULL constraint failed: ${t.name}.${col}`);
    } else {
      const allowed = t.allowed[col];
      if (allowed !== undefined && !allowed.includes(v)) throw constraint(`CHECK constraint failed: ${t.name}.${col} = ${JSON.stringify(v)}`);
      const least = t.atLeast[col];
      if (least !== undefined && typeof v === 'number' && v < least) throw constraint(`CHECK constraint failed: ${t.name}.${col} >= ${least} (got ${v})`);
    }
    out[col] = v ?? null;
  }
  return out as D;
}

export function constraint(message: string): StorageError {
  return new StorageError('constraint', `${message} (a storage invariant was broken; nothing of this transaction was written)`);
}

/**
 * SQLite's BINARY collation (memcmp of UTF-8) for two strings: UTF-16 code unit order except
 * that a surrogate (a code point above U+FFFF) sorts after U+E000..U+FFFF, as its UTF-8 does.
 */
export function compareBinary(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrder(x) - codePointOrder(y);
  }
  return a.length - b.length;
}

function codePointOrder(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
