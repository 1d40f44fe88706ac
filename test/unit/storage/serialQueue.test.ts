// The store's queue: one task at a time in call order; a task given to an idle queue starts
// inside run() (a commit reaches the worker thread before the caller moves on).
import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../../storage/serialQueue.ts';

describe('SerialQueue', () => {
  it('starts a task synchronously when idle, queues the rest in call order, one at a time', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    const task = (name: string, ms: number) => async (): Promise<string> => {
      running += 1;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
      running -= 1;
      return name;
    };
    const a = q.run(task('a', 20));
    expect(log).toEqual(['start a']); // synchronous start on an idle queue
    const b = q.run(task('b', 1));
    const c = q.run(task('c', 1));
    expect(log).toEqual(['start a']);
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    // Idle again: the next task starts synchronously too.
    const d = q.run(task('d', 1));
    expect(log.at(-1)).toBe('start d');
    await d;
  });

  it('a failing task (thrown or rejected) reaches its caller and does not block the queue', async () => {
    const q = new SerialQueue();
    const thrown = q.run(() => { throw new Error('sync boom'); });
    const rejected = q.run(() => Promise.reject(new Error('async boom')));
    const ok = q.run(() => Promise.resolve(7));
    await expect(thrown).rejects.toThrow('sync boom');
    await expect(rejected).rejects.toThrow('async boom');
    expect(await ok).toBe(7);
  });
});
