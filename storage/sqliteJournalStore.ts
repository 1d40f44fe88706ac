// JournalStore on sqlite3: one connection, every operation serialised, each commit one
// transaction. Open it with SqliteJournalStore.open({ path, create, synchronous }).
import { concatBatches } from './journalStore.ts';
import type {
  CommitBatch, FillRow, HedgeOrderRow, JournalQuery, JournalRow, JournalStore, RejectedInputRow,
  SnapshotRow, SourceOffsetRow,
} from './journalStore.ts';
import type { OpenDatabaseOptions } from './openDatabase.ts';
import { openDatabase } from './openDatabase.ts';
import { commitBatch, INLINE_MAX_ROWS } from './queries/commitBatch.ts';
import { appendLaneEntry, foldLaneLog, readLaneLog } from './queries/laneLog.ts';
import { fillsOf, knownFillIds } from './queries/readFills.ts';
import { hedgeOrders, openHedgeOrders } from './queries/readHedgeOrders.ts';
import { lastTransition, readJournal, vaultIds } from './queries/readJournal.ts';
import { rejectedCounts, rejectedInputs } from './queries/readRejected.ts';
import { latestSnapshots, sourceOffsets } from './queries/readSnapshots.ts';
import { SerialQueue } from './serialQueue.ts';
import type { SqliteConnection } from './sqliteConnection.ts';
import { StorageError } from './storageError.ts';
import { WalCheckpointer } from './walCheckpointer.ts';

export interface JournalStoreOptions extends OpenDatabaseOptions {
  /**
   * 'background' (default for files): WAL checkpoints run on a second connection every
   * checkpointIntervalMs, off the commit path. 'auto': SQLite's own autocheckpoint, inside
   * whichever commit crosses 1000 WAL pages.
   */
  checkpoint?: 'background' | 'auto';
  /** Default 250 ms. */
  checkpointIntervalMs?: number;
  /** Commits of at most this many rows go as one exec() (default INLINE_MAX_ROWS; 0: never). */
  inlineMaxRows?: number;
}

