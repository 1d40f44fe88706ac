// A clean stop leaves every vault with a snapshot at its last journaled event, so the next start
// (or an upgrade) folds no journal tail: also a vault recovered with a tail that saw no event
// before the stop.
import { describe, expect, it } from 'vitest';
import { priceSlice, memoryStore, replayAll, simVenue, startEngine } from '../../fixtures/engineHarness.ts';
import { straddleVault } from '../../fixtures/vaults.ts';
import type { JournalStore } from '../../../storage/journalStore.ts';

const records = priceSlice(250);
const vaults = () => [
  straddleVault({ bands: { kind: 'fixed', quoteBtc: 0.3, hedgeBtc: 0.8, reentryBtc: 0.15, hardBtc: 3 } }, 'a'),
  straddleVault({ bands: { kind: 'fixed', quoteBtc: 5, hedgeBtc: 9, reentryBtc: 2, hardBtc: 12 } }, 'calm'),
];

async function lagging(store: JournalStore): Promise<string[]> {
  const out: string[] = [];
  for (const s of await store.latestSnapshots()) {
    const rows = await store.journalTail(s.vaultId, 0);
    const last = rows[rows.length - 1]?.seq ?? 0;
    if (s.seq !== last) out.push(`${s.vaultId}: snapshot at ${s.seq}, journal at ${last}`);
  }
  return out;
}

describe('a clean stop', () => {
  it('snapshots every vault at its last event, including one recovered with a tail and left untouched', async () => {
    const store = await memoryStore();
    const venue = await simVenue(records);
    // First life: ends without a stop (a crash after the last commit): the calm vault, which
    // never changes state, keeps a journal tail behind its snapshot.
    const first = await startEngine(store, venue, vaults());
    await replayAll(first, records.slice(0, 150), { takers: null, commitEveryRows: 20 });
    await first.engine.commit();
    expect((await lagging(store)).some((l) => l.startsWith('calm'))).toBe(true);
    // Second life: recovers and stops at once, no event in between.
    const second = await startEngine(store, venue, vaults());
    await second.engine.stop();
    expect(await lagging(store)).toEqual([]);
    await store.close();
  });
});
