// The dashboard survives a restart (issue 17): run the real engine on a journal file, stop it,
// start a new engine on the same file, and its dashboard API serves the earlier chart points,
// transitions and hedges (read back from the journal), with the same PnL as before the stop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { machineGraph } from '../../../machines/vault.graph.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { EngineViewAdapter } from '../../../src/engine/engineView.ts';
import { firstPricedRow, spotsAt } from '../../../src/engine/journalLookups.ts';
import { startHttpServer } from '../../../src/server/createServer.ts';
import type { HedgeEntry, HistoryPoint, TransitionEntry, VaultView } from '../../../src/server/engineView.ts';
import { priceSlice, replayAll, simVenue, startEngine, type Run } from '../../fixtures/engineHarness.ts';
import { straddleVault } from '../../fixtures/vaults.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-dash-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FUNDING = { ratePerHour: 0.0000125, intervalMs: 3_600_000 };
const vaults = [straddleVault({ bands: { kind: 'fixed', quoteBtc: 0.3, hedgeBtc: 0.8, reentryBtc: 0.15, hardBtc: 3 }, cooldownMs: 10 * 60_000 }, 'v1')];

function viewOf(run: Run, store: SqliteJournalStore): EngineViewAdapter {
  return new EngineViewAdapter(run.engine, {
    machineGraph, feedAgeMs: () => ({}), feedsFresh: () => true, recoveryDone: () => true, now: () => 0, store, funding: FUNDING,
  });
}

describe('dashboard history after a restart', () => {
  it('serves the points, transitions, hedges and PnL of the run before the stop', async () => {
    const path = join(dir, 'journal.db');
    const records = priceSlice(600);
    const venue = await simVenue(records);

    // First process: a fresh journal, 600 minutes of prices with takers.
    const store1 = await SqliteJournalStore.open({ path, create: 'if-missing' });
    const run1 = await startEngine(store1, venue, vaults);
    const view1 = viewOf(run1, store1);
    await view1.load();
    // A commit per step, as a live run commits (milliseconds apart): the live ledger prices each
    // funding boundary at the spot committed before it, the journal read at the row before it.
    await replayAll(run1, records, { commitEveryRows: 1 });
    const before = { ...view1.history('v1'), view: view1.vaults()[0] as VaultView };
    view1.close();
    await run1.engine.stop();
    await store1.close();
    expect(before.transitions.length).toBeGreaterThan(5);
    expect(before.hedges.filter((h) => h.filledBtc > 0).length).toBeGreaterThan(2);
    expect(before.view.pnl).not.toBeNull();

    // Second process: recover from the file; nothing new happens, the page asks for history.
    const store2 = await SqliteJournalStore.open({ path });
    const run2 = await startEngine(store2, venue, vaults);
    const view2 = viewOf(run2, store2);
    await view2.load();
    const server = await startHttpServer({ port: 0, engine: view2, controlToken: undefined, defaultMetrics: false });
    try {
      const hist = await (await fetch(`${server.url}/api/vaults/v1/history`)).json() as { points: HistoryPoint[]; transitions: TransitionEntry[]; hedges: HedgeEntry[] };
      // The charts: points over the same span, ending where the first run ended.
      expect(hist.points.length).toBeGreaterThan(300);
      const last = hist.points[hist.points.length - 1]!;
      const lastBefore = before.points[before.points.length - 1]!;
      expect(last.at).toBe(lastBefore.at);
      expect(last.deltaBtc).toBeCloseTo(lastBefore.deltaBtc, 9);
      expect(last.perpBtc).toBeCloseTo(lastBefore.perpBtc, 9);
      expect(last.hedgeBandBtc).toBe(lastBefore.hedgeBandBtc);
      expect(last.quoteBandBtc).toBeCloseTo(lastBefore.quoteBandBtc, 12);
      expect(hist.points[0]!.at).toBeLessThanOrEqual(before.points[0]!.at + 60_000);
      // Each live point is a committed state, and the journal has a row for it.
      const byAt = new Map(hist.points.map((p) => [p.at, p]));
      for (const p of before.points) {
        const q = byAt.get(p.at);
        expect(q, `point at ${p.at}`).toBeDefined();
        expect(q!.deltaBtc).toBeCloseTo(p.deltaBtc, 9);
        expect(q!.priceUsd).toBe(p.priceUsd);
        expect(q!.state).toBe(p.state);
      }
      expect(hist.transitions.map((t) => t.seq)).toEqual(before.transitions.map((t) => t.seq));
      expect(hist.transitions.map((t) => [t.from, t.to, t.reason])).toEqual(before.transitions.map((t) => [t.from, t.to, t.reason]));
      expect(hist.hedges.map((h) => [h.clientOrderId, h.status, h.filledBtc, h.feeUsd])).toEqual(before.hedges.map((h) => [h.clientOrderId, h.status, h.filledBtc, h.feeUsd]));
      // The vault: same state and the same PnL split, funding included.
      const { vaults: [now] } = await (await fetch(`${server.url}/api/vaults`)).json() as { vaults: VaultView[] };
      expect(now!.state).toBe(before.view.state);
      expect(now!.pnl!.totalUsd).toBeCloseTo(before.view.pnl!.totalUsd, 6);
      expect(now!.pnl!.hedgeUsd).toBeCloseTo(before.view.pnl!.hedgeUsd, 6);
      expect(now!.pnl!.fundingUsd).toBeCloseTo(before.view.pnl!.fundingUsd!, 6);
      expect(now!.pnl!.fundingUsd).not.toBe(0);
      expect(now!.risk!.thetaUsdPerDay).toBeCloseTo(before.view.risk!.thetaUsdPerDay, 9);
      // The journal lookups behind it agree with a scan of the whole journal.
      const rows = await store2.readJournal({ vaultId: 'v1' });
      const times = [rows[0]!.at - 1, ...Array.from({ length: 10 }, (_, i) => rows[0]!.at + i * 3_600_000 + 1_234), rows[rows.length - 1]!.at + 5];
      const scan = times.map((t) => [...rows].reverse().find((r) => r.at <= t)?.priceUsd ?? 0);
      expect(await spotsAt(store2, 'v1', rows.length, times)).toEqual(scan);
      expect((await firstPricedRow(store2, 'v1', rows.length))?.seq).toBe(rows.find((r) => r.priceUsd > 0)?.seq);
    } finally {
      await server.close();
      view2.close();
      await run2.engine.stop();
      await store2.close();
      await venue.close();
    }
  }, 120_000);
});
