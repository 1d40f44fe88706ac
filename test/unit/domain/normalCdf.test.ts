import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalCdfFromPdf, normalInvApprox, normalPdf } from '../../../src/domain/normalCdf.ts';

// Reference values from mpmath.ncdf at 40 significant digits, rounded to the nearest double.
const REF: Array<[number, number]> = [
  [-38, 2.88542835e-316],
  [-37, 5.725571222524577e-300],
  [-30, 4.906713927148187e-198],
  [-20, 2.7536241186062337e-89],
  [-10, 7.619853024160525e-24],
  [-8, 6.220960574271784e-16],
  [-5, 2.866515718791939e-07],
  [-3, 0.0013498980316300946],
  [-1, 0.15865525393145705],
  [-0.5, 0.3085375387259869],
  [-0.1, 0.460172162722971],
  [0.1, 0.539827837277029],
  [0.5, 0.6914624612740131],
  [1, 0.8413447460685429],
  [2, 0.9772498680518208],
  [3, 0.9986501019683699],
  [5, 0.9999997133484281],
  [8, 0.9999999999999993],
];

describe('normalCdf (Cody)', () => {
  it('matches high-precision values to ~1e-15 relative, far tail included', () => {
    for (const [x, p] of REF) {
      const rel = Math.abs(normalCdf(x) - p) / p;
      // -38 lies in the subnormal range, where doubles themselves carry fewer digits.
      expect(rel, `x=${x}`).toBeLessThan(x < -37.5 ? 1e-7 : 2e-15);
    }
  });

  it('normalCdfFromPdf (hot path) agrees to ~1e-13 relative', () => {
    for (const [x, p] of REF) {
      if (x < -37.5) continue;
      expect(Math.abs(normalCdfFromPdf(x, normalPdf(x)) - p) / p, `x=${x}`).toBeLessThan(2e-13);
    }
  });

  it('is exactly symmetric around 0 and saturates without NaN', () => {
    for (const x of [0.01, 0.4, 0.7, 1.3, 4.2, 9]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-1e308)).toBe(0);
    expect(normalCdfFromPdf(-Infinity, 0)).toBe(0);
  });

  it('pdf, erfc and the inverse are consistent', () => {
    expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 16);
    expect(normalPdf(1)).toBeCloseTo(0.24197072451914337, 16);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 15);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 15);
    expect(erfc(30)).toBe(0);
    // Acklam's inverse is a starting point for solvers: ~1.2e-9 relative in x.
    for (const x of [-37, -20, -5, -1.5, -0.3, 0.2, 1, 2.5]) {
      expect(Math.abs(normalInvApprox(normalCdf(x)) - x) / Math.abs(x), `x=${x}`).toBeLessThan(2e-9);
    }
    expect(normalInvApprox(0.5)).toBe(0);
    expect(normalInvApprox(0)).toBe(-Infinity);
    expect(normalInvApprox(1)).toBe(Infinity);
  });
});
