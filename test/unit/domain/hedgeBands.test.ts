import { describe, expect, it } from 'vitest';
import {
  flowAdjustedGamma, flowDeltaVariance, lelandVol, whalleyWilmottHalfWidth, zakamoulineBand, zakamoulineHalfWidth, zakamoulineH0, zakamoulineHw, zakamoulineKz, zakamoulineVol,
} from '../../../src/domain/hedgeBands.ts';

// Golden inputs of hedging-theory.md.
const golden = {
  gamma: 0.02, spot: 5000, tau: 0.25, vol: 0.2, riskAversion: 1, lambda: 0.0005, rate: 0,
};

describe('golden values (hedging-theory.md)', () => {
  it('Whalley-Wilmott H = 0.114471', () => {
    expect(whalleyWilmottHalfWidth(golden)).toBeCloseTo(0.114471, 6);
  });
  it('Zakamouline H0 = 1.0e-5', () => {
    expect(zakamoulineH0(golden)).toBeCloseTo(1.0e-5, 12);
  });
  it('Zakamouline Hw = 0.0209437', () => {
    expect(zakamoulineHw(golden)).toBeCloseTo(0.0209437, 7);
  });
  it('Zakamouline Kz = -0.13945', () => {
    expect(zakamoulineKz(golden)).toBeCloseTo(-0.13945, 5);
  });
  it('the band adds H0 and Hw; a short book hedges at the higher modified vol', () => {
    const short = zakamoulineBand(golden, true);
    expect(short.halfWidth).toBeCloseTo(1.0e-5 + 0.0209437, 7);
    expect(short.modifiedVolPerYear).toBeCloseTo(0.2 * Math.sqrt(1.13945), 5);
    expect(zakamoulineBand(golden, false).modifiedVolPerYear).toBeCloseTo(0.2 * Math.sqrt(1 - 0.13945), 5);
  });
});

describe('the fused band agrees with the separate formulas', () => {
  it.each([
    [golden],
    [{ ...golden, rate: 0.05, tau: 0.01, gamma: 3e-5, spot: 60_000, vol: 0.6, riskAversion: 1e-3 }],
    [{ ...golden, gamma: -0.5, lambda: 0.002 }],
  ])('%o', (p) => {
    const band = zakamoulineBand(p, true);
    expect(band.h0).toBeCloseTo(zakamoulineH0(p), 14);
    expect(band.hw / zakamoulineHw(p)).toBeCloseTo(1, 12);
    expect(band.kz / zakamoulineKz(p)).toBeCloseTo(1, 12);
    expect(zakamoulineHalfWidth(p)).toBe(band.halfWidth);
  });
});

describe('scaling', () => {
  it('WW H grows as lambda^(1/3), Gamma^(2/3) and falls as gamma_risk^(-1/3)', () => {
    const h = whalleyWilmottHalfWidth(golden);
    expect(whalleyWilmottHalfWidth({ ...golden, lambda: 0.004 }) / h).toBeCloseTo(2, 10);
    expect(whalleyWilmottHalfWidth({ ...golden, gamma: 0.16 }) / h).toBeCloseTo(4, 10);
    expect(whalleyWilmottHalfWidth({ ...golden, riskAversion: 8 }) / h).toBeCloseTo(0.5, 10);
  });
  it('WW uses |Gamma|: a short book has the same band as a long one', () => {
    expect(whalleyWilmottHalfWidth({ ...golden, gamma: -0.02 })).toBeCloseTo(0.114471, 6);
  });
  it('discounting narrows the WW band by e^{-r tau / 3}', () => {
    const ratio = whalleyWilmottHalfWidth({ ...golden, rate: 0.08 }) / whalleyWilmottHalfWidth(golden);
    expect(ratio).toBeCloseTo(Math.exp((-0.08 * 0.25) / 3), 12);
  });
});

