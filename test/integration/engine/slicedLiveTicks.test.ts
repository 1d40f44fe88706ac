// The sliced live driver on the real sqlite3 journal: every vault gets every tick, in order,
// even when the next tick arrives mid-slices, and a tick's offset is committed only once every
// vault has it; the vaults predicted to hedge get it first, all in the first slice (one lane
// entry), ranked from the engine's copies of each vault's band distance.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import { instantVenue } from '../../fixtures/instantVenue.ts';
import { liveEngine, quiet, tick, tight, until } from '../../fixtures/liveLane.ts';
import { rankFromContexts } from '../../fixtures/rankFromContexts.ts';
import { straddleVault, T0 } from '../../fixtures/vaults.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-slices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

describe('sliced live ticks', () => {
  it('every vault gets every tick in order, even when the next tick arrives mid-slices; the offset waits for the last vault', async () => {
    const path = join(dir, `lane-${++fileNo}.db`);
    const run = await liveEngine(path, instantVenue(), 7, 2);
    run.ticks.next(tick(1, 23_000));
    // Slices after the first run later: tick 1 is not yet consumed by every vault.
    expect(run.engine.offset('feed')).toBeUndefined();
    run.ticks.next(tick(2, 23_010)); // finishes tick 1 for everyone first
    run.ticks.next(tick(3, 23_020));
    await until(() => run.engine.offset('feed') === 3, 'tick 3 consumed');
    await run.engine.commit();
    for (const id of run.engine.vaultIds()) {
      const ats = (await run.store.readJournal({ vaultId: id })).filter((r) => r.eventType === 'price.tick').map((r) => (r.at - T0) / 60_000);
      expect(ats, id).toEqual([1, 2, 3]);
    }
    run.stop();
    await run.engine.stop();
    await run.store.close();
  });

  it('a refused record finishes the tick in progress first: its offset never gets ahead of a vault still waiting for that tick', async () => {
    const path = join(dir, `lane-${++fileNo}.db`);
    const run = await liveEngine(path, instantVenue(), 7, 2);
    run.ticks.next(tick(1, 23_000));
    expect(run.engine.offset('feed')).toBeUndefined(); // tick 1 is still being sliced out
    run.ticks.next({ ok: false, rejected: { source: 'feed', reason: 'nan-price', detail: 'NaN', payload: 'x', at: T0 + 120_000, offset: 2 } });
    expect(run.engine.offset('feed')).toBe(2);
    for (const id of run.engine.vaultIds()) expect(run.engine.vault(id)?.context.spotAt, id).toBe(T0 + 60_000);
    run.stop();
    await run.engine.stop();
    expect((await verifyJournal(run.store)).ok).toBe(true);
    await run.store.close();
  });

  it('ranks a tick from copies of each vault\'s numbers that follow every event (hedges, fills, orders in flight)', async () => {
    const path = join(dir, `lane-${++fileNo}.db`);
    const run = await liveEngine(path, instantVenue({ delayMs: 30 }), 5, 2);
    const expectRankOfContexts = (priceUsd: number): void => {
      const ids = run.engine.vaultIds();
      const entries = ids.map((id) => [id, run.engine.vault(id)?.context] as const).filter((e): e is readonly [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined);
      expect(run.engine.rankByBand(priceUsd)).toEqual(rankFromContexts(entries, priceUsd));
    };
    expectRankOfContexts(23_000); // before any tick: no spot yet
    run.ticks.next(tick(1, 23_000));
    await until(() => run.engine.offset('feed') === 1, 'tick 1 consumed');
    expectRankOfContexts(25_300);
    run.ticks.next(tick(2, 25_300)); // 'hot' crosses its band: an order in flight (the venue answers after 30 ms)
    await until(() => run.engine.offset('feed') === 2 && run.engine.vault('hot')?.context.inFlight !== null, 'hot hedging');
    expect(run.engine.rankByBand(25_400).order.at(-1)).toBe('hot');
    expectRankOfContexts(25_400);
    run.engine.dispatchFill({ vaultId: 'q1', type: 'fill.received', at: T0 + 150_000, fillId: 'f1', instrument: 'BTC-31MAR23-23000-C', side: 'sell', qty: 5, priceUsd: 900 }, null);
    await until(() => run.engine.vault('hot')?.context.inFlight === null, 'hedge filled');
    expectRankOfContexts(24_000);
    run.stop();
    await run.engine.stop();
    await run.store.close();
  });
  it('predicted hedgers: all of them in the first slice, whatever the slice size (one lane entry); quiet vaults after the lane is written', async () => {
    const entries: string[][] = [];
    const watch = (inner: SqliteJournalStore): SqliteJournalStore => Object.assign(Object.create(inner) as SqliteJournalStore, {
      appendLaneLog: (b: Parameters<SqliteJournalStore['appendLaneLog']>[0]) => {
        entries.push([...new Set(b.journal.map((r) => r.vaultId))]);
        return inner.appendLaneLog(b);
      },
    });
    const inputs = [
      ...Array.from({ length: 7 }, (_, i) => straddleVault({ bands: tight, cooldownMs: 0 }, `hot${i}`)),
      ...Array.from({ length: 5 }, (_, i) => straddleVault({ bands: quiet, cooldownMs: 0 }, `q${i}`)),
    ];
    const run = await liveEngine(join(dir, `lane-${++fileNo}.db`), instantVenue({ delayMs: 5 }), inputs, 2, watch);
    run.ticks.next(tick(1, 23_000));
    await until(() => run.engine.offset('feed') === 1, 'tick 1 consumed');
    await run.engine.commit();
    expect(run.engine.rankByBand(25_300).likely).toBe(7); // a 10% move: every hot vault is predicted past its band
    run.ticks.next(tick(2, 25_300));
    const given = (): string[] => inputs.filter((v) => run.engine.vault(v.vaultId)?.context.spotAt === T0 + 120_000).map((v) => v.vaultId);
    // Synchronously: every hot vault (7, though sliceSize is 2), and no quiet one.
    expect(given()).toEqual(inputs.slice(0, 7).map((v) => v.vaultId));
    // One yield later, before any storage answer: the quiet ones still wait for the lane.
    await new Promise((r) => setImmediate(r));
    expect(given()).toEqual(inputs.slice(0, 7).map((v) => v.vaultId));
    await until(() => run.engine.offset('feed') === 2, 'tick 2 consumed');
    expect(entries.map((e) => e.length)).toEqual([7]);
    expect(entries.flat().sort()).toEqual(inputs.slice(0, 7).map((v) => v.vaultId).sort());
    run.stop();
    await run.engine.stop();
    expect((await verifyJournal(run.store)).ok).toBe(true);
    await run.store.close();
  });
});
