import { describe, expect, it } from 'vitest';
import { blackScholes, bsDelta, bsPriceDeltaGammaVega, newPriceDeltaGammaVega } from '../../../src/domain/blackScholes.ts';

// Published values are rounded; each check allows half a unit of the last published digit.
function near(actual: number, published: number, decimals: number): void {
  expect(Math.abs(actual - published)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

describe('Black-Scholes-Merton: published reference values', () => {
  it("Hull's example call: S 49, K 50, r 5%, sigma 20%, T 0.3846", () => {
    const g = blackScholes('call', 49, 50, 0.3846, 0.2, 0.05, 0);
    near(g.price, 2.4005, 4);
    near(g.delta, 0.5216, 4);
    near(g.gamma, 0.0655, 4);
    near(g.vega, 12.105, 3);
    near(g.theta, -4.305, 3);
    near(g.rho, 8.907, 3);
  });

  it("Hull: S 42, K 40, r 10%, sigma 20%, T 0.5 -> call 4.7594, put 0.8086", () => {
    near(blackScholes('call', 42, 40, 0.5, 0.2, 0.1).price, 4.7594, 4);
    near(blackScholes('put', 42, 40, 0.5, 0.2, 0.1).price, 0.8086, 4);
  });

  it("Haug 1.1.6 generalized BSM: S 60, K 65, T 0.25, r = b = 8%, sigma 30% call 2.1334", () => {
    near(blackScholes('call', 60, 65, 0.25, 0.3, 0.08, 0).price, 2.1334, 4);
  });

  it('Haug Merton-73: S 100, K 95, T 0.5, r 10%, q 5%, sigma 20% put 2.4648', () => {
    near(blackScholes('put', 100, 95, 0.5, 0.2, 0.1, 0.05).price, 2.4648, 4);
  });

  it('Haug 2.1.1 delta: S 105, K 100, T 0.5, r 10%, b 0 (q = r), sigma 36%', () => {
    near(blackScholes('call', 105, 100, 0.5, 0.36, 0.1, 0.1).delta, 0.5946, 4);
    near(blackScholes('put', 105, 100, 0.5, 0.36, 0.1, 0.1).delta, -0.3566, 4);
  });

  it('Haug 2.2.1 gamma: S 55, K 60, T 0.75, r = b = 10%, sigma 30% -> 0.0278', () => {
    near(blackScholes('call', 55, 60, 0.75, 0.3, 0.1, 0).gamma, 0.0278, 4);
    near(blackScholes('put', 55, 60, 0.75, 0.3, 0.1, 0).gamma, 0.0278, 4);
  });

  it('Haug 2.3.1 vega: S 55, K 60, T 0.75, r 10.5%, b 6.95% (q 3.55%), sigma 30% -> 18.5027', () => {
    near(blackScholes('call', 55, 60, 0.75, 0.3, 0.105, 0.105 - 0.0695).vega, 18.5027, 4);
  });

  it('Haug 2.4.1 theta: put S 430, K 405, T 0.0833, r 7%, b 2%, sigma 20% -> -31.1924 per year', () => {
    near(blackScholes('put', 430, 405, 0.0833, 0.2, 0.07, 0.05).theta, -31.1924, 4);
  });

  it('Haug 2.5.1 rho: call S 72, K 75, T 1, r = b = 9%, sigma 19% -> 38.7325', () => {
    near(blackScholes('call', 72, 75, 1, 0.19, 0.09, 0).rho, 38.7325, 4);
  });
});

describe('Black-Scholes-Merton: tails and limits', () => {
  // Deep OTM prices from mpmath at 50 digits: relative accuracy, where A&S 26.2.17 errs ~1%.
  it.each([
    ['call', 100, 300, 0.1, 0.3, 0.02, 0, 4.6303013400819765e-31],
    ['call', 100, 200, 0.25, 0.2, 0.05, 0.01, 8.288936876400162e-12],
    ['put', 100, 40, 0.5, 0.25, 0.03, 0, 1.356631274264777e-07],
    ['put', 60000, 20000, 30 / 365, 0.6, 0, 0, 7.531510334984888e-08],
    ['call', 60000, 120000, 7 / 365, 0.8, 0, 0, 2.81855550299702e-07],
  ] as const)('deep OTM %s S %d K %d: relative error < 1e-11', (kind, s, k, t, v, r, q, ref) => {
    const out = newPriceDeltaGammaVega();
    expect(Math.abs(blackScholes(kind, s, k, t, v, r, q).price - ref) / ref).toBeLessThan(1e-11);
    expect(Math.abs(bsPriceDeltaGammaVega(kind, s, k, t, v, r, q, out).price - ref) / ref).toBeLessThan(1e-10);
  });

  it('T = 0: intrinsic price, delta step, no gamma/vega', () => {
    const itm = blackScholes('call', 110, 100, 0, 0.5);
    expect(itm).toEqual({ price: 10, delta: 1, gamma: 0, vega: 0, theta: 0, rho: 0 });
    expect(blackScholes('put', 110, 100, 0, 0.5)).toEqual({ price: 0, delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0 });
    expect(blackScholes('put', 90, 100, 0, 0.5).delta).toBe(-1);
    expect(blackScholes('call', 100, 100, 0, 0.5).price).toBe(0);
    expect(bsDelta('put', 90, 100, 0, 0.5, 0, 0)).toBe(-1);
  });

  it('tiny vol converges to the discounted intrinsic of the forward', () => {
    const [s, k, t, r, q] = [100, 100, 1, 0.05, 0.01];
    const fwdIntrinsic = s * Math.exp(-q * t) - k * Math.exp(-r * t);
    for (const vol of [1e-8, 1e-12, 1e-200, 0]) {
      const g = blackScholes('call', s, k, t, vol, r, q);
      expect(g.price).toBeCloseTo(fwdIntrinsic, 10);
      expect(g.delta).toBeCloseTo(Math.exp(-q * t), 10);
      expect(blackScholes('put', s, k, t, vol, r, q).price).toBeCloseTo(0, 10);
    }
  });

  it('never returns NaN or Infinity for finite positive inputs', () => {
    const out = newPriceDeltaGammaVega();
    for (const kind of ['call', 'put'] as const)
      for (const s of [1e-6, 1, 100, 1e9])
        for (const t of [0, 1e-12, 1 / 365, 5, 100])
          for (const v of [0, 1e-8, 0.5, 10, 1e3]) {
            const g = blackScholes(kind, s, 100, t, v, 0.05, 0.02);
            for (const val of Object.values(g)) expect(Number.isFinite(val), `${kind} ${s} ${t} ${v}`).toBe(true);
            bsPriceDeltaGammaVega(kind, s, 100, t, v, 0.05, 0.02, out);
            for (const val of Object.values(out)) expect(Number.isFinite(val)).toBe(true);
            expect(Number.isFinite(bsDelta(kind, s, 100, t, v, 0.05, 0.02))).toBe(true);
          }
  });

  it('hot-path functions agree with the full greeks', () => {
    const out = newPriceDeltaGammaVega();
    for (const kind of ['call', 'put'] as const) {
      const g = blackScholes(kind, 61_000, 65_000, 0.1, 0.7, 0.03, 0.01);
      bsPriceDeltaGammaVega(kind, 61_000, 65_000, 0.1, 0.7, 0.03, 0.01, out);
      expect(out.price).toBeCloseTo(g.price, 8);
      expect(out.delta).toBeCloseTo(g.delta, 13);
      expect(out.gamma).toBeCloseTo(g.gamma, 15);
      expect(out.vega).toBeCloseTo(g.vega, 8);
      expect(bsDelta(kind, 61_000, 65_000, 0.1, 0.7, 0.03, 0.01)).toBeCloseTo(g.delta, 13);
    }
  });

  it('rejects bad inputs with a clear message', () => {
    expect(() => blackScholes('call', -1, 100, 1, 0.2)).toThrow(/spot must be a positive/);
    expect(() => blackScholes('call', 100, 0, 1, 0.2)).toThrow(/strike must be a positive/);
    expect(() => blackScholes('call', 100, 100, -1, 0.2)).toThrow(/years to expiry must be >= 0/);
    expect(() => blackScholes('call', 100, 100, 1, Number.NaN)).toThrow(/vol must be >= 0/);
    expect(() => blackScholes('call', 100, 100, 1, 0.2, Infinity)).toThrow(/rate must be finite/);
    expect(() => blackScholes('straddle' as 'call', 100, 100, 1, 0.2)).toThrow(/'call' or 'put'/);
  });
});
