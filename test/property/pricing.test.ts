// Invariants of the BSM pricer: parity, greeks = finite differences of the price,
// no-arbitrage bounds and monotonicity, finiteness at the edges.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blackScholes, bsPriceDeltaGammaVega, newPriceDeltaGammaVega } from '../../src/domain/blackScholes.ts';

const kindArb = fc.constantFrom('call' as const, 'put' as const);
const moderate = fc.record({
  spot: fc.double({ min: 50, max: 200, noNaN: true }),
  strike: fc.double({ min: 50, max: 200, noNaN: true }),
  years: fc.double({ min: 0.05, max: 2, noNaN: true }),
  vol: fc.double({ min: 0.1, max: 1.5, noNaN: true }),
  rate: fc.double({ min: -0.02, max: 0.1, noNaN: true }),
  carry: fc.double({ min: 0, max: 0.1, noNaN: true }),
});

describe('pricing properties', () => {
  it('put-call parity: C - P = S e^{-qT} - K e^{-rT} ', () => {
    fc.assert(fc.property(moderate, ({ spot, strike, years, vol, rate, carry }) => {
      const c = blackScholes('call', spot, strike, years, vol, rate, carry);
      const p = blackScholes('put', spot, strike, years, vol, rate, carry);
      const fwd = spot * Math.exp(-carry * years) - strike * Math.exp(-rate * years);
      expect(Math.abs(c.price - p.price - fwd)).toBeLessThan(1e-12 * (spot + strike));
      expect(Math.abs(c.delta - p.delta - Math.exp(-carry * years))).toBeLessThan(1e-14);
      expect(c.gamma).toBeCloseTo(p.gamma, 14);
    }), { numRuns: 300 });
  });

  it('greeks equal central finite differences of the price', () => {
    fc.assert(fc.property(kindArb, moderate, (kind, { spot, strike, years, vol, rate, carry }) => {
      const P = (s: number, t: number, v: number, r: number): number => blackScholes(kind, s, strike, t, v, r, carry).price;
      const g = blackScholes(kind, spot, strike, years, vol, rate, carry);
      const hs = spot * 1e-5;
      const delta = (P(spot + hs, years, vol, rate) - P(spot - hs, years, vol, rate)) / (2 * hs);
      const hg = spot * 1e-4;
      const gamma = (P(spot + hg, years, vol, rate) - 2 * g.price + P(spot - hg, years, vol, rate)) / (hg * hg);
      const h = 1e-5;
      const vega = (P(spot, years, vol + h, rate) - P(spot, years, vol - h, rate)) / (2 * h);
      const theta = -(P(spot, years + h, vol, rate) - P(spot, years - h, vol, rate)) / (2 * h);
      const rho = (P(spot, years, vol, rate + h) - P(spot, years, vol, rate - h)) / (2 * h);
      expect(Math.abs(delta - g.delta)).toBeLessThan(1e-7);
      // Truncation ~ (hg / (S vol sqrt T))^2 relative, roundoff ~ eps P / hg^2.
      expect(Math.abs(gamma - g.gamma)).toBeLessThan(1e-4 * g.gamma + 1e-7);
      expect(Math.abs(vega - g.vega)).toBeLessThan(1e-5 * (1 + g.vega));
      expect(Math.abs(theta - g.theta)).toBeLessThan(1e-5 * (1 + Math.abs(g.theta)));
      expect(Math.abs(rho - g.rho)).toBeLessThan(1e-5 * (1 + Math.abs(g.rho)));
    }), { numRuns: 300 });
  });

  it('prices sit inside the no-arbitrage bounds and move the right way', () => {
    fc.assert(fc.property(kindArb, moderate, (kind, { spot, strike, years, vol, rate, carry }) => {
      const w = kind === 'call' ? 1 : -1;
      const sDf = spot * Math.exp(-carry * years);
      const kDf = strike * Math.exp(-rate * years);
      const g = blackScholes(kind, spot, strike, years, vol, rate, carry);
      const tol = 1e-12 * (spot + strike);
      expect(g.price).toBeGreaterThanOrEqual(Math.max(w * (sDf - kDf), 0) - tol);
      expect(g.price).toBeLessThanOrEqual((kind === 'call' ? sDf : kDf) + tol);
      expect(w * g.delta).toBeGreaterThanOrEqual(0);
      expect(w * g.delta).toBeLessThanOrEqual(Math.exp(-carry * years) * (1 + 1e-15));
      expect(g.gamma).toBeGreaterThanOrEqual(0);
      expect(g.vega).toBeGreaterThanOrEqual(0);
      // Up in vol -> up in price; up in spot -> call up / put down; up in strike -> call down.
      expect(blackScholes(kind, spot, strike, years, vol * 1.1, rate, carry).price).toBeGreaterThanOrEqual(g.price - tol);
      expect(w * (blackScholes(kind, spot * 1.01, strike, years, vol, rate, carry).price - g.price)).toBeGreaterThanOrEqual(-tol);
      expect(w * (blackScholes(kind, spot, strike * 1.01, years, vol, rate, carry).price - g.price)).toBeLessThanOrEqual(tol);
    }), { numRuns: 300 });
  });

  it('edge cases (T = 0, vol 1e-8, deep ITM/OTM, huge vol) give finite outputs', () => {
    const out = newPriceDeltaGammaVega();
    fc.assert(fc.property(
      kindArb,
      fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
      fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
      fc.oneof(fc.constant(0), fc.constant(1e-12), fc.double({ min: 0, max: 30, noNaN: true })),
      fc.oneof(fc.constant(0), fc.constant(1e-8), fc.double({ min: 0, max: 50, noNaN: true })),
      fc.double({ min: -0.5, max: 0.5, noNaN: true }),
      (kind, spot, strike, years, vol, rate) => {
        const g = blackScholes(kind, spot, strike, years, vol, rate, 0.01);
        for (const v of Object.values(g)) expect(Number.isFinite(v)).toBe(true);
        bsPriceDeltaGammaVega(kind, spot, strike, years, vol, rate, 0.01, out);
        for (const v of Object.values(out)) expect(Number.isFinite(v)).toBe(true);
        expect(g.price).toBeGreaterThanOrEqual(0);
      },
    ), { numRuns: 1000 });
  });
});