/** WAL file size kept after a checkpoint resets it: 64 MiB. */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export class SqliteJournalStore implements JournalStore {
  private readonly conn: SqliteConnection;
  private readonly checkpointer: WalCheckpointer | undefined;
  private readonly queue = new SerialQueue();
  private closing = false;
  private readonly inlineMaxRows: number;
  /** Decisions durable in the lane log and not yet in the tables (commitDecision), oldest first, and the last entry's id. */
  private decisions: { batches: CommitBatch[]; through: number | undefined } = { batches: [], through: undefined };

  constructor(conn: SqliteConnection, checkpointer?: WalCheckpointer, inlineMaxRows = INLINE_MAX_ROWS) {
    this.conn = conn;
    this.checkpointer = checkpointer;
    this.inlineMaxRows = inlineMaxRows;
  }

  /** Opens (and migrates) the database; see JournalStoreOptions for create, sync mode, checkpoints. */
  static async open(options: JournalStoreOptions = {}): Promise<SqliteJournalStore> {
    const conn = await openDatabase(options);
    const memory = conn.path === ':memory:' || conn.path === '';
    if (memory || options.checkpoint === 'auto') return new SqliteJournalStore(conn, undefined, options.inlineMaxRows);
    try {
      await conn.exec('PRAGMA wal_autocheckpoint = 0');
      await conn.exec(`PRAGMA journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
      const ckConn = await openDatabase({ ...options, path: conn.path, create: 'never', migrate: false, check: 'header' });
      const checkpointer = new WalCheckpointer(ckConn, options.checkpointIntervalMs === undefined ? {} : { intervalMs: options.checkpointIntervalMs });
      return new SqliteJournalStore(conn, checkpointer, options.inlineMaxRows);
    } catch (err) {
      await conn.close();
      throw err;
    }
  }

  get path(): string {
    return this.conn.path;
  }

  commit(batch: CommitBatch): Promise<void> {
    return this.serial(async () => {
      this.checkDisk();
      // Decisions durable in the lane log go into the tables first, in this transaction, which
      // deletes their entries: no reader ever has to look at the lane log.
      const carried = this.decisions;
      const rows = carried.batches.reduceRight((acc, part) => concatBatches(part, acc), batch);
      await commitBatch(this.conn, rows, this.inlineMaxRows, carried.through);
      this.decisions = { batches: [], through: undefined };
    });
  }

  /**
   * See JournalStore.commitDecision. One INSERT of one JSON row (storage/queries/laneLog.ts),
   * its own transaction, through a cached prepared statement; the rows wait in memory for the
   * next commit.
   */
  commitDecision(batch: CommitBatch): Promise<void> {
    return this.serial(async () => {
      this.checkDisk();
      const id = await appendLaneEntry(this.conn, batch);
      this.decisions = { batches: [...this.decisions.batches, batch], through: id };
    });
  }

  /** See JournalStore.foldDecisions: the lane log entries a crash left, into the tables. */
  foldDecisions(): Promise<number> {
    return this.serial(() => foldLaneLog(this.conn));
  }

  /** See JournalStore.pendingDecisions: the lane log's entries (this process's own, or another's or a crash's). */
  pendingDecisions(): Promise<CommitBatch[]> {
    return this.serial(() => readLaneLog(this.conn));
  }

  /** A failed checkpoint means the disk is in trouble: stop rather than keep writing. */
  private checkDisk(): void {
    const failed = this.checkpointer?.failed;
    if (failed !== undefined) throw failed;
  }

  latestSnapshots(): Promise<SnapshotRow[]> {
    return this.serial(() => latestSnapshots(this.conn));
  }

  journalTail(vaultId: string, afterSeq: number): Promise<JournalRow[]> {
    return this.serial(() => readJournal(this.conn, { vaultId, sinceSeq: afterSeq }));
  }

  readJournal(query: JournalQuery): Promise<JournalRow[]> {
    return this.serial(() => readJournal(this.conn, query));
  }

  lastTransition(vaultId: string): Promise<JournalRow | null> {
    return this.serial(() => lastTransition(this.conn, vaultId));
  }

  vaultIds(): Promise<string[]> {
    return this.serial(() => vaultIds(this.conn));
  }

  knownFillIds(fillIds: string[]): Promise<Set<string>> {
    return this.serial(() => knownFillIds(this.conn, fillIds));
  }

  fillsOf(vaultId: string): Promise<FillRow[]> {
    return this.serial(() => fillsOf(this.conn, vaultId));
  }

  openHedgeOrders(): Promise<HedgeOrderRow[]> {
    return this.serial(() => openHedgeOrders(this.conn));
  }

  hedgeOrders(vaultId?: string): Promise<HedgeOrderRow[]> {
    return this.serial(() => hedgeOrders(this.conn, vaultId));
  }

  sourceOffsets(): Promise<SourceOffsetRow[]> {
    return this.serial(() => sourceOffsets(this.conn));
  }

  rejectedCounts(): Promise<Record<string, number>> {
    return this.serial(() => rejectedCounts(this.conn));
  }

  rejectedInputs(limit?: number): Promise<RejectedInputRow[]> {
    return this.serial(() => rejectedInputs(this.conn, limit));
  }

  /** Waits for queued operations, then closes the connection. Idempotent. */
  close(): Promise<void> {
    this.closing = true;
    return this.queue.run(async () => {
      // The checkpointer goes first, so the writer is the last connection and its close
      // checkpoints the whole WAL into the database file.
      await this.checkpointer?.close();
      await this.conn.close();
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    if (this.closing) {
      return Promise.reject(new StorageError('closed', `journal store ${this.conn.path} is closed`));
    }
    return this.queue.run(task);
  }
}
