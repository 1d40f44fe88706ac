// Acceptance of the Monte Carlo hedging-error study without costs (issue 9; with costs in
// mcHedgingCosts.test.ts). Seeds are fixed, so each run is deterministic; the path counts
// were chosen so the statistical error sits well inside each tolerance (measured over 8
// seeds at 50k paths: sd of the Hull ratio 0.0024, 0.0019, 0.0009 for 5, 4, 2 weeks, against
// margins of 0.016, 0.014, 0.008 to the tolerance edge).
import { describe, expect, it } from 'vitest';
import { blackScholes } from '../../src/domain/blackScholes.ts';
import { hedgingStudy, type HedgingStudyInput } from '../../src/domain/hedgingStudy.ts';

describe("Hull's Table 19.4: performance of delta hedging a written call", () => {
  const hull: Omit<HedgingStudyInput, 'rebalanceYears'> = {
    kind: 'call', spot: 49, strike: 50, years: 20 / 52, vol: 0.2, rate: 0.05, drift: 0.13,
    position: -100_000, paths: 50_000, seed: 19_4, policy: 'time',
  };

  it.each([
    [5, 0.42],
    [4, 0.38],
    [2, 0.28],
  ])('rebalancing every %s weeks gives a ratio within 0.02 of %s', (weeks, expected) => {
    const r = hedgingStudy({ ...hull, rebalanceYears: weeks / 52 });
    expect(r.bsPrice).toBeCloseTo(2.4005, 4);
    expect(Math.abs(r.ratio - expected)).toBeLessThanOrEqual(0.02);
    // the mean cost of writing and hedging is close to the BS premium (240,050)
    expect(Math.abs(r.meanCost / (100_000 * r.bsPrice) - 1)).toBeLessThan(0.02);
  });
});

describe('Derman-Kamal: sd of the hedging error of an ATM option ~ sqrt(pi/4) vega sigma / sqrt(N)', () => {
  const S = 100, vol = 0.2, years = 1;
  const vega = blackScholes('call', S, S, years, vol, 0, 0).vega;
  it.each([
    [52, 20_000],
    [252, 8_000],
  ])('N = %s rebalances (%s paths): within 10 percent of the formula', (n, paths) => {
    const r = hedgingStudy({
      kind: 'call', spot: S, strike: S, years, vol, rate: 0, drift: 0, position: -1,
      rebalanceYears: years / n, paths, seed: n, policy: 'time',
    });
    const formula = (Math.sqrt(Math.PI / 4) * vega * vol) / Math.sqrt(n);
    expect(r.steps).toBe(n);
    expect(Math.abs(r.sdCost / formula - 1)).toBeLessThan(0.1);
  });
});
