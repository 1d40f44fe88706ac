import { describe, expect, it } from 'vitest';
import { blackScholes } from '../../../src/domain/blackScholes.ts';
import { hedgingStudy, type HedgingStudyInput } from '../../../src/domain/hedgingStudy.ts';

const base: HedgingStudyInput = {
  kind: 'call', spot: 100, strike: 105, years: 0.25, vol: 0.3, rate: 0.02, drift: 0.08, position: -10,
  rebalanceYears: 0.25 / 20, paths: 2_000, seed: 42, policy: 'time',
};

describe('hedgingStudy', () => {
  it('without costs, every band policy with a zero band is exactly the time policy on the same paths', () => {
    const time = hedgingStudy(base);
    for (const other of [
      hedgingStudy({ ...base, policy: 'band', bandBtc: 0 }),
      hedgingStudy({ ...base, policy: 'ww', riskAversion: 1e-3 }), // lambda 0 -> H = 0
      hedgingStudy({ ...base, policy: 'zakamouline', riskAversion: 1e-3 }), // lambda 0 -> no band, sigma_m = sigma
    ]) {
      expect(other.sdCost).toBeCloseTo(time.sdCost, 9);
      expect(other.meanCost).toBeCloseTo(time.meanCost, 9);
    }
  });

  it('a wider band trades less and leaves more risk', () => {
    const narrow = hedgingStudy({ ...base, policy: 'band', bandBtc: 0.2 });
    const wide = hedgingStudy({ ...base, policy: 'band', bandBtc: 1 });
    expect(wide.meanTrades).toBeLessThan(narrow.meanTrades);
    expect(wide.sdCost).toBeGreaterThan(narrow.sdCost);
  });

  it('costs raise the mean cost by the fees paid and nothing else (same paths, same trades)', () => {
    const free = hedgingStudy(base);
    const costly = hedgingStudy({ ...base, costBps: 10 });
    expect(costly.meanFees).toBeGreaterThan(0);
    expect(costly.meanCost - free.meanCost).toBeCloseTo(costly.meanFees, 8);
    expect(costly.meanTrades).toBe(free.meanTrades);
  });

  it('a bought position has the mirror cost of a written one', () => {
    const short = hedgingStudy(base);
    const long = hedgingStudy({ ...base, position: 10 });
    expect(long.meanCost).toBeCloseTo(-short.meanCost, 6);
    expect(long.sdCost).toBeCloseTo(short.sdCost, 6);
    expect(long.ratio).toBeCloseTo(short.ratio, 12);
  });

  it('puts: the mean cost is close to the BS premium and bsPrice is the put price', () => {
    const r = hedgingStudy({ ...base, kind: 'put', paths: 5_000 });
    const premium = blackScholes('put', 100, 105, 0.25, 0.3, 0.02).price;
    expect(r.bsPrice).toBeCloseTo(premium, 10);
    expect(Math.abs(r.meanCost - 10 * premium)).toBeLessThan(4 * r.sdCost / Math.sqrt(5_000));
  });

  it('counts a shorter last step when the grid does not divide the life', () => {
    expect(hedgingStudy({ ...base, rebalanceYears: 0.1 }).steps).toBe(3);
    expect(hedgingStudy({ ...base, rebalanceYears: 0.25 / 4 }).steps).toBe(4);
  });

  it('move-based hedging trades less as the trigger widens', () => {
    const a = hedgingStudy({ ...base, policy: 'move', movePct: 0.01 });
    const b = hedgingStudy({ ...base, policy: 'move', movePct: 0.05 });
    expect(b.meanTrades).toBeLessThan(a.meanTrades);
  });

  it.each([
    [{ paths: 1 }, /paths/],
    [{ vol: 0 }, /vol/],
    [{ position: 0 }, /position/],
    [{ rebalanceYears: 1 }, /rebalanceYears/],
    [{ policy: 'ww' as const }, /riskAversion/],
    [{ policy: 'move' as const }, /movePct/],
    [{ costBps: -1 }, /costBps/],
    [{ hedgeEverySteps: 0 }, /hedgeEverySteps/],
  ])('rejects %o', (patch, message) => {
    expect(() => hedgingStudy({ ...base, ...patch })).toThrow(message);
  });
});
