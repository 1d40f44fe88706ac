// JournalStore on sqlite3: one connection, every operation serialised, each commit one
// transaction. Open it with SqliteJournalStore.open({ path, create, synchronous }).
import type {
  CommitBatch, FillRow, HedgeOrderRow, JournalQuery, JournalRow, JournalStore, RejectedInputRow,
  SnapshotRow, SourceOffsetRow,
} from './journalStore.ts';
import type { OpenDatabaseOptions } from './openDatabase.ts';
import { openDatabase } from './openDatabase.ts';
import { commitBatch, INLINE_MAX_ROWS } from './queries/commitBatch.ts';
import { fillsOf, knownFillIds } from './queries/readFills.ts';
import { hedgeOrders, openHedgeOrders } from './queries/readHedgeOrders.ts';
import { lastTransition, readJournal, vaultIds } from './queries/readJournal.ts';
import { rejectedCounts, rejectedInputs } from './queries/readRejected.ts';
import { latestSnapshots, sourceOffsets } from './queries/readSnapshots.ts';
import {
  appendLaneEntry, mergeFills, mergeHedgeOrders, mergeJournal, mergeKnownFillIds, mergeLastTransition, mergeSnapshots,
  mergeVaultIds, readLaneLog,
} from './queries/laneLog.ts';
import { rollbackQuietly } from './migrations.ts';
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
    return this.serial(() => {
      // A failed checkpoint means the disk is in trouble: stop rather than keep writing.
      const failed = this.checkpointer?.failed;
      if (failed !== undefined) return Promise.reject(failed);
      return commitBatch(this.conn, batch, this.inlineMaxRows);
    });
  }

  /**
   * Lane log: see JournalStore.appendLaneLog. One INSERT of one JSON row, its own transaction,
   * through a cached prepared statement: no SQL to build or parse, no per-column work.
   */
  appendLaneLog(batch: CommitBatch): Promise<number> {
    return this.serial(() => {
      const failed = this.checkpointer?.failed;
      if (failed !== undefined) return Promise.reject(failed);
      return appendLaneEntry(this.conn, batch);
    });
  }

  drainLaneLog(): Promise<number> {
    return this.serial(async () => {
      const lane = await readLaneLog(this.conn);
      if (lane === null) return 0;
      await commitBatch(this.conn, { ...lane.batch, laneLogThrough: lane.through }, this.inlineMaxRows);
      return lane.entries;
    });
  }

  latestSnapshots(): Promise<SnapshotRow[]> {
    return this.merged(() => latestSnapshots(this.conn), mergeSnapshots);
  }

  journalTail(vaultId: string, afterSeq: number): Promise<JournalRow[]> {
    const q = { vaultId, sinceSeq: afterSeq };
    return this.merged(() => readJournal(this.conn, q), (rows, lane) => mergeJournal(rows, lane, q));
  }

  readJournal(query: JournalQuery): Promise<JournalRow[]> {
    return this.merged(() => readJournal(this.conn, query), (rows, lane) => mergeJournal(rows, lane, query));
  }

  lastTransition(vaultId: string): Promise<JournalRow | null> {
    return this.merged(() => lastTransition(this.conn, vaultId), (row, lane) => mergeLastTransition(row, lane, vaultId));
  }

  vaultIds(): Promise<string[]> {
    return this.merged(() => vaultIds(this.conn), mergeVaultIds);
  }

  knownFillIds(fillIds: string[]): Promise<Set<string>> {
    return this.merged(() => knownFillIds(this.conn, fillIds), (known, lane) => mergeKnownFillIds(known, lane, fillIds));
  }

  fillsOf(vaultId: string): Promise<FillRow[]> {
    return this.merged(() => fillsOf(this.conn, vaultId), (rows, lane) => mergeFills(rows, lane, vaultId));
  }

  openHedgeOrders(): Promise<HedgeOrderRow[]> {
    return this.merged(() => openHedgeOrders(this.conn), (rows, lane) => mergeHedgeOrders(rows, lane, (o) => o.status === 'pending' || o.status === 'open'));
  }

  hedgeOrders(vaultId?: string): Promise<HedgeOrderRow[]> {
    return this.merged(() => hedgeOrders(this.conn, vaultId), (rows, lane) => mergeHedgeOrders(rows, lane, (o) => vaultId === undefined || o.vaultId === vaultId));
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

  /**
   * A read of the tables merged with the lane log entries not yet moved. Both are read in one
   * read transaction, so an entry another process (the engine) moves meanwhile is seen once.
   */
  private merged<T>(read: () => Promise<T>, merge: (rows: T, lane: CommitBatch) => T): Promise<T> {
    return this.serial(async () => {
      await this.conn.exec('BEGIN');
      let out: T;
      try {
        const lane = await readLaneLog(this.conn);
        const rows = await read();
        out = lane === null ? rows : merge(rows, lane.batch);
      } catch (err) {
        await rollbackQuietly(this.conn);
        throw err;
      }
      await this.conn.exec('COMMIT');
      return out;
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    if (this.closing) {
      return Promise.reject(new StorageError('closed', `journal store ${this.conn.path} is closed`));
    }
    return this.queue.run(task);
  }
}
