// bookGreeks revalues a call and a put of the same strike/expiry/vol once (shared d1, put
// delta = call delta - 1 at zero carry). It must agree with pricing every leg on its own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bsPriceDeltaGammaVega, newPriceDeltaGammaVega } from '../../src/domain/blackScholes.ts';
import { bookGreeks, type GreekLeg as BookLeg } from '../../src/domain/bookGreeks.ts';

const T0 = Date.UTC(2023, 2, 1);
const DAY = 86_400_000;

function reference(legs: readonly BookLeg[], spot: number, now: number, rate: number, perp: number) {
  const out = newPriceDeltaGammaVega();
  let delta = 0, gross = 0, gamma = 0, vega = 0;
  for (const l of legs) {
    const tau = Math.max(0, (l.expiryMs - now) / (365 * DAY));
    const g = bsPriceDeltaGammaVega(l.kind, spot, l.strikeUsd, tau, l.volPerYear, rate, 0, out);
    delta += g.delta * l.qty; gross += Math.abs(g.delta * l.qty); gamma += g.gamma * l.qty; vega += g.vega * l.qty;
  }
  return { optionsBtc: delta, netBtc: delta + perp, grossBtc: gross, gamma, vega };
}

const legArb = fc.record({
  kind: fc.constantFrom('call' as const, 'put' as const),
  strikeUsd: fc.constantFrom(18_000, 20_000, 22_000, 24_000, 26_000),
  expiryMs: fc.constantFrom(T0 + 3 * DAY, T0 + 30 * DAY, T0 + 90 * DAY, T0 - DAY),
  qty: fc.integer({ min: -20, max: 20 }),
  volPerYear: fc.constantFrom(0.4, 0.6, 0.9),
});

const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, scale);

describe('bookGreeks', () => {
  it('equals per-leg Black-Scholes for any book (calls and puts sharing strikes, expired legs, netting)', () => {
    fc.assert(fc.property(
      fc.array(legArb, { maxLength: 30 }), fc.double({ min: 10_000, max: 40_000, noNaN: true }),
      fc.integer({ min: 0, max: 60 * DAY }), fc.constantFrom(0, 0.05), fc.double({ min: -50, max: 50, noNaN: true }),
      (legs, spot, dt, rate, perp) => {
        const got = bookGreeks(legs, spot, T0 + dt, rate, perp);
        const want = reference(legs, spot, T0 + dt, rate, perp);
        const scale = legs.reduce((s, l) => s + Math.abs(l.qty), 0);
        expect(close(got.optionsBtc, want.optionsBtc, scale)).toBe(true);
        expect(close(got.netBtc, want.netBtc, scale)).toBe(true);
        expect(got.grossBtc).toBeLessThanOrEqual(want.grossBtc + 1e-9 * Math.max(1, scale));
        expect(close(got.gamma, want.gamma, scale * 1e-3)).toBe(true);
        expect(Math.abs(got.vega - want.vega)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(want.vega)));
      },
    ), { numRuns: 400 });
  });

  it('matches exactly on a book without netting, gross delta included', () => {
    const legs: BookLeg[] = [
      { kind: 'call', strikeUsd: 22_000, expiryMs: T0 + 30 * DAY, qty: -3, volPerYear: 0.6 },
      { kind: 'put', strikeUsd: 22_000, expiryMs: T0 + 30 * DAY, qty: 2, volPerYear: 0.6 },
      { kind: 'call', strikeUsd: 26_000, expiryMs: T0 + 90 * DAY, qty: 5, volPerYear: 0.9 },
    ];
    const got = bookGreeks(legs, 23_000, T0, 0, 1);
    const want = reference(legs, 23_000, T0, 0, 1);
    for (const k of ['optionsBtc', 'netBtc', 'grossBtc', 'gamma', 'vega'] as const) expect(got[k]).toBeCloseTo(want[k], 10);
  });
});
