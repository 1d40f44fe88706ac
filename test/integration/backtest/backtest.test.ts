// `omm-hedger backtest` end to end on the first 3 days of the shared BTC minute file (demo
// vaults, in-process simulated venue and takers, journal in memory or in a --db file): the
// metrics, their identities, determinism and rejected inputs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import type { BacktestResult, VaultMetrics } from '../../../src/engine/backtest/backtestResult.ts';
import { backtestJson, makeSlice, SLICE_NAME } from './sliceFixture.ts';

let dir: string;
let slice: string;
let cleanup: () => void;
beforeAll(() => { ({ dir, slice, cleanup } = makeSlice(3)); });
afterAll(() => cleanup());

const METRIC_KEYS: (keyof VaultMetrics)[] = [
  'hedgeCount', 'hedgeOrders', 'tradedBtc', 'tradedNotionalUsd', 'feesUsd', 'feesBps', 'slippageUsd', 'slippageBps', 'fundingUsd',
  'costUsd', 'finalDeltaBtc', 'maxAbsDeltaBtc', 'finalPerpBtc', 'maxAbsDeltaOutsideHedgesBtc', 'timeOverHardLimitMs', 'longestOverHardLimitMs', 'timeOutsideBandMs', 'timeOutsideBandFraction', 'pnl', 'pnlSdUsd',
  'pnlSdSamples', 'transitions', 'timeInStateMs', 'finalState', 'deltaReduced', 'optionFills', 'flow',
];

