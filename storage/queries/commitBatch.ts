// Writes one CommitBatch in one BEGIN IMMEDIATE ... COMMIT transaction with multi-row
// statements (small batches: the whole transaction as one exec()), deleting the lane log
// entries whose rows it carries (laneLogThrough, see laneLog.ts) in the same transaction. Any failure rolls
// the whole batch back: nothing is half-written.
import { batchRowCount } from '../batchRowCount.ts';
import type { CommitBatch } from '../journalStore.ts';
import { rollbackQuietly } from '../migrations.ts';
import {
  encodeFill, encodeHedgeOrder, encodeJournal, encodeOffset, encodeRejected, encodeSnapshot,
  FILL_COLUMNS, HEDGE_ORDER_COLUMNS, JOURNAL_COLUMNS, OFFSET_COLUMNS, REJECTED_COLUMNS, SNAPSHOT_COLUMNS,
} from '../rowCodecs.ts';
import type { SqliteConnection } from '../sqliteConnection.ts';
import { StorageError, toStorageError } from '../storageError.ts';
import type { InsertSpec } from './insertRows.ts';
import { insertRows } from './insertRows.ts';
import { appendInlineInsert } from './inlineInsert.ts';

// Plain INSERT: a duplicate (vault_id, seq) or fill_id is a broken invariant and must
// fail the commit (SQLITE_CONSTRAINT), never be ignored.
const JOURNAL: InsertSpec = { table: 'journal', columns: JOURNAL_COLUMNS };
const FILLS: InsertSpec = { table: 'fills', columns: FILL_COLUMNS };
const REJECTED: InsertSpec = { table: 'rejected_inputs', columns: REJECTED_COLUMNS };

const SNAPSHOTS: InsertSpec = {
  table: 'snapshots',
  columns: SNAPSHOT_COLUMNS,
  suffix: ' ON CONFLICT (vault_id) DO UPDATE SET seq = excluded.seq, machine_version = excluded.machine_version, snapshot_json = excluded.snapshot_json',
};
/** Upsert by client order id: a later row of an order replaces the earlier. */
export const HEDGE_ORDERS: InsertSpec = {
  table: 'hedge_orders',
  columns: HEDGE_ORDER_COLUMNS,
  suffix: ' ON CONFLICT (client_order_id) DO UPDATE SET ' +
    HEDGE_ORDER_COLUMNS.filter((c) => c !== 'client_order_id').map((c) => `${c} = excluded.${c}`).join(', '),
};
const OFFSETS: InsertSpec = {
  table: 'source_offsets',
  columns: OFFSET_COLUMNS,
  suffix: ' ON CONFLICT (source) DO UPDATE SET "offset" = excluded."offset"',
};

/**
 * Batches up to this many rows go to the worker thread as one exec() with exact literals (one
 * round trip: small group commits, e.g. a few vaults' rows); larger ones bind parameters
 * to cached multi-row statements, which is cheaper per row (bench/journal.bench.ts style, in
 * memory: literals win on a few rows, tie near 100 and lose by far on thousands).
 */
export const INLINE_MAX_ROWS = 64;

export async function commitBatch(conn: SqliteConnection, batch: CommitBatch, inlineMaxRows = INLINE_MAX_ROWS, laneLogThrough?: number): Promise<void> {
  const rows = batchRowCount(batch) + (laneLogThrough === undefined ? 0 : 1);
  if (rows === 0) return;
  // Upserts keep only the last row per key: a group commit of many events of one vault
  // then writes its snapshot once.
  const snapshots = lastPerKey(batch.snapshots, (s) => s.vaultId);
  const hedgeOrders = lastPerKey(batch.hedgeOrders, (o) => o.clientOrderId);
  const offsets = lastPerKey(batch.offsets, (o) => o.source);
  if (rows <= inlineMaxRows) {
    // Built before anything is sent: a row that cannot be written fails with nothing begun.
    const sql: string[] = ['BEGIN IMMEDIATE;'];
    appendInlineInsert(sql, JOURNAL, batch.journal, encodeJournal);
    appendInlineInsert(sql, FILLS, batch.fills, encodeFill);
    appendInlineInsert(sql, SNAPSHOTS, snapshots, encodeSnapshot);
    appendInlineInsert(sql, HEDGE_ORDERS, hedgeOrders, encodeHedgeOrder);
    appendInlineInsert(sql, REJECTED, batch.rejected, encodeRejected);
    appendInlineInsert(sql, OFFSETS, offsets, encodeOffset);
    if (laneLogThrough !== undefined) sql.push(`DELETE FROM lane_log WHERE id <= ${laneLogId(laneLogThrough)};`);
    sql.push('COMMIT;');
    try {
      await conn.exec(sql.join('\n'));
    } catch (err) {
      // exec() stops at the failing statement, leaving the transaction open (or SQLite has
      // already rolled it back): either way nothing of the batch stays.
      await rollbackQuietly(conn);
      throw toStorageError(err, `commit of ${batch.journal.length} journal rows to ${conn.path}`);
    }
    return;
  }
  try {
    await conn.exec('BEGIN IMMEDIATE');
  } catch (err) {
    throw toStorageError(err, `begin commit on ${conn.path}`);
  }
  try {
    await insertRows(conn, JOURNAL, batch.journal, encodeJournal);
    await insertRows(conn, FILLS, batch.fills, encodeFill);
    await insertRows(conn, SNAPSHOTS, snapshots, encodeSnapshot);
    await insertRows(conn, HEDGE_ORDERS, hedgeOrders, encodeHedgeOrder);
    await insertRows(conn, REJECTED, batch.rejected, encodeRejected);
    await insertRows(conn, OFFSETS, offsets, encodeOffset);
    if (laneLogThrough !== undefined) await conn.run('DELETE FROM lane_log WHERE id <= ?', [laneLogId(laneLogThrough)]);
    await conn.exec('COMMIT');
  } catch (err) {
    await rollbackQuietly(conn);
    throw toStorageError(err, `commit of ${batch.journal.length} journal rows to ${conn.path}`);
  }
}

/** The lane log entry id a batch clears through: a safe integer, checked before it is spliced into SQL. */
function laneLogId(id: number): number {
  if (!Number.isSafeInteger(id) || id < 1) throw new StorageError('constraint', `lane log id ${id} is not a positive integer`);
  return id;
}

/** The last row per key, in the order of those last rows: what a row-by-row upsert leaves. */
export function lastPerKey<T>(rows: readonly T[], key: (row: T) => string): T[] {
  if (rows.length <= 1) return [...rows];
  const byKey = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    byKey.delete(k); // keep the position of the last write
    byKey.set(k, r);
  }
  return [...byKey.values()];
}
