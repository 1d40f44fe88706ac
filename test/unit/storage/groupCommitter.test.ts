// Flush policy and failure handling of the group committer against an in-memory target.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupCommitter } from '../../../storage/groupCommitter.ts';
import type { CommitBatch } from '../../../storage/journalStore.ts';
import { StorageError } from '../../../storage/storageError.ts';
import { batch, journalRow } from '../../integration/storage/storageFixtures.ts';

/** Records each commit; commits complete when the test says so. */
class ManualTarget {
  readonly commits: CommitBatch[] = [];
  private readonly settle: { resolve: () => void; reject: (e: Error) => void }[] = [];
  inflight = 0;
  maxInflight = 0;
  commit(b: CommitBatch): Promise<void> {
    this.commits.push(b);
    this.inflight += 1;
    this.maxInflight = Math.max(this.maxInflight, this.inflight);
    return new Promise<void>((resolve, reject) => {
      this.settle.push({
        resolve: () => { this.inflight -= 1; resolve(); },
        reject: (e) => { this.inflight -= 1; reject(e); },
      });
    });
  }
  finishNext(err?: Error): void {
    const s = this.settle.shift();
    if (s === undefined) throw new Error('no commit in flight');
    if (err) s.reject(err); else s.resolve();
  }
}

const piece = (vault: string, seq: number) => batch({ journal: [journalRow(vault, seq)] });

describe('GroupCommitter', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('waits maxDelayMs, then commits everything enqueued meanwhile in one transaction', async () => {
    const target = new ManualTarget();
    const gc = new GroupCommitter(target, { maxDelayMs: 5 });
    const done: number[] = [];
    const ps = [1, 2, 3].map((seq) => gc.enqueue(piece('v', seq)).then(() => { done.push(seq); }));
    await vi.advanceTimersByTimeAsync(4);
    expect(target.commits).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(target.commits).toHaveLength(1);
    expect(target.commits[0]!.journal.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(done).toEqual([]); // not resolved before the commit is durable
    target.finishNext();
    await Promise.all(ps);
    expect(done).toEqual([1, 2, 3]);
    expect(gc.stats).toEqual({ commits: 1, pieces: 3, rows: 3 });
  });

  it('commits at once when maxRows is reached, whole pieces only, never two at a time', async () => {
    const target = new ManualTarget();
    const gc = new GroupCommitter(target, { maxDelayMs: 1000, maxRows: 4 });
    const ps: Promise<void>[] = [];
    for (let seq = 1; seq <= 10; seq++) ps.push(gc.enqueue(piece('v', seq)));
    await vi.advanceTimersByTimeAsync(0);
    expect(target.commits).toHaveLength(1);
    expect(target.commits[0]!.journal).toHaveLength(4);
    target.finishNext();
    await vi.advanceTimersByTimeAsync(0);
    // The backlog goes next, at once, capped at maxRows.
    expect(target.commits).toHaveLength(2);
    expect(target.commits[1]!.journal.map((r) => r.seq)).toEqual([5, 6, 7, 8]);
    target.finishNext();
    await vi.advanceTimersByTimeAsync(0);
    target.finishNext();
    await Promise.all(ps);
    expect(target.commits.map((c) => c.journal.length)).toEqual([4, 4, 2]);
    expect(target.maxInflight).toBe(1);
  });

  it('never splits a piece, even one larger than maxRows', async () => {
    const target = new ManualTarget();
    const gc = new GroupCommitter(target, { maxRows: 3 });
    const big = batch({ journal: [1, 2, 3, 4, 5].map((s) => journalRow('v', s)) });
    const p = gc.enqueue(big);
    await vi.advanceTimersByTimeAsync(0);
    expect(target.commits[0]!.journal).toHaveLength(5);
    target.finishNext();
    await p;
  });

  it('flush commits now and resolves after everything before it', async () => {
    const target = new ManualTarget();
    const gc = new GroupCommitter(target, { maxDelayMs: 60_000 });
    const p1 = gc.enqueue(piece('v', 1));
    const f = gc.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(target.commits).toHaveLength(1);
    target.finishNext();
    await Promise.all([p1, f]);
    await gc.flush(); // nothing pending: resolves at once
    await gc.close();
    await expect(gc.enqueue(piece('v', 2))).rejects.toMatchObject({ kind: 'closed' });
  });

  it('on a failed commit rejects every waiter and refuses further work', async () => {
    const target = new ManualTarget();
    const gc = new GroupCommitter(target, { maxDelayMs: 1, maxRows: 2 });
    const first = [gc.enqueue(piece('v', 1)), gc.enqueue(piece('v', 2))];
    await vi.advanceTimersByTimeAsync(0);
    const queued = [gc.enqueue(piece('v', 3)), gc.flush()];
    const outcomes = Promise.allSettled([...first, ...queued]);
    target.finishNext(new StorageError('full', 'disk full', { code: 'SQLITE_FULL' }));
    const results = await outcomes;
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    const reasons = results.map((r) => (r as PromiseRejectedResult).reason as StorageError);
    expect(reasons.every((e) => e instanceof StorageError && e.kind === 'full')).toBe(true);
    expect(reasons[0]!.message).toBe('disk full');
    expect(reasons[2]!.message).toMatch(/^group committer stopped after a failed commit: disk full/);
    expect(target.commits).toHaveLength(1); // queued work was never attempted
    await expect(gc.enqueue(piece('v', 4))).rejects.toMatchObject({ kind: 'full' });
    await expect(gc.flush()).rejects.toBeInstanceOf(StorageError);
    expect(gc.failed?.kind).toBe('full');
    await vi.advanceTimersByTimeAsync(10);
    expect(target.commits).toHaveLength(1);
  });

  it('maxDelayMs 0 batches everything enqueued in the same macrotask', async () => {
    const target = new ManualTarget();
    const gc = new GroupCommitter(target, { maxDelayMs: 0 });
    const ps = Array.from({ length: 100 }, (_, i) => gc.enqueue(piece(`v${i}`, 1)));
    await vi.advanceTimersByTimeAsync(0);
    await vi.runAllTimersAsync();
    expect(target.commits).toHaveLength(1);
    expect(target.commits[0]!.journal).toHaveLength(100);
    target.finishNext();
    await Promise.all(ps);
  });
});
