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

/** The rows of `a` then those of `b`, table by table (order within each table kept). */
export function concatBatches(a: CommitBatch, b: CommitBatch): CommitBatch {
  return {
    journal: [...a.journal, ...b.journal], snapshots: [...a.snapshots, ...b.snapshots], fills: [...a.fills, ...b.fills],
    hedgeOrders: [...a.hedgeOrders, ...b.hedgeOrders], rejected: [...a.rejected, ...b.rejected], offsets: [...a.offsets, ...b.offsets],
  };
}

export interface JournalQuery {
  vaultId?: string;
  sinceSeq?: number;
  limit?: number;
}

export interface JournalStore {
  /**
   * Writes the whole batch into the tables in one transaction (multi-row statements), carrying
   * ahead of it, in the same transaction, the rows of every commitDecision() made durable
   * since the last commit. Rejects on any failure; nothing is half-written.
   */
  commit(batch: CommitBatch): Promise<void>;
  /**
   * A hedge decision that must not wait for the tables: makes its rows (journal, fills, hedge
   * orders; no snapshot, no source offset) durable at once in one small transaction, and holds
   * them until the next commit() writes them into the tables. Reads show the tables only: the
   * state as of the last commit(), at most one group-commit delay behind. An engine starting up
   * calls foldDecisions() first, for what a crash left.
   */
  commitDecision(batch: CommitBatch): Promise<void>;
  /** Writes into the tables every decision a crash left durable but not yet in them; returns how many. At engine start, before anything is read. */
  foldDecisions(): Promise<number>;
  /**
   * The decisions durable but not yet in the tables, oldest first: what a crash left until the
   * next start folds it, or a live engine's last few ms. For display only (`status` shows them
   * beside the tables); every other read, and the engine, see the tables alone.
   */
  pendingDecisions(): Promise<CommitBatch[]>;
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
