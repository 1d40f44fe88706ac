// Exact recovery: crash the engine at many commit boundaries (before the commit lands), restart
// it on the same database file against the same (surviving) venue, and compare with an
// uninterrupted run: identical journal, positions and fills; no client order id placed twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommitBatch, JournalStore } from '../../../storage/journalStore.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { hashUniform } from '../../../src/domain/rng.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import type { HedgeVenue, IocOrderRequest } from '../../../src/venues/hedgeVenue.ts';
import { journalOf, priceSlice, replayAll, simVenue, startEngine } from '../../fixtures/engineHarness.ts';
import { straddleVault } from '../../fixtures/vaults.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const records = priceSlice(900);
const vaults = () => [straddleVault({ bands: { kind: 'fixed', quoteBtc: 0.3, hedgeBtc: 0.8, reentryBtc: 0.15, hardBtc: 3 }, cooldownMs: 10 * 60_000 }, 'a')];

class Crash extends Error {}

/** A journal store that "crashes" (throws, writes nothing) on its n-th commit. */
function crashingStore(inner: JournalStore, crashAt: number): JournalStore {
  let n = 0;
  return Object.assign(Object.create(inner) as JournalStore, {
    commit: async (b: CommitBatch) => {
      n += 1;
      if (n === crashAt) throw new Crash(`crash at commit ${n}`);
      await inner.commit(b);
    },
  });
}

function countingVenue(base: HedgeVenue, placed: string[]): HedgeVenue {
  return Object.assign(Object.create(base) as HedgeVenue, {
    placeIoc: (req: IocOrderRequest) => { placed.push(req.clientOrderId); return base.placeIoc(req); },
  });
}

describe('crash and restart at commit boundaries', () => {
  it('ends exactly where an uninterrupted run ends', async () => {
    // Reference: straight through.
    const refPath = join(dir, 'ref.db');
    const refStore = await SqliteJournalStore.open({ path: refPath, create: 'if-missing' });
    const refVenue = await simVenue(records);
    const ref = await startEngine(refStore, refVenue, vaults());
    await replayAll(ref, records, { commitEveryRows: 20 });
    const refJournal = await journalOf(refStore);
    const refFills = (await refStore.fillsOf('a')).map((f) => f.fillId).sort();
    const refOrders = await refStore.hedgeOrders();
    await ref.engine.stop();
    await refStore.close();
    expect(refOrders.length).toBeGreaterThan(5);

    // Chaos: the same inputs, crashed at 25 seeded commit counts, restarted each time.
    const path = join(dir, 'chaos.db');
    const venue = await simVenue(records);
    const placed: string[] = [];
    let crashes = 0;
    let crashesWithHedgeOut = 0;
    for (let attempt = 0; attempt < 200; attempt++) {
      const store = await SqliteJournalStore.open({ path, create: 'if-missing' });
      const crashAt = crashes < 25 ? 1 + Math.floor(hashUniform(99, attempt) * 6) : Number.POSITIVE_INFINITY;
      let run: Awaited<ReturnType<typeof startEngine>> | undefined;
      try {
        run = await startEngine(crashingStore(store, crashAt), countingVenue(venue, placed), vaults());
        await replayAll(run, records, { commitEveryRows: 20 });
      } catch (err) {
        if (!(err instanceof Crash)) throw err;
        crashes += 1;
        // A dead process runs no more effects: wait for any reactor already out, like the OS would kill it.
        await run?.engine.settleHedges().catch(() => undefined);
        const pending = (await store.openHedgeOrders()).length;
        if (pending > 0) crashesWithHedgeOut += 1;
        await store.close();
        continue;
      }
      await run.engine.stop();
      expect(await journalOf(store)).toEqual(refJournal);
      expect((await store.fillsOf('a')).map((f) => f.fillId).sort()).toEqual(refFills);
      expect((await verifyJournal(store)).ok).toBe(true);
      await store.close();
      break;
    }
    expect(crashes).toBe(25);
    expect(crashesWithHedgeOut).toBeGreaterThan(0);
    expect(new Set(placed).size).toBe(placed.length);
    expect((await venue.position('BTC-PERP')).sizeBtc).toBeCloseTo((await refVenue.position('BTC-PERP')).sizeBtc, 12);
  });
});
