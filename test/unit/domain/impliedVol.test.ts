import { describe, expect, it } from 'vitest';
import { impliedVol, normalisedImpliedStdDev } from '../../../src/domain/impliedVol.ts';
import { blackScholes } from '../../../src/domain/blackScholes.ts';

describe('implied volatility', () => {
  it('recovers the published examples to ~1e-13', () => {
    expect(impliedVol('call', blackScholes('call', 49, 50, 0.3846, 0.2, 0.05).price, 49, 50, 0.3846, 0.05)).toBeCloseTo(0.2, 13);
    expect(impliedVol('put', 2.4648, 100, 95, 0.5, 0.1, 0.05)).toBeCloseTo(0.2, 4);
  });

  it('handles the extremes: tiny and huge prices, deep ITM and OTM, x = 0', () => {
    const cases: Array<['call' | 'put', number, number, number]> = [
      ['call', 100, 300, 0.3], // price ~5e-31
      ['put', 60_000, 20_000, 0.6],
      ['call', 60_000, 45_000, 0.6], // ITM call: via parity
      ['call', 100, 100, 3], // ATM, large vol
      ['put', 100, 50, 2.5],
    ];
    for (const [kind, s, k, v] of cases) {
      const p = blackScholes(kind, s, k, 0.1, v).price;
      expect(Math.abs(impliedVol(kind, p, s, k, 0.1) - v) / v, `${kind} ${s} ${k} ${v}`).toBeLessThan(1e-12);
    }
    expect(normalisedImpliedStdDev(1 - 2 * 0.3085375387259869, 0)).toBeCloseTo(1, 14); // b(0, s) = 1 - 2 Phi(-s/2) at s = 1
  });

  it('returns 0 at the intrinsic value and throws outside the no-arbitrage bounds', () => {
    expect(impliedVol('call', 10, 110, 100, 1)).toBe(0);
    // A deep-ITM model price may round a few ulps below intrinsic: zero vol, not an error.
    expect(impliedVol('call', 10 - 1e-14, 110, 100, 1)).toBe(0);
    expect(impliedVol('put', blackScholes('put', 100, 400, 0.02, 0.3).price, 100, 400, 0.02)).toBe(0);
    expect(() => impliedVol('call', 9.99, 110, 100, 1)).toThrow(/below the lower no-arbitrage bound 10 \(discounted intrinsic value of the forward\)/);
    expect(() => impliedVol('call', 110, 110, 100, 1)).toThrow(/at or above the upper no-arbitrage bound 110 \(discounted forward/);
    expect(() => impliedVol('put', 96, 110, 100, 1, 0.05)).toThrow(/upper no-arbitrage bound 95\.1.*discounted strike/);
    expect(() => impliedVol('put', -1, 110, 100, 1)).toThrow(/price must be >= 0/);
    expect(() => impliedVol('put', 1, 110, 100, 0)).toThrow(/years to expiry must be > 0/);
  });
});
