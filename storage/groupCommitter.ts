// Group commit: many callers' CommitBatch pieces share one transaction. A piece waits at
// most maxDelayMs for company (0 = until the current macrotask ends, via setImmediate);
// a commit takes whole pieces up to maxRows; while one commit runs, new pieces pile up and
// go in the next one the moment it ends. Commits never overlap. The first failed commit
// rejects every waiter and stops the committer for good: the engine must stop, not act on
// anything uncommitted. It works on any JournalStore (CommitTarget), not only sqlite.
import { emptyBatch, type CommitBatch } from './journalStore.ts';
import { batchRowCount } from './batchRowCount.ts';
import { StorageError, toStorageError } from './storageError.ts';

export interface CommitTarget {
  commit(batch: CommitBatch): Promise<void>;
}

export interface GroupCommitterOptions {
  /** Longest a piece waits before its commit starts when no commit is running. Default 2 ms. */
  maxDelayMs?: number;
  /** Rows (all tables) per transaction before it is committed without waiting. Default 5000. */
  maxRows?: number;
  /** Called after each successful commit, e.g. for metrics. */
  onCommit?: (info: { pieces: number; rows: number; durationMs: number }) => void;
}

interface Piece {
  batch: CommitBatch;
  rows: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class GroupCommitter {
  /** Counters since construction: commits made, pieces and rows they carried. */
  readonly stats = { commits: 0, pieces: 0, rows: 0 };
  private readonly target: CommitTarget;
  private readonly maxDelayMs: number;
  private readonly maxRows: number;
  private readonly onCommit: GroupCommitterOptions['onCommit'];
  private pending: Piece[] = [];
  private pendingRows = 0;
  private timer: { cancel: () => void } | undefined;
  private inflight = false;
  private failure: StorageError | undefined;
  private closed = false;

  constructor(target: CommitTarget, options: GroupCommitterOptions = {}) {
    this.target = target;
    this.maxDelayMs = options.maxDelayMs ?? 2;
    this.maxRows = options.maxRows ?? 5000;
    this.onCommit = options.onCommit;
  }

  /** Resolves once a commit containing `batch` is durable; rejects if that commit (or an earlier one) failed. */
  enqueue(batch: CommitBatch): Promise<void> {
    const refused = this.refusal();
    if (refused !== undefined) return Promise.reject(refused);
    return new Promise<void>((resolve, reject) => {
      const rows = batchRowCount(batch);
      this.pending.push({ batch, rows, resolve, reject });
      this.pendingRows += rows;
      this.schedule(false);
    });
  }

  /** Commits everything enqueued so far, now; resolves when it is committed. */
  flush(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.haltedError());
    if (this.pending.length === 0 && !this.inflight) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      // An empty marker piece: it is committed after everything before it.
      this.pending.push({ batch: emptyBatch(), rows: 0, resolve, reject });
      this.schedule(true);
    });
  }

  /** Flushes, then refuses further work. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  get failed(): StorageError | undefined {
    return this.failure;
  }

  private refusal(): StorageError | undefined {
    if (this.failure !== undefined) return this.haltedError();
    if (this.closed) return new StorageError('closed', 'group committer is closed');
    return undefined;
  }

  private schedule(now: boolean): void {
    if (this.inflight) return; // the running commit starts the next one when it ends
    if (now || this.pendingRows >= this.maxRows) {
      this.cancelTimer();
      this.startCommit();
      return;
    }
    if (this.timer !== undefined) return;
    const fire = (): void => {
      this.timer = undefined;
      this.startCommit();
    };
    if (this.maxDelayMs <= 0) {
      const h = setImmediate(fire);
      this.timer = { cancel: () => clearImmediate(h) };
    } else {
      const h = setTimeout(fire, this.maxDelayMs);
      this.timer = { cancel: () => clearTimeout(h) };
    }
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private startCommit(): void {
    if (this.inflight || this.pending.length === 0 || this.failure !== undefined) return;
    const pieces = this.take();
    const batch = merge(pieces);
    const rows = batchRowCount(batch);
    const started = performance.now();
    this.inflight = true;
    // Both outcomes are handled below; a throwing onCommit surfaces as an unhandled
    // rejection, which stops the process (fail fast).
    void this.target.commit(batch).then(
      () => {
        this.inflight = false;
        this.stats.commits += 1;
        this.stats.pieces += pieces.length;
        this.stats.rows += rows;
        for (const p of pieces) p.resolve();
        // Pieces that arrived during the commit have waited long enough: go at once.
        if (this.pending.length > 0) {
          this.cancelTimer();
          this.startCommit();
        }
        this.onCommit?.({ pieces: pieces.length, rows, durationMs: performance.now() - started });
      },
      (err: unknown) => {
        this.inflight = false;
        this.halt(toStorageError(err, 'group commit'), pieces);
      },
    );
  }

  /** Whole pieces in enqueue order, at least one, up to maxRows rows. */
  private take(): Piece[] {
    let rows = 0;
    let n = 0;
    while (n < this.pending.length) {
      const p = this.pending[n] as Piece;
      if (n > 0 && rows + p.rows > this.maxRows) break;
      rows += p.rows;
      n += 1;
    }
    const taken = this.pending.splice(0, n);
    this.pendingRows -= rows;
    return taken;
  }

  private halt(err: StorageError, committing: Piece[]): void {
    this.failure = err;
    this.cancelTimer();
    for (const p of committing) p.reject(err);
    const waiting = this.pending;
    this.pending = [];
    this.pendingRows = 0;
    const halted = this.haltedError();
    for (const p of waiting) p.reject(halted);
  }

  private haltedError(): StorageError {
    const f = this.failure as StorageError;
    return new StorageError(f.kind, `group committer stopped after a failed commit: ${f.message}`, {
      cause: f,
      ...(f.code === undefined ? {} : { code: f.code }),
    });
  }
}

export { emptyBatch };

function merge(pieces: readonly Piece[]): CommitBatch {
  if (pieces.length === 1) return (pieces[0] as Piece).batch;
  const out = emptyBatch();
  for (const { batch: b } of pieces) {
    for (const r of b.journal) out.journal.push(r);
    for (const r of b.snapshots) out.snapshots.push(r);
    for (const r of b.fills) out.fills.push(r);
    for (const r of b.hedgeOrders) out.hedgeOrders.push(r);
    for (const r of b.rejected) out.rejected.push(r);
    for (const r of b.offsets) out.offsets.push(r);
    if (b.laneLogThrough !== undefined) out.laneLogThrough = Math.max(out.laneLogThrough ?? 0, b.laneLogThrough);
  }
  return out;
}
