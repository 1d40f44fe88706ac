// The lane log (schema version 2), storage's own business: a hedge decision's rows made durable
// as one JSON entry, one row insert (one or two pages), so the order does not wait for the
// tables' inserts (each vault's rows land on their own index pages: about five times slower for
// a tick where 25 vaults hedge at once). The store holds each entry's rows in memory and writes
// them into the tables with its next commit, deleting the entry in the same transaction
// (sqliteJournalStore.ts); an engine starting up folds what a crash left (foldLaneLog) before
// anything is read. No reader ever reads this table. JSON.stringify and JSON.parse round-trip
// every double exactly, so folded rows are the very rows a direct commit would have written.
// Entries hold journal, snapshot, fill and hedge order rows only: source offsets and rejected
// inputs go with the group commit (an offset is committed only with every row before it). The
// engine puts no snapshots in its entries; the format keeps them for entries of earlier versions.
import type { CommitBatch } from '../journalStore.ts';
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

interface LaneJournalRow {
  vaultId: string; seq: number; at: number; eventType: string; event: unknown; fromState: string; toState: string;
  deltaBtc: number; priceUsd: number; hedgeBandBtc: number; reason: string; source: string | null;
  sourceOffset: number | null; recordedAt: number; machineVersion?: number;
}
interface LaneSnapshotRow { vaultId: string; seq: number; machineVersion: number; snapshot: unknown }
interface LaneFillRow { fillId: string; vaultId: string; instrument: string; side: string; qty: number; priceUsd: number; at: number; seq: number }
interface LaneHedgeOrderRow {
  clientOrderId: string; vaultId: string; side: string; sizeBtc: number; limitPriceUsd: number; createdAt: number;
  status: string; filledBtc: number; avgPriceUsd: number; feeUsd: number; updatedAt: number; reason: string | null;
}
interface LaneEntry { journal: LaneJournalRow[]; snapshots: LaneSnapshotRow[]; fills: LaneFillRow[]; hedgeOrders: LaneHedgeOrderRow[] }

const JOURNAL_SQL = `INSERT INTO journal (vault_id, seq, at, event_type, event_json, from_state, to_state, delta_btc, price_usd,
  hedge_band_btc, reason, source, source_offset, recorded_at, machine_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
  ON CONFLICT (vault_id, seq) DO NOTHING`;
const SNAPSHOT_SQL = `INSERT INTO snapshots (vault_id, seq, machine_version, snapshot_json) VALUES (?,?,?,?)
  ON CONFLICT (vault_id) DO UPDATE SET seq = excluded.seq, machine_version = excluded.machine_version,
  snapshot_json = excluded.snapshot_json WHERE excluded.seq > snapshots.seq`;
const FILL_SQL = `INSERT INTO fills (fill_id, vault_id, instrument, side, qty, price_usd, at, seq) VALUES (?,?,?,?,?,?,?,?)
  ON CONFLICT (fill_id) DO NOTHING`;
const HEDGE_ORDER_SQL = `INSERT INTO hedge_orders (client_order_id, vault_id, side, size_btc, limit_price_usd, created_at, status,
  filled_btc, avg_price_usd, fee_usd, updated_at, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
  ON CONFLICT (client_order_id) DO UPDATE SET vault_id = excluded.vault_id, side = excluded.side, size_btc = excluded.size_btc,
  limit_price_usd = excluded.limit_price_usd, created_at = excluded.created_at, status = excluded.status,
  filled_btc = excluded.filled_btc, avg_price_usd = excluded.avg_price_usd, fee_usd = excluded.fee_usd,
  updated_at = excluded.updated_at, reason = excluded.reason`;

/**
 * Moves every entry into the tables, oldest first, and deletes them, in one transaction;
 * returns how many. Exactly as the readers of releases with merging reads showed them: a
 * journal row or fill already in its table keeps the table's copy; a snapshot replaces the
 * table's only if its seq is higher; a hedge order row replaces the table's (the entry is
 * newer), later entries over earlier ones; journal rows of entries written before schema
 * version 3 carry no machine version (version 1 was the only one). Rows are bound as
 * parameters, not parsed by SQL (SQLite's text-to-double is not exact in every case).
 */
export async function foldLaneLog(conn: SqliteConnection): Promise<number> {
  await conn.exec('BEGIN IMMEDIATE');
  try {
    const rows = await conn.all<{ id: number; payload: string }>('SELECT id, payload FROM lane_log ORDER BY id');
    await foldEntries(conn, rows);
    await conn.exec('DELETE FROM lane_log');
    await conn.exec('COMMIT');
    return rows.length;
  } catch (err) {
    await rollbackQuietly(conn);
    throw err;
  }
}

async function foldEntries(conn: SqliteConnection, rows: readonly { id: number; payload: string }[]): Promise<void> {
  for (const { id, payload } of rows) {
    const e = decodeEntry(id, payload);
    for (const r of e.journal) {
      await conn.run(JOURNAL_SQL, [r.vaultId, r.seq, r.at, r.eventType, json(id, r.event), r.fromState, r.toState, r.deltaBtc,
        r.priceUsd, r.hedgeBandBtc, r.reason, r.source, r.sourceOffset, r.recordedAt, r.machineVersion ?? 1]);
    }
    for (const s of e.snapshots) await conn.run(SNAPSHOT_SQL, [s.vaultId, s.seq, s.machineVersion, json(id, s.snapshot)]);
    for (const f of e.fills) await conn.run(FILL_SQL, [f.fillId, f.vaultId, f.instrument, f.side, f.qty, f.priceUsd, f.at, f.seq]);
    for (const o of e.hedgeOrders) {
      await conn.run(HEDGE_ORDER_SQL, [o.clientOrderId, o.vaultId, o.side, o.sizeBtc, o.limitPriceUsd, o.createdAt, o.status,
        o.filledBtc, o.avgPriceUsd, o.feeUsd, o.updatedAt, o.reason]);
    }
  }
}

function decodeEntry(id: number, payload: string): LaneEntry {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch (err) {
    throw new StorageError('corrupt', `lane log entry ${id} is not JSON: ${(err as Error).message}`);
  }
  const o = v as Partial<Record<keyof LaneEntry, unknown>>;
  if (typeof v !== 'object' || v === null || !Array.isArray(o.journal) || !Array.isArray(o.snapshots) || !Array.isArray(o.fills) || !Array.isArray(o.hedgeOrders)) {
    throw new StorageError('corrupt', `lane log entry ${id} is not a lane batch`);
  }
  return v as LaneEntry;
}

/** A JSON column's text; a value with none (undefined) is refused, as the lane's writer refused it. */
function json(id: number, value: unknown): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw new StorageError('corrupt', `lane log entry ${id} holds a row without its JSON value`);
  return text;
}
