// The lane log (schema version 2): a hedge decision's rows committed as one JSON entry, one row
// insert, so the order does not wait for the tables' per-column inserts (an order of magnitude
// slower a vault). JSON.stringify and JSON.parse round-trip every double exactly, so rows moved from an
// entry into the tables are the very rows a direct commit would have written. Entries hold
// journal, snapshot, fill and hedge order rows only: source offsets and rejected inputs go
// with the group commit (an offset is committed only with every row before it). The engine
// puts no snapshots in its entries (the group commit that moves an entry writes them); the
// format keeps them so that entries written by earlier versions still move.
import type { CommitBatch, FillRow, HedgeOrderRow, JournalQuery, JournalRow, SnapshotRow } from '../journalStore.ts';
import { emptyBatch } from '../journalStore.ts';
import { JsonText } from '../jsonText.ts';
import type { SqliteConnection } from '../sqliteConnection.ts';
import { StorageError } from '../storageError.ts';

/** A row's fields that must hold a value (a NOT NULL column): a finite number or any non-null value. */
const REQUIRED = {
  journal: ['vaultId', 'seq', 'at', 'eventType', 'fromState', 'toState', 'deltaBtc', 'priceUsd', 'hedgeBandBtc', 'reason', 'recordedAt', 'machineVersion'],
  snapshots: ['vaultId', 'seq', 'machineVersion'],
  fills: ['fillId', 'vaultId', 'instrument', 'side', 'qty', 'priceUsd', 'at', 'seq'],
  hedgeOrders: ['clientOrderId', 'vaultId', 'side', 'sizeBtc', 'limitPriceUsd', 'createdAt', 'status', 'filledBtc', 'avgPriceUsd', 'feeUsd', 'updatedAt'],
} as const;
/** JSON columns: any JSON value (null included) is stored as its text; undefined has none. */
const JSON_FIELDS = { journal: ['event'], snapshots: ['snapshot'], fills: [], hedgeOrders: [] } as const;
/** Nullable numeric fields: null is fine, a non-finite number is not. */
const OPTIONAL_NUMBERS = { journal: ['sourceOffset'], snapshots: [], fills: [], hedgeOrders: [] } as const;

type LaneTable = keyof typeof REQUIRED;

/**
 * The JSON text of a lane entry. Refuses, before anything is written, what the tables would
 * refuse at the move (a missing value, NaN, an infinite number): an entry must always move.
 */
export function encodeLaneEntry(b: CommitBatch): string {
  if (b.offsets.length > 0 || b.rejected.length > 0 || b.laneLogThrough !== undefined) {
    throw new StorageError('constraint', 'a lane log entry holds journal, snapshot, fill and hedge order rows only');
  }
  checkRows('journal', b.journal);
  checkRows('snapshots', b.snapshots);
  checkRows('fills', b.fills);
  checkRows('hedgeOrders', b.hedgeOrders);
  let snapshots = '';
  for (const s of b.snapshots) {
    const text = s.snapshot instanceof JsonText ? s.snapshot.text : JSON.stringify(s.snapshot) as string | undefined;
    if (text === undefined) throw new StorageError('constraint', `snapshot of ${s.vaultId} is not JSON (a storage invariant was broken; nothing was written)`);
    snapshots += `${snapshots === '' ? '' : ','}{"vaultId":${JSON.stringify(s.vaultId)},"seq":${s.seq},"machineVersion":${s.machineVersion},"snapshot":${text}}`;
  }
  return `{"journal":${JSON.stringify(b.journal)},"snapshots":[${snapshots}],"fills":${JSON.stringify(b.fills)},"hedgeOrders":${JSON.stringify(b.hedgeOrders)}}`;
}

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
  const journal = (o.journal as (Omit<JournalRow, 'machineVersion'> & { machineVersion?: number })[]).map((r) => (r.machineVersion === undefined ? { ...r, machineVersion: 1 } : r as JournalRow));
  return { ...emptyBatch(), journal, snapshots: o.snapshots as SnapshotRow[], fills: o.fills as FillRow[], hedgeOrders: o.hedgeOrders as HedgeOrderRow[] };
}

/** Appends one entry (one statement: its own transaction); returns its id. */
export async function appendLaneEntry(conn: SqliteConnection, b: CommitBatch): Promise<number> {
  const payload = encodeLaneEntry(b);
  const r = await conn.run('INSERT INTO lane_log (payload) VALUES (?)', [payload]);
  return r.lastID;
}

