// The lane log (schema version 2), storage's own business: a hedge decision's rows made durable
// as one JSON entry, one row insert (one or two pages), so the order does not wait for the
// tables' inserts (each vault's rows land on their own index pages: about five times slower for
// a tick where 25 vaults hedge at once). The store holds each entry's rows in memory and writes
// them into the tables with its next commit, deleting the entry in the same transaction
// (sqliteJournalStore.ts); an engine starting up folds what a crash left (foldLaneLog) before
// anything is read. No reader merges this table into the tables' rows: `status` only lists its
// entries beside them (readLaneLog). JSON.stringify and JSON.parse round-trip
// every double exactly, so folded rows are the very rows a direct commit would have written.
// Entries hold journal, snapshot, fill and hedge order rows only: source offsets and rejected
// inputs go with the group commit (an offset is committed only with every row before it). The
// engine puts no snapshots in its entries; the format keeps them for entries of earlier versions.
import type { CommitBatch, FillRow, HedgeOrderRow, JournalRow, SnapshotRow } from '../journalStore.ts';
import { concatBatches, emptyBatch } from '../journalStore.ts';
import { encodeFill, encodeHedgeOrder, encodeJournal, encodeSnapshot, FILL_COLUMNS, JOURNAL_COLUMNS, SNAPSHOT_COLUMNS } from '../rowCodecs.ts';
import { HEDGE_ORDERS } from './commitBatch.ts';
import { insertRows, type InsertSpec } from './insertRows.ts';
import { rollbackQuietly } from '../migrations.ts';
import type { SqliteConnection } from '../sqliteConnection.ts';
import { StorageError } from '../storageError.ts';

/** A row's fields that must hold a value (a NOT NULL column): a finite number or any non-null value. */
const REQUIRED = {
  journal: ['vaultId', 'seq', 'at', 'eventType', 'fromState', 'toState', 'deltaBtc', 'priceUsd', 'hedgeBandBtc', 'reason', 'recordedAt', 'machineVersion'],
  fills: ['fillId', 'vaultId', 'instrument', 'side', 'qty', 'priceUsd', 'at', 'seq'],
  hedgeOrders: ['clientOrderId', 'vaultId', 'side', 'sizeBtc', 'limitPriceUsd', 'createdAt', 'status', 'filledBtc', 'avgPriceUsd', 'feeUsd', 'updatedAt'],
} as const;
/** JSON columns: any JSON value (null included) is stored as its text; undefined has none. */
const JSON_FIELDS = { journal: ['event'], fills: [], hedgeOrders: [] } as const;
/** Nullable numeric fields: null is fine, a non-finite number is not. */
const OPTIONAL_NUMBERS = { journal: ['sourceOffset'], fills: [], hedgeOrders: [] } as const;

type LaneTable = keyof typeof REQUIRED;

/**
 * The JSON text of a lane entry. Refuses, before anything is written, what the tables would
 * refuse at the move (a missing value, NaN, an infinite number): an entry must always move.
 */
export function encodeLaneEntry(b: CommitBatch): string {
  if (b.offsets.length > 0 || b.rejected.length > 0 || b.snapshots.length > 0) {
    throw new StorageError('constraint', 'a lane log entry holds journal, fill and hedge order rows only');
  }
  checkRows('journal', b.journal);
  checkRows('fills', b.fills);
  checkRows('hedgeOrders', b.hedgeOrders);
  return `{"journal":${JSON.stringify(b.journal)},"snapshots":[],"fills":${JSON.stringify(b.fills)},"hedgeOrders":${JSON.stringify(b.hedgeOrders)}}`;
}

/** Appends one entry (one statement: its own transaction); returns its id. */
export async function appendLaneEntry(conn: SqliteConnection, b: CommitBatch): Promise<number> {
  const payload = encodeLaneEntry(b);
  const r = await conn.run('INSERT INTO lane_log (payload) VALUES (?)', [payload]);
  return r.lastID;
}

