// The storage port the engine uses. storage/sqliteJournalStore.ts implements it on sqlite3;
// the engine depends on this interface only. All times unix ms; recordedAt is wall-clock.

export interface JournalRow {
  vaultId: string;
  /** Per-vault sequence, 1, 2, 3... unique on (vaultId, seq). */
  seq: number;
  /** Event time. */
  at: number;
  eventType: string;
  /** The event, as plain JSON. */
  event: unknown;
  fromState: string;
  toState: string;
  /** The numbers that drove the transition. */
  deltaBtc: number;
  priceUsd: number;
  hedgeBandBtc: number;
  /** Why it happened, in words (e.g. "delta 3.20 >= hedge band 3.00"). */
  reason: string;
  /** Source name and offset of the input (a price file's line/record index), if any. */
  source: string | null;
  sourceOffset: number | null;
  /** Wall-clock time of the commit: the only wall-clock field. */
  recordedAt: number;
  /** The vault machine version that decided the row: replay applies that version's rules. */
  machineVersion: number;
}

export interface SnapshotRow {
  vaultId: string;
  seq: number;
  machineVersion: number;
  /** actor.getPersistedSnapshot(), plain JSON, or the same already as JSON text (JsonText). */
  snapshot: unknown;
}

export interface FillRow {
  fillId: string;
  vaultId: string;
  instrument: string;
  side: 'buy' | 'sell';
  qty: number;
  priceUsd: number;
  at: number;
  /** Journal seq of the fill.received event that booked it. */
  seq: number;
}

export type HedgeOrderStatus = 'pending' | 'open' | 'filled' | 'cancelled' | 'rejected' | 'failed';

export interface HedgeOrderRow {
  clientOrderId: string;
  vaultId: string;
  side: 'buy' | 'sell';
  sizeBtc: number;
  limitPriceUsd: number;
  createdAt: number;
  status: HedgeOrderStatus;
  filledBtc: number;
  avgPriceUsd: number;
  feeUsd: number;
  updatedAt: number;
  reason: string | null;
}

export interface RejectedInputRow {
  /** e.g. 'prices:btcusdt.csv', 'fills:http', 'fills:jsonl'. */
  source: string;
  /** Short machine-readable reason, e.g. 'nan-price', 'out-of-order', 'unknown-vault'. */
  reason: string;
  /** Human detail. */
  detail: string;
  /** The raw input, truncated to a few KB. */
  payload: string;
  at: number | null;
  sourceOffset: number | null;
  recordedAt: number;
}

export interface SourceOffsetRow {
  source: string;
  /** The last input offset whose effects are committed. */
  offset: number;
}

/** Everything one group commit writes, in one transaction. */
export interface CommitBatch {
  journal: JournalRow[];
  /** Latest snapshot per vault (upsert). */
  snapshots: SnapshotRow[];
  fills: FillRow[];
  /** Upsert by clientOrderId. */
  hedgeOrders: HedgeOrderRow[];
  rejected: RejectedInputRow[];
  offsets: SourceOffsetRow[];
}

/** A batch with nothing in it. */
export function emptyBatch(): CommitBatch {
  return { journal: [], snapshots: [], fills: [], hedgeOrders: [], rejected: [], offsets: [] };
}

export interface JournalQuery {
  vaultId?: string;
  sinceSeq?: number;
  limit?: number;
}

export interface JournalStore {
  /** Writes the whole batch in one transaction (multi-row statements). Rejects on any failure; nothing is half-written. */
  commit(batch: CommitBatch): Promise<void>;
  latestSnapshots(): Promise<SnapshotRow[]>;
  /** Journal rows of one vault with seq > afterSeq, in seq order. */
  journalTail(vaultId: string, afterSeq: number): Promise<JournalRow[]>;
  readJournal(query: JournalQuery): Promise<JournalRow[]>;
  /** The newest journal row of a vault whose state changed (from != to), or null. */
  lastTransition(vaultId: string): Promise<JournalRow | null>;
  vaultIds(): Promise<string[]>;
  /** The subset of ids already stored in `fills`. */
  knownFillIds(fillIds: string[]): Promise<Set<string>>;
  fillsOf(vaultId: string): Promise<FillRow[]>;
  /** Hedge orders whose status is not final (pending or open). */
  openHedgeOrders(): Promise<HedgeOrderRow[]>;
  hedgeOrders(vaultId?: string): Promise<HedgeOrderRow[]>;
  sourceOffsets(): Promise<SourceOffsetRow[]>;
  rejectedCounts(): Promise<Record<string, number>>;
  rejectedInputs(limit?: number): Promise<RejectedInputRow[]>;
  close(): Promise<void>;
}
