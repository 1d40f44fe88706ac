// Schema version 4: the lane log (version 2) is retired; hedge decisions are now written
// straight into the tables. Entries a crash left in it (a decision durable in the lane log, not
// yet moved) are folded into the tables first, exactly as the readers of versions 2 and 3
// merged them: a journal row or fill already in its table keeps the table's copy; a snapshot
// replaces the table's only if its seq is higher; a hedge order row replaces the table's (the
// lane was newer), later entries over earlier ones; journal rows without a machine version
// were written before schema version 3, when version 1 was the only one. Then the table is
// dropped, so no reader ever sees its format again.
// The entries are JSON (JSON.parse gives every double back exactly) and the rows are bound as
// parameters, not parsed by SQL. Column lists are written out here, frozen with this version.
import type { SqliteConnection } from '../sqliteConnection.ts';
import { StorageError } from '../storageError.ts';

export const MIGRATION_004_RETIRE_LANE_LOG = 'DROP TABLE lane_log;';

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

/** Moves every lane log entry into the tables, oldest first. Runs inside the migration's transaction. */
export async function foldLaneLog(conn: SqliteConnection): Promise<void> {
  const rows = await conn.all<{ id: number; payload: string }>('SELECT id, payload FROM lane_log ORDER BY id');
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