function checkRows(table: LaneTable, rows: readonly object[]): void {
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    for (const f of REQUIRED[table]) {
      const v = r[f];
      if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) {
        throw new StorageError('constraint', `${String(v)} in ${table}.${f} (a storage invariant was broken; nothing was written)`);
      }
    }
    for (const f of JSON_FIELDS[table]) {
      if (r[f] === undefined) throw new StorageError('constraint', `undefined in ${table}.${f}: not JSON (a storage invariant was broken; nothing was written)`);
    }
    for (const f of OPTIONAL_NUMBERS[table]) {
      const v = r[f];
      if (typeof v === 'number' && !Number.isFinite(v)) throw new StorageError('constraint', `${v} in ${table}.${f} (a storage invariant was broken; nothing was written)`);
    }
  }
}

// What a fold writes where a row is there already, as the merging readers showed it: the
// table's journal row and fill win (DO NOTHING), a snapshot only moves forward, an order row of
// the entry wins (it is newer). SQLite applies a multi-row upsert row by row, in order, so
// later entries win over earlier ones as if each were written alone.
const FOLD_JOURNAL: InsertSpec = { table: 'journal', columns: JOURNAL_COLUMNS, suffix: ' ON CONFLICT (vault_id, seq) DO NOTHING' };
const FOLD_FILLS: InsertSpec = { table: 'fills', columns: FILL_COLUMNS, suffix: ' ON CONFLICT (fill_id) DO NOTHING' };
const FOLD_SNAPSHOTS: InsertSpec = {
  table: 'snapshots', columns: SNAPSHOT_COLUMNS,
  suffix: ' ON CONFLICT (vault_id) DO UPDATE SET seq = excluded.seq, machine_version = excluded.machine_version, snapshot_json = excluded.snapshot_json WHERE excluded.seq > snapshots.seq',
};

/**
 * Moves every entry into the tables, oldest first, and deletes them, in one transaction;
 * returns how many. Exactly as the readers of releases with merging reads showed them (see
 * FOLD_JOURNAL); journal rows of entries written before schema version 3 carry no machine
 * version (version 1 was the only one). Rows are bound as parameters through the tables' own
 * codecs, not parsed by SQL (SQLite's text-to-double is not exact in every case).
 */
export async function foldLaneLog(conn: SqliteConnection): Promise<number> {
  await conn.exec('BEGIN IMMEDIATE');
  try {
    const entries = await readLaneLog(conn);
    const all = entries.reduce((acc, e) => concatBatches(acc, e), emptyBatch());
    await insertRows(conn, FOLD_JOURNAL, all.journal, encodeJournal);
    await insertRows(conn, FOLD_SNAPSHOTS, all.snapshots, encodeSnapshot);
    await insertRows(conn, FOLD_FILLS, all.fills, encodeFill);
    await insertRows(conn, HEDGE_ORDERS, all.hedgeOrders, encodeHedgeOrder);
    await conn.exec('DELETE FROM lane_log');
    await conn.exec('COMMIT');
    return entries.length;
  } catch (err) {
    await rollbackQuietly(conn);
    throw err;
  }
}

/** Every entry, oldest first, decoded (read only: status shows them; the fold writes them in). */
export async function readLaneLog(conn: SqliteConnection): Promise<CommitBatch[]> {
  const rows = await conn.all<{ id: number; payload: string }>('SELECT id, payload FROM lane_log ORDER BY id');
  return rows.map((r) => decodeLaneEntry(r.id, r.payload));
}

/** One entry's rows from its JSON text; `id` names it in the error for a corrupt one. */
export function decodeLaneEntry(id: number, payload: string): CommitBatch {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch (err) {
    throw new StorageError('corrupt', `lane log entry ${id} is not JSON: ${(err as Error).message}`);
  }
  const o = v as Partial<Record<'journal' | 'snapshots' | 'fills' | 'hedgeOrders', unknown>>;
  if (typeof v !== 'object' || v === null || !Array.isArray(o.journal) || !Array.isArray(o.snapshots) || !Array.isArray(o.fills) || !Array.isArray(o.hedgeOrders)) {
    throw new StorageError('corrupt', `lane log entry ${id} is not a lane batch`);
  }
  // Entries written before schema version 3 carry no machine version: their release had only version 1.
  const journal = (o.journal as (Omit<JournalRow, 'machineVersion'> & { machineVersion?: number })[])
    .map((r) => (r.machineVersion === undefined ? { ...r, machineVersion: 1 } : r as JournalRow));
  return { ...emptyBatch(), journal, snapshots: o.snapshots as SnapshotRow[], fills: o.fills as FillRow[], hedgeOrders: o.hedgeOrders as HedgeOrderRow[] };
}
