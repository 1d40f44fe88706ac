// Encoding of the port's row types to SQL parameters (appended to one flat array, no
// per-row array: the group commit encodes tens of thousands of rows a second) and back. Column order here is the
// one the INSERT specs in storage/queries/commitBatch.ts use.
import type {
  FillRow,
  HedgeOrderRow,
  HedgeOrderStatus,
  JournalRow,
  RejectedInputRow,
  SnapshotRow,
  SourceOffsetRow,
} from './journalStore.ts';
import type { SqlParam } from './sqliteConnection.ts';
import { JsonText } from './jsonText.ts';

export const JOURNAL_COLUMNS = [
  'vault_id', 'seq', 'at', 'event_type', 'event_json', 'from_state', 'to_state',
  'delta_btc', 'price_usd', 'hedge_band_btc', 'reason', 'source', 'source_offset', 'recorded_at', 'machine_version',
] as const;

export interface JournalDbRow {
  vault_id: string; seq: number; at: number; event_type: string; event_json: string;
  from_state: string; to_state: string; delta_btc: number; price_usd: number;
  hedge_band_btc: number; reason: string; source: string | null; source_offset: number | null;
  recorded_at: number; machine_version: number;
}

export function encodeJournal(r: JournalRow, out: SqlParam[]): void {
  out.push(r.vaultId, intText(r.seq), intText(r.at), r.eventType, jsonOf(r.event), r.fromState, r.toState,
    r.deltaBtc, r.priceUsd, r.hedgeBandBtc, r.reason, r.source, r.sourceOffset === null ? null : intText(r.sourceOffset),
    intText(r.recordedAt), intText(r.machineVersion));
}

/**
 * A safe integer for an INTEGER column as its decimal text: the column's affinity stores it as
 * the very INTEGER that binding the number stores (exact for every safe integer), and the driver
 * binds a string much more cheaply than a number (for each number it looks up and tests the
 * global RegExp first); a journal row has five such columns. Anything else (NaN: bound as NULL
 * and refused by NOT NULL; a fraction) is bound as the number, as before.
 */
function intText(n: number): string | number {
  return Number.isSafeInteger(n) ? String(n) : n;
}

export function decodeJournal(d: JournalDbRow): JournalRow {
  return {
    vaultId: d.vault_id, seq: d.seq, at: d.at, eventType: d.event_type,
    event: JSON.parse(d.event_json) as unknown, fromState: d.from_state, toState: d.to_state,
    deltaBtc: d.delta_btc, priceUsd: d.price_usd, hedgeBandBtc: d.hedge_band_btc,
    reason: d.reason, source: d.source, sourceOffset: d.source_offset, recordedAt: d.recorded_at,
    machineVersion: d.machine_version,
  };
}

export const SNAPSHOT_COLUMNS = ['vault_id', 'seq', 'machine_version', 'snapshot_json'] as const;
export interface SnapshotDbRow { vault_id: string; seq: number; machine_version: number; snapshot_json: string }

export function encodeSnapshot(r: SnapshotRow, out: SqlParam[]): void {
  out.push(r.vaultId, r.seq, r.machineVersion, jsonOf(r.snapshot));
}

export function decodeSnapshot(d: SnapshotDbRow): SnapshotRow {
  return { vaultId: d.vault_id, seq: d.seq, machineVersion: d.machine_version, snapshot: JSON.parse(d.snapshot_json) as unknown };
}

export const FILL_COLUMNS = ['fill_id', 'vault_id', 'instrument', 'side', 'qty', 'price_usd', 'at', 'seq'] as const;
export interface FillDbRow {
  fill_id: string; vault_id: string; instrument: string; side: 'buy' | 'sell';
  qty: number; price_usd: number; at: number; seq: number;
}

export function encodeFill(r: FillRow, out: SqlParam[]): void {
  out.push(r.fillId, r.vaultId, r.instrument, r.side, r.qty, r.priceUsd, r.at, r.seq);
}

export function decodeFill(d: FillDbRow): FillRow {
  return { fillId: d.fill_id, vaultId: d.vault_id, instrument: d.instrument, side: d.side,
    qty: d.qty, priceUsd: d.price_usd, at: d.at, seq: d.seq };
}

export const HEDGE_ORDER_COLUMNS = [
  'client_order_id', 'vault_id', 'side', 'size_btc', 'limit_price_usd', 'created_at', 'status',
  'filled_btc', 'avg_price_usd', 'fee_usd', 'updated_at', 'reason',
] as const;
export interface HedgeOrderDbRow {
  client_order_id: string; vault_id: string; side: 'buy' | 'sell'; size_btc: number;
  limit_price_usd: number; created_at: number; status: HedgeOrderStatus; filled_btc: number;
  avg_price_usd: number; fee_usd: number; updated_at: number; reason: string | null;
}

export function encodeHedgeOrder(r: HedgeOrderRow, out: SqlParam[]): void {
  out.push(r.clientOrderId, r.vaultId, r.side, r.sizeBtc, r.limitPriceUsd, r.createdAt, r.status,
    r.filledBtc, r.avgPriceUsd, r.feeUsd, r.updatedAt, r.reason);
}

export function decodeHedgeOrder(d: HedgeOrderDbRow): HedgeOrderRow {
  return { clientOrderId: d.client_order_id, vaultId: d.vault_id, side: d.side, sizeBtc: d.size_btc,
    limitPriceUsd: d.limit_price_usd, createdAt: d.created_at, status: d.status, filledBtc: d.filled_btc,
    avgPriceUsd: d.avg_price_usd, feeUsd: d.fee_usd, updatedAt: d.updated_at, reason: d.reason };
}

export const REJECTED_COLUMNS = ['source', 'reason', 'detail', 'payload', 'at', 'source_offset', 'recorded_at'] as const;
export interface RejectedDbRow {
  source: string; reason: string; detail: string; payload: string;
  at: number | null; source_offset: number | null; recorded_at: number;
}

export function encodeRejected(r: RejectedInputRow, out: SqlParam[]): void {
  out.push(r.source, r.reason, r.detail, r.payload, r.at, r.sourceOffset, r.recordedAt);
}

export function decodeRejected(d: RejectedDbRow): RejectedInputRow {
  return { source: d.source, reason: d.reason, detail: d.detail, payload: d.payload,
    at: d.at, sourceOffset: d.source_offset, recordedAt: d.recorded_at };
}

export const OFFSET_COLUMNS = ['source', '"offset"'] as const;
export interface OffsetDbRow { source: string; offset: number }

export function encodeOffset(r: SourceOffsetRow, out: SqlParam[]): void {
  out.push(r.source, r.offset);
}

/**
 * JSON text of a plain value. undefined (not JSON) becomes NULL, which the NOT NULL column
 * refuses: an event or snapshot that cannot be stored fails the commit.
 */
function jsonOf(value: unknown): string | null {
  if (value instanceof JsonText) return value.text;
  const text = JSON.stringify(value) as string | undefined;
  return text ?? null;
}
