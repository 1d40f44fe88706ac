// Background WAL checkpoints and the store's serialisation of reads behind commits.
import { existsSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../storage/openDatabase.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { WalCheckpointer } from '../../../storage/walCheckpointer.ts';
import { batch, journalRow, snapshotRow, tempDir } from './storageFixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('background WAL checkpoints', () => {
  it('checkpoints off the commit path and leaves a whole database after close', async () => {
    const path = tmp.file('ckpt.db');
    const store = await SqliteJournalStore.open({ path, create: 'if-missing', checkpointIntervalMs: 20 });
    const rows = Array.from({ length: 3000 }, (_, i) => journalRow(`v${i % 10}`, Math.floor(i / 10) + 1));
    await store.commit(batch({ journal: rows, snapshots: [snapshotRow('v1', 300)] }));
    const walBytes = statSync(`${path}-wal`).size;
    expect(walBytes).toBeGreaterThan(100_000); // autocheckpoint is off: the commit stays in the WAL
    await new Promise((r) => setTimeout(r, 150));
    // After a checkpoint the next commit starts the WAL over from its beginning.
    await store.commit(batch({ journal: [journalRow('v1', 301)] }));
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const again = await SqliteJournalStore.open({ path, check: 'quick' });
    try {
      expect(await again.readJournal({})).toHaveLength(3001);
    } finally {
      await again.close();
    }
  });

  it('a failed checkpoint stops further commits', async () => {
    const path = tmp.file('ckfail.db');
    const conn = await openDatabase({ path, create: 'if-missing' });
    const ckConn = await openDatabase({ path, migrate: false });
    const checkpointer = new WalCheckpointer(ckConn, { intervalMs: 60_000 });
    await ckConn.close(); // the checkpoint connection dies underneath
    await checkpointer.checkpoint();
    expect(checkpointer.failed?.kind).toBe('closed');
    const store = new SqliteJournalStore(conn, checkpointer);
    await expect(store.commit(batch({ journal: [journalRow('v1', 1)] }))).rejects.toMatchObject({ kind: 'closed' });
    expect(await store.readJournal({})).toEqual([]);
    await store.close();
  });

  it('a read issued after a commit waits for it and sees all of it', async () => {
    const store = await SqliteJournalStore.open({ path: tmp.file('serial.db'), create: 'if-missing' });
    try {
      const rows = Array.from({ length: 2000 }, (_, i) => journalRow('v1', i + 1));
      const committing = store.commit(batch({ journal: rows }));
      const read = store.readJournal({ vaultId: 'v1' });
      const [, seen] = await Promise.all([committing, read]);
      expect(seen).toHaveLength(2000);
    } finally {
      await store.close();
    }
  });
});
