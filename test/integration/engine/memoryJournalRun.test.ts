// The engine on the backtests' in-memory store (MemoryJournalStore): the same replay writes the
// same journal, orders and fills as on the sqlite3 journal, and a replay on it still lets the
// event loop run (a sweep's main thread must answer its worker threads during its own run).
import { describe, expect, it } from 'vitest';
import type { JournalStore } from '../../../storage/journalStore.ts';
import { MemoryJournalStore } from '../../../storage/memoryJournalStore.ts';
import { replay } from '../../../src/engine/replayDriver.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import { journalOf, memoryStore, priceSlice, SOURCE, simVenue, startEngine, TAKERS, replayAll } from '../../fixtures/engineHarness.ts';
import { hedgingPair } from '../../fixtures/vaults.ts';

const records = priceSlice(1_500);
const vaults = hedgingPair;

describe('engine on MemoryJournalStore', () => {
  it('writes the journal, orders and fills the sqlite3 journal gets from the same replay', async () => {
    const runOn = async (store: JournalStore) => {
      const run = await startEngine(store, await simVenue(records), vaults());
      await replayAll(run, records);
      await run.engine.stop();
      const out = {
        journal: await journalOf(store),
        orders: await store.hedgeOrders(),
        fills: [...await store.fillsOf('a'), ...await store.fillsOf('b')],
        snapshots: (await store.latestSnapshots()).map((s) => [s.vaultId, s.seq]),
        offsets: await store.sourceOffsets(),
        verified: (await verifyJournal(store)).ok,
      };
      await store.close();
      return out;
    };
    const onMemory = await runOn(new MemoryJournalStore());
    const onSqlite = await runOn(await memoryStore());
    expect(onMemory.orders.length).toBeGreaterThan(5);
    expect(onMemory.fills.length).toBeGreaterThan(5);
    expect(onMemory.verified).toBe(true);
    expect(onMemory).toEqual(onSqlite);
  });

  it('turns the event loop every yieldEveryTicks records', async () => {
    const store = new MemoryJournalStore();
    const run = await startEngine(store, await simVenue(records), vaults());
    // A chain of setImmediate callbacks counts the event loop's turns while the replay runs.
    let turns = 0;
    let running = true;
    const tick = (): void => { if (!running) return; turns += 1; setImmediate(tick); };
    setImmediate(tick);
    await replay({ engine: run.engine, records, source: SOURCE, seed: 11, takers: TAKERS, staleAfterMs: 10 * 60_000, commitEveryRows: 500, yieldEveryTicks: 100 });
    running = false;
    await run.engine.stop();
    expect(turns).toBeGreaterThanOrEqual(Math.floor(records.length / 100));
  });
});
