// Moves WAL checkpoints off the commit path. With synchronous=NORMAL a WAL commit does not
// fsync, but SQLite's automatic checkpoint (every 1000 WAL pages) runs inside the commit
// that crosses the threshold and fsyncs the WAL and the database there, which made group
// commit several times slower (bench/journal.bench.ts). Instead the writer turns
// autocheckpoint off and this second connection runs PASSIVE checkpoints on a timer, on
// another libuv worker thread, never blocking the writer. Durability is unchanged: a
// commit is durable once it is in the WAL.
import type { SqliteConnection } from './sqliteConnection.ts';
import type { StorageError } from './storageError.ts';
import { toStorageError } from './storageError.ts';

export interface WalCheckpointerOptions {
  /** How often to checkpoint. Default 250 ms. */
  intervalMs?: number;
}

export class WalCheckpointer {
  private readonly conn: SqliteConnection;
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  private failure: StorageError | undefined;
  private stopped = false;
  /** Checkpoints run so far. */
  count = 0;

  constructor(conn: SqliteConnection, options: WalCheckpointerOptions = {}) {
    this.conn = conn;
    this.timer = setInterval(() => this.tick(), options.intervalMs ?? 250);
    // A checkpointer alone must not keep the process alive.
    this.timer.unref();
  }

  /** The error of a failed checkpoint, if any: the disk is in trouble, stop committing. */
  get failed(): StorageError | undefined {
    return this.failure;
  }

  /** Runs one PASSIVE checkpoint now (also used by tests and before close). */
  checkpoint(): Promise<void> {
    if (this.running !== undefined) return this.running;
    if (this.stopped || this.failure !== undefined) return Promise.resolve();
    this.running = this.conn
      .get('PRAGMA wal_checkpoint(PASSIVE)')
      .then(
        () => {
          this.count += 1;
        },
        (err: unknown) => {
          this.failure = toStorageError(err, `checkpoint of ${this.conn.path}`);
        },
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops the timer, waits for a running checkpoint, closes the connection. */
  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.running !== undefined) await this.running;
    await this.conn.close();
  }

  private tick(): void {
    // The promise never rejects: failures are kept in `failure` for the store to report.
    void this.checkpoint();
  }
}