describe('guards: never NaN', () => {
  it.each([
    ['zero gamma', { gamma: 0 }],
    ['tau = 0', { tau: 0 }],
    ['tau < 0', { tau: -1 }],
    ['zero cost', { lambda: 0 }],
    ['zero risk aversion', { riskAversion: 0 }],
    ['NaN spot', { spot: Number.NaN }],
  ])('WW band is 0 for %s', (_name, patch) => {
    expect(whalleyWilmottHalfWidth({ ...golden, ...patch })).toBe(0);
  });

  it.each([
    ['tau = 0', { tau: 0 }],
    ['zero vol', { vol: 0 }],
    ['zero risk aversion', { riskAversion: 0 }],
    ['infinite gamma', { gamma: Number.POSITIVE_INFINITY }],
  ])('Zakamouline band is 0 and the vol unchanged for %s', (_name, patch) => {
    const band = zakamoulineBand({ ...golden, ...patch }, true);
    expect(band.halfWidth).toBe(0);
    expect(Number.isNaN(band.modifiedVolPerYear)).toBe(false);
  });

  it('zero gamma leaves only the cost term H0 and Kz = 0', () => {
    const band = zakamoulineBand({ ...golden, gamma: 0 }, true);
    expect(band.hw).toBe(0);
    expect(band.kz === 0).toBe(true);
    expect(band.h0).toBeCloseTo(1e-5, 12);
    expect(band.modifiedVolPerYear).toBe(0.2);
  });

  it('modified vol is floored at 0 when 1 + Kz < 0', () => {
    expect(zakamoulineVol(0.2, -2, false)).toBe(0);
    expect(zakamoulineVol(0.2, -2, true)).toBeCloseTo(0.2 * Math.sqrt(3), 12);
  });
});

describe('Leland adjusted vol', () => {
  it('raises the vol of a short book by sqrt(1 + Le)', () => {
    // Le = sqrt(8/pi) * 0.001 / (0.2 * sqrt(1/52)) = 0.0575363
    const le = (Math.sqrt(8 / Math.PI) * 0.001) / (0.2 * Math.sqrt(1 / 52));
    expect(le).toBeCloseTo(0.0575363, 6);
    expect(lelandVol(0.2, 0.001, 1 / 52, true)).toBeCloseTo(0.2 * Math.sqrt(1 + le), 12);
    expect(lelandVol(0.2, 0.001, 1 / 52, false)).toBeCloseTo(0.2 * Math.sqrt(1 - le), 12);
  });
  it('is the plain vol without costs and never NaN', () => {
    expect(lelandVol(0.2, 0, 0.01, true)).toBe(0.2);
    expect(lelandVol(0.2, 0.001, 0, true)).toBe(0.2);
    expect(lelandVol(0.2, 1, 1e-9, false)).toBe(0);
  });
});

describe('flow-adjusted Whalley-Wilmott (option flow moves delta too)', () => {
  it('without flow it is the golden WW band; flow adding the same variance as spot widens H by 2^(1/3)', () => {
    expect(whalleyWilmottHalfWidth({ ...golden, gamma: flowAdjustedGamma(golden.gamma, 0, golden.spot, golden.vol) })).toBeCloseTo(0.114471, 6);
    const q = golden.gamma ** 2 * golden.vol ** 2 * golden.spot ** 2; // spot's own variance rate of delta
    const h = whalleyWilmottHalfWidth({ ...golden, gamma: flowAdjustedGamma(golden.gamma, q, golden.spot, golden.vol) });
    expect(h / 0.114471).toBeCloseTo(2 ** (1 / 3), 5);
  });

  it('estimates a steady flow: fills of d BTC every dt give d^2 / dt', () => {
    let est = null as ReturnType<typeof flowDeltaVariance> | null;
    const minute = 60_000;
    for (let i = 0; i <= 5_000; i++) est = flowDeltaVariance(est, i % 2 === 0 ? 0.3 : -0.3, i * 5 * minute, 6 * 3_600_000);
    expect(est!.varBtc2PerYear).toBeCloseTo(0.09 / (5 / (365 * 1440)), -1);
    expect(() => flowDeltaVariance(null, 1, 0, 0)).toThrow(RangeError);
  });
});
