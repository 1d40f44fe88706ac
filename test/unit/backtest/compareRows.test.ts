import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BacktestResult } from '../../../src/engine/backtest/backtestResult.ts';
import { compareRows, formatCompareTable } from '../../../src/cli/report/backtestTables.ts';

function result(policy: string, costUsd: number, riskUsd: number): BacktestResult {
  const total = { hedgeCount: 1, tradedNotionalUsd: 1, feesUsd: costUsd, slippageUsd: 0, fundingUsd: 0, costUsd, pnlSdUsd: riskUsd, pnl: { totalUsd: 0 }, maxAbsDeltaBtc: 0, timeOutsideBandFraction: 0, flow: { deltaSourcedBtc: 0, perpCostAvoidedUsd: 0, leanPaidUsd: 0 } };
  return { policy, total } as unknown as BacktestResult;
}

describe('compareRows', () => {
  it('marks the policies no other beats on both cost and risk', () => {
    const rows = compareRows([result('a', 10, 5), result('b', 5, 10), result('c', 12, 6), result('d', 10, 5)]);
    expect(rows.map((r) => [r.policy, r.efficient])).toEqual([['a', true], ['b', true], ['c', false], ['d', true]]);
    expect(formatCompareTable(rows)).toMatch(/^policy/);
  });

  it('marks the hedge frontier on trading cost (fees + slippage, no funding) and delta risk', () => {
    const row = (policy: string, fees: number, funding: number, deltaRisk: number): BacktestResult => {
      const r = result(policy, fees + funding, 100);
      (r.total as unknown as Record<string, number>).fundingUsd = funding;
      (r.total as unknown as Record<string, number>).feesUsd = fees;
      (r.total as unknown as Record<string, number>).deltaPnlSdUsd = deltaRisk;
      return r;
    };
    // b pays more funding (carry), less to trade: on the hedge frontier, off the cost one.
    const rows = compareRows([row('a', 10, 0, 50), row('b', 8, 5, 50), row('c', 20, 0, 40)]);
    expect(rows.map((r) => [r.policy, r.tradingCostUsd, r.efficient, r.hedgeEfficient])).toEqual([['a', 10, true, false], ['b', 8, false, true], ['c', 20, false, true]]);
  });

  it('always leaves the cheapest and the least risky on the frontier, and nothing dominated', () => {
    const pt = fc.record({ c: fc.integer({ min: 0, max: 100 }), r: fc.integer({ min: 0, max: 100 }) });
    fc.assert(fc.property(fc.array(pt, { minLength: 1, maxLength: 12 }), (pts) => {
      const rows = compareRows(pts.map((p, i) => result(`p${i}`, p.c, p.r)));
      const minCost = Math.min(...pts.map((p) => p.c));
      const bestOfCheapest = Math.min(...pts.filter((p) => p.c === minCost).map((p) => p.r));
      expect(rows.some((r) => r.efficient && r.costUsd === minCost && r.riskUsd === bestOfCheapest)).toBe(true);
      for (const a of rows.filter((r) => r.efficient)) {
        expect(rows.some((b) => b.costUsd <= a.costUsd && b.riskUsd <= a.riskUsd && (b.costUsd < a.costUsd || b.riskUsd < a.riskUsd))).toBe(false);
      }
    }));
  });
});
