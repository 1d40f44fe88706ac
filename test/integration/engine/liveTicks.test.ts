// The live driver on the real sqlite3 journal: every vault gets every tick, in order, even when
// the next tick arrives before the last one reached every vault, and a tick's offset is
// committed only once every vault has it; the vaults predicted to hedge get it first, at once
// (their decisions in one transaction), ranked from the engine's copies of each vault's band
// distance, and the others once those decisions are written and their orders sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import { gatedStore, type GatedStore } from '../../fixtures/gatedStore.ts';
import { instantVenue } from '../../fixtures/instantVenue.ts';
import { liveEngine, quiet, tick, tight, until } from '../../fixtures/liveEngine.ts';
import { rankFromContexts } from '../../fixtures/rankFromContexts.ts';
import { straddleVault, T0 } from '../../fixtures/vaults.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-liveticks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

describe('live ticks', () => {
  it('every vault gets every tick in order, even when the next tick arrives before the last reached every vault; the offset waits for the last vault', async () => {
    const path = join(dir, `ticks-${++fileNo}.db`);
    const run = await liveEngine(path, instantVenue(), 7);
    run.ticks.next(tick(1, 23_000));
    // The vaults not predicted to hedge get it a turn later: tick 1 is not yet consumed by every vault.
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

  it('ranks a tick from copies of each vault\'s numbers that follow every event (hedges, fills, orders in flight)', async () => {
    const path = join(dir, `ticks-${++fileNo}.db`);
    const run = await liveEngine(path, instantVenue({ delayMs: 30 }), 5);
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
  it('predicted hedgers get a tick first, at once, and their decisions go in one transaction; the quiet vaults get it once that is written and the orders sent', async () => {
    let gate!: GatedStore;
    const inputs = [
      ...Array.from({ length: 7 }, (_, i) => straddleVault({ bands: tight, cooldownMs: 0 }, `hot${i}`)),
      ...Array.from({ length: 5 }, (_, i) => straddleVault({ bands: quiet, cooldownMs: 0 }, `q${i}`)),
    ];
    const given = (): string[] => inputs.filter((x) => run.engine.vault(x.vaultId)?.context.spotAt === T0 + 120_000).map((x) => x.vaultId);
    // Which vaults had tick 2 as each order left.
    const atPlacement: string[][] = [];
    const v = instantVenue({ onPlace: () => { atPlacement.push(given()); } });
    const run = await liveEngine(join(dir, `ticks-${++fileNo}.db`), v, inputs, (s) => { gate = gatedStore(s); return gate.store; });
    run.ticks.next(tick(1, 23_000));
    await until(() => run.engine.offset('feed') === 1, 'tick 1 consumed');
    await run.engine.commit();
    expect(run.engine.rankByBand(25_300).likely).toBe(7); // a 10% move: every hot vault is predicted past its band
    gate.hold();
    run.ticks.next(tick(2, 25_300));
    const hot = inputs.slice(0, 7).map((x) => x.vaultId);
    // Synchronously: every hot vault, and no quiet one.
    expect(given()).toEqual(hot);
    // The first transaction: the seven decisions, nothing of the quiet vaults.
    const first = await gate.nextCommit();
    expect([...new Set(first.journal.map((r) => r.vaultId))].sort()).toEqual([...hot].sort());
    expect(first.hedgeOrders.map((o) => o.vaultId).sort()).toEqual([...hot].sort());
    // Held there: no order has left, and the quiet vaults still wait.
    expect(v.placed).toEqual([]);
    expect(given()).toEqual(hot);
    await gate.open();
    await until(() => run.engine.offset('feed') === 2, 'tick 2 consumed');
    // Every order left before any quiet vault had the tick.
    expect(atPlacement).toEqual(hot.map(() => hot));
    run.stop();
    await run.engine.stop();
    expect((await verifyJournal(run.store)).ok).toBe(true);
    await run.store.close();
  });

  it('a refused record finishes the tick in progress first: its offset never gets ahead of a vault still waiting for that tick', async () => {
    let gate!: GatedStore;
    const run = await liveEngine(join(dir, `ticks-${++fileNo}.db`), instantVenue(), 4, (s) => { gate = gatedStore(s); return gate.store; });
    run.ticks.next(tick(1, 23_000));
    await until(() => run.engine.offset('feed') === 1, 'tick 1 consumed');
    await run.engine.commit();
    gate.hold();
    run.ticks.next(tick(2, 25_300)); // hot hedges; its decision waits at the gate, the quiet vaults wait for it
    await gate.nextCommit();
    expect(run.engine.vault('q0')?.context.spotAt).toBe(T0 + 60_000);
    run.ticks.next({ ok: false, rejected: { source: 'feed', reason: 'nan-price', detail: 'NaN', payload: 'x', at: T0 + 180_000, offset: 3 } });
    expect(run.engine.offset('feed')).toBe(3);
    for (const id of run.engine.vaultIds()) expect(run.engine.vault(id)?.context.spotAt, id).toBe(T0 + 120_000);
    await gate.open();
    run.stop();
    await run.engine.stop();
    expect((await verifyJournal(run.store)).ok).toBe(true);
    await run.store.close();
  });
});
