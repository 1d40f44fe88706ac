// Issue 17 measured on the shipped file (3 weeks of BTC minutes, two expiries inside) with the
// demo vaults: alpha glides each expiry's delta onto the perp over the last 2 hours, beta hedges
// it at settlement in clips. Every vault stays within its hard limit except while one clip
// sequence is answering a breach, and the report's series mark both expiries.
import { describe, expect, it } from 'vitest';
import { executeBacktest, planBacktest } from '../../../src/cli/commands/backtest.ts';
import type { BacktestRun } from '../../../src/engine/backtest/backtestResult.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';

const SHIPPED = 'data/btcusdt-binanceus-1m-2023-03-01_21.csv';
const EXPIRIES = [Date.UTC(2023, 2, 10, 8), Date.UTC(2023, 2, 17, 8)];

describe('expiry and the hard limit on the shipped file (demo vaults)', () => {
  it('keeps every vault within its hard limit but for clip sequences, and marks the expiries', async () => {
    const out = await executeBacktest(planBacktest({ prices: SHIPPED }), { json: true, progress: false, log: silentLogger });
    const run = out.runs[0] as BacktestRun;
    const { alpha, beta } = run.result.vaults;
    if (!alpha || !beta) throw new Error('demo vaults missing');
    // No breach outlives one clip sequence (ticks are a minute apart; a clip's venue round trip is 20 ms of event time).
    for (const m of [alpha, beta]) expect(m.longestOverHardLimitMs).toBeLessThan(1_000);
    // alpha (fixed bands, hard limit 5 BTC, glide): never over, not even at a hedge decision.
    expect(alpha.timeOverHardLimitMs).toBe(0);
    expect(alpha.maxAbsDeltaBtc).toBeLessThanOrEqual(5);
    // beta (Whalley-Wilmott bands, hard limit twice the band, at settlement): its breaches are the
    // settlement offsets and emergency hedges, each answered at once; with no hedge in flight it stays small.
    expect(beta.timeOverHardLimitMs).toBeLessThan(10_000);
    expect(beta.maxAbsDeltaOutsideHedgesBtc).toBeLessThan(5);
    expect(run.result.total.timeOverHardLimitMs).toBe(alpha.timeOverHardLimitMs + beta.timeOverHardLimitMs);
    // beta's settlement offsets: orders decided at the expiry instants.
    for (const e of EXPIRIES) expect(run.series.beta?.hedges.some((h) => h.at === e)).toBe(true);
    for (const id of ['alpha', 'beta']) expect(run.series[id]?.expiries).toEqual(EXPIRIES);
  }, 120_000);
});
