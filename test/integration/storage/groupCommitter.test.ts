// The group committer on the real sqlite3 store: batching, order, and fail-fast.
import { afterAll, describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../../storage/groupCommitter.ts';
import type { CommitBatch } from '../../../storage/journalStore.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { StorageError } from '../../../storage/storageError.ts';
import { batch, fillRow, journalRow, snapshotRow, tempDir } from './storageFixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Counts transactions and checks that two never overlap. */
function counting(store: SqliteJournalStore) {
  const t = { commits: 0, inflight: 0, maxInflight: 0, sizes: [] as number[] };
  const target = {
    async commit(b: CommitBatch) {
      t.commits += 1;
      t.inflight += 1;
      t.maxInflight = Math.max(t.maxInflight, t.inflight);
      t.sizes.push(b.journal.length);
      try {
        await store.commit(b);
      } finally {
        t.inflight -= 1;
      }
    },
  };
  return { t, target };
}

describe('GroupCommitter on sqlite3', () => {
  it('turns 2,000 enqueues from 100 vaults into a few transactions, in order', async () => {
    const store = await SqliteJournalStore.open({ path: tmp.file('gc1.db'), create: 'if-missing' });
    const { t, target } = counting(store);
    const gc = new GroupCommitter(target, { maxDelayMs: 2, maxRows: 1000 });
    try {
      const resolved: string[] = [];
      const ps: Promise<void>[] = [];
      for (let seq = 1; seq <= 20; seq++) {
        for (let v = 0; v < 100; v++) {
          const id = `vault-${String(v).padStart(3, '0')}`;
          const key = `${id}#${seq}`;
          ps.push(gc.enqueue(batch({ journal: [journalRow(id, seq)], snapshots: [snapshotRow(id, seq)] })).then(() => { resolved.push(key); }));
        }
      }
      await Promise.all(ps);
      expect(resolved).toHaveLength(2000);
      // 2 rows per piece, 1000 rows per transaction at most: at least 4, and far fewer than 2000.
      expect(t.commits).toBeGreaterThanOrEqual(4);
      expect(t.commits).toBeLessThanOrEqual(10);
      expect(t.maxInflight).toBe(1);
      // Waiters resolve in enqueue order.
      const expected: string[] = [];
      for (let seq = 1; seq <= 20; seq++) for (let v = 0; v < 100; v++) expected.push(`vault-${String(v).padStart(3, '0')}#${seq}`);
      expect(resolved).toEqual(expected);
      const snaps = await store.latestSnapshots();
      expect(snaps).toHaveLength(100);
      expect(snaps.every((s) => s.seq === 20)).toBe(true);
      expect(await store.journalTail('vault-042', 0)).toHaveLength(20);
    } finally {
      await gc.close();
      await store.close();
    }
  });

  it('a duplicate fill id fails its whole transaction, every waiter, and all later work', async () => {
    const store = await SqliteJournalStore.open({ path: tmp.file('gc2.db'), create: 'if-missing' });
    await store.commit(batch({ journal: [journalRow('v1', 1)], fills: [fillRow('f-1', 'v1', 1)] }));
    const gc = new GroupCommitter(store, { maxDelayMs: 5 });
    try {
      const good = gc.enqueue(batch({ journal: [journalRow('v2', 1)] }));
      const bad = gc.enqueue(batch({ journal: [journalRow('v1', 2)], fills: [fillRow('f-1', 'v1', 2)] }));
      const results = await Promise.allSettled([good, bad]);
      for (const r of results) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StorageError);
        expect(((r as PromiseRejectedResult).reason as StorageError).kind).toBe('constraint');
      }
      expect((await store.readJournal({})).map((r) => `${r.vaultId}#${r.seq}`)).toEqual(['v1#1']);
      await expect(gc.enqueue(batch({ journal: [journalRow('v3', 1)] }))).rejects.toMatchObject({ kind: 'constraint' });
      expect(await store.vaultIds()).toEqual(['v1']);
    } finally {
      await store.close();
    }
  });
});
