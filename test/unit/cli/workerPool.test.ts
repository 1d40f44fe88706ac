import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../src/cli/compose/workerPool.ts';

const ENTRY = new URL('../../fixtures/workers/arithmeticWorker.ts', import.meta.url);

describe('WorkerPool', () => {
  it('runs every task on its threads and answers each in order of submission', async () => {
    const pool = new WorkerPool<number | 'exit', number>(ENTRY, 2, { factor: 2 });
    try {
      expect(await Promise.all([1, 2, 3, 4, 5].map((n) => pool.run(n)))).toEqual([2, 4, 6, 8, 10]);
      // A task that throws in the worker rejects with its message; the pool goes on.
      await expect(pool.run(-1)).rejects.toThrow(/negative input -1/);
      expect(await pool.run(7)).toBe(14);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('a thread that dies fails what is pending and everything after it', async () => {
    const pool = new WorkerPool<number | 'exit', number>(ENTRY, 1, { factor: 3 });
    try {
      expect(await pool.run(1)).toBe(3);
      const dying = pool.run('exit');
      const queued = pool.run(2);
      await expect(dying).rejects.toThrow(/exited \(code 3\)/);
      await expect(queued).rejects.toThrow(/exited/);
      await expect(pool.run(3)).rejects.toThrow(/exited/);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('refuses a size below one', () => {
    expect(() => new WorkerPool(ENTRY, 0, {})).toThrow(RangeError);
  });
});
