import { describe, expect, it } from 'vitest';
import { syntheticPrices } from '../../../src/streams/syntheticPriceSource.ts';

const T0 = Date.UTC(2023, 2, 1);
const base = { seed: 7, startPriceUsd: 20_000, startAt: T0, stepMs: 60_000, steps: 20_000, volPerYear: 0.6 };
const logReturns = (ps: number[]): number[] => ps.slice(1).map((p, i) => Math.log(p / (ps[i] as number)));
const annVol = (rs: number[], stepMs: number): number => {
  const m = rs.reduce((a, b) => a + b, 0) / rs.length;
  const v = rs.reduce((a, b) => a + (b - m) ** 2, 0) / (rs.length - 1);
  return Math.sqrt((v * 365 * 86_400_000) / stepMs);
};

describe('syntheticPrices', () => {
  it('is reproducible from the seed, starts at the start price and is spaced by stepMs', () => {
    const a = [...syntheticPrices(base)];
    const b = [...syntheticPrices(base)];
    expect(a).toEqual(b);
    expect(a[0]).toMatchObject({ at: T0, priceUsd: 20_000, offset: 0 });
    expect(a[1]!.at - a[0]!.at).toBe(60_000);
    expect([...syntheticPrices({ ...base, seed: 8 })]).not.toEqual(a);
  });

  it('GBM realised vol matches volPerYear', () => {
    const ps = [...syntheticPrices(base)].map((t) => t.priceUsd);
    expect(annVol(logReturns(ps), 60_000)).toBeGreaterThan(0.57);
    expect(annVol(logReturns(ps), 60_000)).toBeLessThan(0.63);
  });

  it('regime switch mixes the two vols; jumps add fat tails', () => {
    const rs = logReturns([...syntheticPrices({ ...base, highVolPerYear: 1.5, switchProbPerStep: 0.01 })].map((t) => t.priceUsd));
    const v = annVol(rs, 60_000);
    expect(v).toBeGreaterThan(0.8);
    expect(v).toBeLessThan(1.4);
    const jr = logReturns([...syntheticPrices({ ...base, jumpIntensityPerYear: 365 * 24, jumpStdLog: 0.02 })].map((t) => t.priceUsd));
    expect(jr.filter((r) => Math.abs(r) > 0.015).length).toBeGreaterThan(50);
    expect(logReturns([...syntheticPrices(base)].map((t) => t.priceUsd)).filter((r) => Math.abs(r) > 0.015).length).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => [...syntheticPrices({ ...base, stepMs: 0 })]).toThrow();
  });
});
