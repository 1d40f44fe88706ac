// Acceptance of the Monte Carlo hedging-error study with transaction costs (issue 9): band
// hedging against time-based hedging on the same simulated paths (same seed and grid).
import { describe, expect, it } from 'vitest';
import { hedgingStudy, type HedgingStudyInput, type HedgingStudyResult } from '../../src/domain/hedgingStudy.ts';

describe('with costs (5 bps one way, S 60k, vol 60%, 30-day ATM written call, 30-minute grid)', () => {
  const base: HedgingStudyInput = {
    kind: 'call', spot: 60_000, strike: 60_000, years: 30 / 365, vol: 0.6, rate: 0, drift: 0, position: -1,
    rebalanceYears: 30 / (365 * 1440), paths: 2_000, seed: 5, costBps: 5, policy: 'time',
  };

  /** The cheapest of time-based hedging every 4h, 8h, 16h, 24h (same paths) costing at least `fees`. */
  function cheapestTimeHedgeCostingAtLeast(input: HedgingStudyInput, fees: number): HedgingStudyResult {
    const timed = [8, 16, 32, 48].map((k) => hedgingStudy({ ...input, policy: 'time', hedgeEverySteps: k }));
    const atLeastAsCostly = timed.filter((r) => r.meanFees >= fees);
    expect(atLeastAsCostly.length).toBeGreaterThan(0);
    return atLeastAsCostly.reduce((a, b) => (b.meanFees < a.meanFees ? b : a));
  }

  it('the Whalley-Wilmott band leaves a lower PnL sd than time-based hedging at equal or higher expected cost', () => {
    const ww = hedgingStudy({ ...base, policy: 'ww', riskAversion: 1e-3 });
    const rival = cheapestTimeHedgeCostingAtLeast(base, ww.meanFees);
    expect(rival.meanFees).toBeGreaterThanOrEqual(ww.meanFees);
    // A clear margin, not a coin flip: over seeds the rival is the 16h schedule (fees ~80 vs
    // WW ~74 USD) and sd(WW) / sd(rival) measures 0.56-0.59 (sd of that ratio ~0.02).
    expect(ww.sdCost).toBeLessThan(0.8 * rival.sdCost);
    // Mean PnL (premium - cost) is about minus the fees paid.
    expect(Math.abs(ww.meanPnl + ww.meanFees)).toBeLessThan((4 * ww.sdCost) / Math.sqrt(base.paths));
  });

  it('so does the Zakamouline band', () => {
    const input = { ...base, paths: 1_000 };
    const zak = hedgingStudy({ ...input, policy: 'zakamouline', riskAversion: 1e-3 });
    const rival = cheapestTimeHedgeCostingAtLeast(input, zak.meanFees);
    // measured over seeds: zak fees ~112 vs the 4h schedule's ~143; sd ratio 0.69-0.71
    expect(zak.sdCost).toBeLessThan(0.85 * rival.sdCost);
  });
});