/** Every entry not yet moved, as one batch in entry order, and the last entry's id; null if none. */
export async function readLaneLog(conn: SqliteConnection): Promise<{ through: number; entries: number; batch: CommitBatch } | null> {
  const rows = await conn.all<{ id: number; payload: string }>('SELECT id, payload FROM lane_log ORDER BY id');
  if (rows.length === 0) return null;
  const batch = emptyBatch();
  for (const r of rows) {
    const e = decodeLaneEntry(r.id, r.payload);
    batch.journal.push(...e.journal);
    batch.snapshots.push(...e.snapshots);
    batch.fills.push(...e.fills);
    batch.hedgeOrders.push(...e.hedgeOrders);
  }
  return { through: (rows[rows.length - 1] as { id: number }).id, entries: rows.length, batch };
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

// ---- Reads: table rows merged with the entries not yet moved (both read in one transaction,
// so each row is seen once; a row in both is the same row, the table's copy is kept). ----

const byVaultSeq = (a: { vaultId: string; seq: number }, b: { vaultId: string; seq: number }): number =>
  (a.vaultId < b.vaultId ? -1 : a.vaultId > b.vaultId ? 1 : a.seq - b.seq);

export function mergeJournal(table: JournalRow[], lane: CommitBatch, q: JournalQuery): JournalRow[] {
  const since = q.sinceSeq ?? 0;
  const seen = new Set(table.map((r) => `${r.vaultId}\u0000${r.seq}`));
  const extra = lane.journal.filter((r) => (q.vaultId === undefined || r.vaultId === q.vaultId) && r.seq > since && !seen.has(`${r.vaultId}\u0000${r.seq}`));
  if (extra.length === 0) return table;
  const all = [...table, ...extra].sort(byVaultSeq);
  return q.limit === undefined || q.limit < 0 ? all : all.slice(0, q.limit);
}

export function mergeLastTransition(table: JournalRow | null, lane: CommitBatch, vaultId: string): JournalRow | null {
  let best = table;
  for (const r of lane.journal) {
    if (r.vaultId === vaultId && r.fromState !== r.toState && (best === null || r.seq > best.seq)) best = r;
  }
  return best;
}

export function mergeVaultIds(table: string[], lane: CommitBatch): string[] {
  const ids = new Set(table);
  for (const r of lane.journal) ids.add(r.vaultId);
  for (const r of lane.snapshots) ids.add(r.vaultId);
  return [...ids].sort();
}

export function mergeSnapshots(table: SnapshotRow[], lane: CommitBatch): SnapshotRow[] {
  const latest = new Map(table.map((s) => [s.vaultId, s]));
  for (const s of lane.snapshots) {
    const t = latest.get(s.vaultId);
    if (t === undefined || s.seq > t.seq) latest.set(s.vaultId, s);
  }
  return [...latest.values()].sort((a, b) => (a.vaultId < b.vaultId ? -1 : a.vaultId > b.vaultId ? 1 : 0));
}

/** Orders by id, the lane's rows over the table's (entries are newer than the tables); then `keep`, oldest first. */
export function mergeHedgeOrders(table: HedgeOrderRow[], lane: CommitBatch, keep: (o: HedgeOrderRow) => boolean): HedgeOrderRow[] {
  if (lane.hedgeOrders.length === 0) return table;
  const byId = new Map(table.map((o) => [o.clientOrderId, o]));
  for (const o of lane.hedgeOrders) byId.set(o.clientOrderId, o);
  // The table read may be filtered (open orders only): an order the lane finalised is then
  // dropped by `keep`, one it opened is added.
  return [...byId.values()].filter(keep).sort((a, b) => a.createdAt - b.createdAt || (a.clientOrderId < b.clientOrderId ? -1 : a.clientOrderId > b.clientOrderId ? 1 : 0));
}

export function mergeFills(table: FillRow[], lane: CommitBatch, vaultId: string): FillRow[] {
  const seen = new Set(table.map((f) => f.fillId));
  const extra = lane.fills.filter((f) => f.vaultId === vaultId && !seen.has(f.fillId));
  if (extra.length === 0) return table;
  return [...table, ...extra].sort((a, b) => a.seq - b.seq || (a.fillId < b.fillId ? -1 : a.fillId > b.fillId ? 1 : 0));
}

export function mergeKnownFillIds(table: Set<string>, lane: CommitBatch, asked: readonly string[]): Set<string> {
  const wanted = new Set(asked);
  for (const f of lane.fills) if (wanted.has(f.fillId)) table.add(f.fillId);
  return table;
}
