// A live start after a downtime: a vault whose last price is older than the staleness limit is
// stale from the start (committed before anything is quoted or hedged), and a feed that stays
// silent goes stale when the last price turns staleAfterMs old, not staleAfterMs after the start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import { markStaleAtStart, runLive } from '../../../src/engine/liveDriver.ts';
import { openEngine } from '../../../src/engine/openEngine.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';
import { instantVenue } from '../../fixtures/instantVenue.ts';
import { liveEngine, tick, until, vaults } from '../../fixtures/liveEngine.ts';
import { straddleVault, T0 } from '../../fixtures/vaults.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-stale-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const HOUR_MS = 3_600_000;

/** A journal whose vaults last saw a price at T0 (and one vault, 'new', that never did); then reopened at `now`. */
async function restartedAt(now: number) {
  const path = join(dir, `j-${++n}.db`);
  const venue = instantVenue();
  const first = await liveEngine(path, venue, 3);
  first.ticks.next(tick(0, 25_000));
  await until(() => ['hot', 'q0', 'q1'].every((id) => first.engine.vault(id)?.context.spotAt === T0), 'every vault has the tick');
  await first.engine.commit();
  first.stop();
  await first.engine.stop();
  await first.store.close();
  const store = await SqliteJournalStore.open({ path });
  const inputs = [...vaults(3), straddleVault({}, 'new')];
  const { engine } = await openEngine({ store, venue, market: 'BTC-PERP', log: silentLogger, mode: 'live', clock: { now: () => now } }, inputs);
  return { engine, store };
}

describe('live start after a downtime', () => {
  it('marks stale, and commits, every vault whose last price is at least staleAfterMs old; none that is fresher or has no price', async () => {
    const fresh = await restartedAt(T0 + HOUR_MS - 1);
    expect(markStaleAtStart(fresh.engine, T0 + HOUR_MS - 1, HOUR_MS)).toEqual([]);
    await fresh.engine.stop();
    await fresh.store.close();

    const { engine, store } = await restartedAt(T0 + HOUR_MS);
    expect(markStaleAtStart(engine, T0 + HOUR_MS, HOUR_MS).sort()).toEqual(['hot', 'q0', 'q1']);
    await engine.commit();
    for (const id of ['hot', 'q0', 'q1']) {
      expect(engine.committedOf(id)?.context.feedStale).toBe(true);
      const last = (await store.readJournal({ vaultId: id })).at(-1);
      expect(last).toMatchObject({ eventType: 'feed.stale', at: T0 + HOUR_MS });
    }
    expect(engine.vault('new')?.context.feedStale).toBe(false);
    // Already stale: not marked twice.
    expect(markStaleAtStart(engine, T0 + 2 * HOUR_MS, HOUR_MS)).toEqual([]);
    await engine.stop();
    await store.close();
  });

  it('a silent feed goes stale when the held price turns staleAfterMs old, counted from before the restart', async () => {
    // The price is 59.95 s old at the start; with a 60 s limit the feed is stale 50 ms later
    // (counted from the start it would take 60 s, far past this test's wait).
    const now = T0 + 59_950;
    const { engine, store } = await restartedAt(now);
    const ticks = new Subject<Validated<PriceTickInput>>();
    const live = runLive({ engine, ticks, source: 'feed', staleAfterMs: 60_000, now: () => now, log: silentLogger, expiryCheckMs: HOUR_MS });
    await until(() => ['hot', 'q0', 'q1'].every((id) => engine.vault(id)?.context.feedStale === true), 'stale 50 ms after the start');
    live.stop();
    await engine.stop();
    await store.close();
  });
});
