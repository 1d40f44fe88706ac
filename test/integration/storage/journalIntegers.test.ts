// The journal's integer columns (seq, at, source_offset, recorded_at, machine_version) are bound
// as decimal text (cheaper in the driver than a number): SQLite's INTEGER affinity must store the
// very INTEGER a bound number stored, on both commit paths (one exec with literals for small
// batches, bound multi-row statements for large ones), and a NaN must still fail the commit.
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { StorageError } from '../../../storage/storageError.ts';
import { readOnlyQuery } from '../../fixtures/readOnlyQuery.ts';
import { batch, journalRow, tempDir } from './storageFixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const COLUMNS = ['seq', 'at', 'source_offset', 'recorded_at', 'machine_version'] as const;

describe('journal integer columns', () => {
  it('read back as INTEGERs equal to what was written, small and large batches alike', async () => {
    const file = tmp.file('ints.db');
    const store = await SqliteJournalStore.open({ path: file, create: 'if-missing' });
    // 3 rows: the literal path; 200 rows: bound statements. Extremes of the safe range, negatives, zero.
    const small = [1, 2, 3].map((seq) => journalRow('lit', seq, { at: -(2 ** 53 - 1), sourceOffset: 0, recordedAt: 2 ** 53 - 1 }));
    const large = Array.from({ length: 200 }, (_, i) => journalRow('bound', i + 1, { sourceOffset: i % 3 === 0 ? null : -i, recordedAt: 4e12 + i }));
    try {
      await store.commit(batch({ journal: small }));
      await store.commit(batch({ journal: large }));
      for (const [id, rows] of [['lit', small], ['bound', large]] as const) {
        const back = await store.readJournal({ vaultId: id });
        expect(back).toEqual(rows);
      }
      // A fraction in an INTEGER column stays a REAL, as a bound number did.
      await store.commit(batch({ journal: [journalRow('frac', 1, { at: 1.5 })] }));
      expect((await store.readJournal({ vaultId: 'frac' }))[0]!.at).toBe(1.5);
      const seqNan = await store.commit(batch({ journal: [journalRow('nan', Number.NaN)] })).then(() => undefined, (e: unknown) => e);
      expect(seqNan).toBeInstanceOf(StorageError);
      const atNan = await store.commit(batch({ journal: Array.from({ length: 100 }, (_, i) => journalRow('nan', i + 1, i === 50 ? { at: Number.NaN } : {})) })).then(() => undefined, (e: unknown) => e);
      expect(atNan).toBeInstanceOf(StorageError);
    } finally {
      await store.close();
    }
    const types = await readOnlyQuery<{ vault_id: string; t: string }>(file, `SELECT vault_id, ${COLUMNS.map((c) => `typeof(${c})`).join(" || ',' || ")} AS t FROM journal WHERE vault_id IN ('lit', 'bound') AND source_offset IS NOT NULL`);
    expect(types.length).toBeGreaterThan(100);
    for (const r of types) expect(r.t).toBe('integer,integer,integer,integer,integer');
    const nan = await readOnlyQuery<{ n: number }>(file, "SELECT count(*) AS n FROM journal WHERE vault_id = 'nan'");
    expect(nan[0]!.n).toBe(0);
  });
});