describe('backtest on 3 days of BTC minutes', () => {
  let tight: BacktestResult;
  let dbPath: string;

  beforeAll(async () => {
    dbPath = join(dir, 'bt.db');
    tight = (await backtestJson({ prices: slice, policy: 'band:0.5', db: dbPath })).result;
  });

  it('hedges under a tight band, one hedge per filled or partly filled order in the journal', async () => {
    expect(tight.total.hedgeCount).toBeGreaterThan(10);
    const store = await SqliteJournalStore.open({ path: dbPath });
    try {
      for (const [id, m] of Object.entries(tight.vaults)) {
        const orders = await store.hedgeOrders(id);
        const done = orders.filter((o) => (o.status === 'filled' || o.status === 'cancelled') && o.filledBtc > 0);
        expect(m.hedgeCount).toBeGreaterThan(0);
        expect(m.hedgeCount).toBe(done.length);
        const notional = done.reduce((a, o) => a + o.filledBtc * o.avgPriceUsd, 0);
        expect(m.tradedNotionalUsd).toBeCloseTo(notional, 4);
      }
    } finally {
      await store.close();
    }
  });

  it('reports every metric, per vault and in total, and fees are the taker bps of notional', () => {
    expect(Object.keys(tight)).toEqual(['policy', 'target', 'seed', 'prices', 'venue', 'vaults', 'total', 'rejected', 'journal']);
    expect(Object.keys(tight.vaults)).toEqual(['alpha', 'beta']);
    for (const m of [...Object.values(tight.vaults), tight.total]) {
      for (const k of METRIC_KEYS) {
        if (m === tight.total && (k === 'finalState')) continue;
        expect(m, k).toHaveProperty(k);
      }
      expect(Math.abs(m.feesUsd - (tight.venue.takerFeeBps / 1e4) * m.tradedNotionalUsd)).toBeLessThan(0.01 + m.hedgeCount * 0.01);
      expect(m.timeOutsideBandFraction).toBeGreaterThanOrEqual(0);
      expect(m.timeOutsideBandFraction).toBeLessThanOrEqual(1);
      expect(m.maxAbsDeltaBtc).toBeGreaterThanOrEqual(Math.abs(m.finalDeltaBtc));
      expect(m.maxAbsDeltaBtc).toBeGreaterThanOrEqual(m.maxAbsDeltaOutsideHedgesBtc);
      expect(m.timeOverHardLimitMs).toBeGreaterThanOrEqual(m.longestOverHardLimitMs);
      expect(m.pnlSdSamples).toBe(71); // 72 UTC hours in 3 days
      expect(m.pnlSdUsd).toBeGreaterThan(0);
    }
    expect(tight.prices.ticks).toBe(3 * 1440);
    expect(tight.policy).toBe('band:0.5');
    expect(typeof tight.rejected).toBe('object');
  });

  it('splits PnL into option and hedge parts that add up, per vault and over vaults', () => {
    const vs = Object.values(tight.vaults);
    for (const m of [...vs, tight.total]) {
      const p = m.pnl;
      expect(p.optionUsd + p.hedgeUsd).toBeCloseTo(p.totalUsd, 6);
      expect(p.optionCashUsd + p.bookMarkChangeUsd).toBeCloseTo(p.optionUsd, 6);
      expect(p.perpMarkToMarketUsd + p.hedgeTradeCashUsd - m.feesUsd - m.fundingUsd).toBeCloseTo(p.hedgeUsd, 6);
      expect(m.costUsd).toBeCloseTo(m.feesUsd + m.slippageUsd + m.fundingUsd, 6);
    }
    expect(vs.reduce((a, m) => a + m.pnl.totalUsd, 0)).toBeCloseTo(tight.total.pnl.totalUsd, 6);
    // Per-vault funding adds up to what the venue charged the account.
    expect(tight.total.fundingUsd).toBeCloseTo(tight.venue.fundingPaidUsd, 4);
    // Both ways of taking delta off were at work.
    expect(tight.total.deltaReduced.byOptionFlowBtc).toBeGreaterThan(0);
    expect(tight.total.deltaReduced.byHedgesBtc).toBeGreaterThan(0);
    // Every hedge order begins in `hedging`; one that starts as the previous one ends (the emergency
    // bypass right after a fill) stays there without a new transition.
    const orders = tight.total.hedgeCount + tight.total.hedgeOrders.rejected + tight.total.hedgeOrders.failed + tight.total.hedgeOrders.cancelledEmpty;
    expect(tight.total.transitions.hedging).toBeGreaterThan(0);
    expect(tight.total.transitions.hedging).toBeLessThanOrEqual(orders);
    expect(tight.total.transitions.cooldown).toBeGreaterThan(0);
  });

  it('prices the delta option flow sourced against hedging it on the perp', () => {
    for (const m of [...Object.values(tight.vaults), tight.total]) {
      const f = m.flow;
      // The same reductions the machine counts, fill by fill.
      expect(f.deltaSourcedBtc).toBeCloseTo(m.deltaReduced.byOptionFlowBtc, 6);
      expect(f.fills).toBe(m.optionFills);
      expect(f.reducingFills).toBeGreaterThan(0);
      expect(f.perpCostAvoidedUsd).toBeCloseTo((f.deltaSourcedNotionalUsd * f.perpCostBps) / 1e4, 6);
      expect(f.netSavedUsd).toBeCloseTo(f.perpCostAvoidedUsd - f.leanPaidUsd, 6);
      // costBounded (the demo default): the lean paid on a fill is at most the perp cost of the
      // option's delta at the configured 6 bps; the run's own perp cost is about that too.
      expect(f.leanPaidUsd).toBeGreaterThan(0);
      expect(f.perpCostBps).toBeGreaterThan(5);
    }
    for (const m of Object.values(tight.vaults)) expect(m.flow.perpCostFrom).toBe('run');
  });

  it('gives byte-identical JSON for the same seed, and a different run for another seed', async () => {
    const a = await backtestJson({ prices: slice, policy: 'band:0.5' });
    const b = await backtestJson({ prices: slice, policy: 'band:0.5' });
    expect(a.json).toBe(b.json);
    expect(a.result).toEqual(tight); // the --db run journaled the same events as the in-memory one
    const c = await backtestJson({ prices: slice, policy: 'band:0.5', seed: '8' });
    expect(c.result.total.optionFills).not.toBe(a.result.total.optionFills);
  });

  it('counts a garbage line under `rejected` and changes nothing else', async () => {
    const lines = readFileSync(slice, 'utf8').split('\n');
    lines.splice(500, 0, '2023-03-01 08:19:30+00:00,abc,def,ghi,not-a-price,1');
    const other = join(dir, 'copy');
    mkdirSync(other);
    const dirty = join(other, SLICE_NAME); // same base name: the source label stays the same
    writeFileSync(dirty, lines.join('\n'));
    const clean = await backtestJson({ prices: slice, policy: 'band:0.5' });
    const withGarbage = await backtestJson({ prices: dirty, policy: 'band:0.5' });
    const extra = Object.entries(withGarbage.result.rejected).filter(([k, n]) => n !== (clean.result.rejected[k] ?? 0));
    expect(extra).toHaveLength(1);
    expect(extra[0]?.[1]).toBe((clean.result.rejected[extra[0]?.[0] ?? ''] ?? 0) + 1);
    expect({ ...withGarbage.result, rejected: null }).toEqual({ ...clean.result, rejected: null });
  });

});
