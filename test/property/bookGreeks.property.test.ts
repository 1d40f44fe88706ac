// bookGreeks revalues a call and a put of the same strike/expiry/vol once (shared d1, put
// delta = call delta - 1 at zero carry). It must agree with pricing every leg on its own at the
// vol the surface gives it and the time and weight the expiry treatment gives it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bsPriceDeltaGammaVega, newPriceDeltaGammaVega } from '../../src/domain/blackScholes.ts';
import { bookGreeks, type BookModel, type GreekLeg as BookLeg } from '../../src/domain/bookGreeks.ts';
import { expiryWeight, hedgeYears, PLAIN_EXPIRY, type ExpiryConfig } from '../../src/domain/expiryTreatment.ts';
import { flatSurface, seriesVol, type VolSurface } from '../../src/domain/volSurface.ts';

const T0 = Date.UTC(2023, 2, 1);
const DAY = 86_400_000;
const EXPIRIES = [T0 + 3 * DAY, T0 + 30 * DAY, T0 + 90 * DAY, T0 - DAY];

function reference(legs: readonly BookLeg[], spot: number, now: number, rate: number, perp: number, model: BookModel) {
  const out = newPriceDeltaGammaVega();
  let delta = 0, gross = 0, gamma = 0, vega = 0;
  for (const l of legs) {
    const w = expiryWeight(model.expiry, l.expiryMs, now);
    if (w === 0) continue;
    const vol = seriesVol(model.vol, l, spot);
    const g = bsPriceDeltaGammaVega(l.kind, spot, l.strikeUsd, Math.max(0, hedgeYears(model.expiry, l.expiryMs, now)), vol, rate, 0, out);
    delta += w * g.delta * l.qty; gross += Math.abs(w * g.delta * l.qty); gamma += w * g.gamma * l.qty; vega += w * g.vega * l.qty;
  }
  return { optionsBtc: delta, netBtc: delta + perp, grossBtc: gross, gamma, vega };
}

const legArb = fc.record({
  kind: fc.constantFrom('call' as const, 'put' as const),
  strikeUsd: fc.constantFrom(18_000, 20_000, 22_000, 24_000, 26_000),
  expiryMs: fc.constantFrom(...EXPIRIES),
  qty: fc.integer({ min: -20, max: 20 }),
  volPerYear: fc.option(fc.constantFrom(0.4, 0.6, 0.9), { nil: undefined }),
}).map((l) => (l.volPerYear === undefined ? { kind: l.kind, strikeUsd: l.strikeUsd, expiryMs: l.expiryMs, qty: l.qty } : l));

const surfaceArb: fc.Arbitrary<VolSurface> = fc.record({
  flatVolPerYear: fc.constantFrom(0.5, 0.7),
  smiles: fc.subarray(EXPIRIES.slice(0, 3)).map((es) => es.map((expiryMs, i) => ({
    expiryMs, moneyness: [0.8, 1, 1.25], volPerYear: [0.8 - 0.05 * i, 0.6, 0.7],
  }))),
});

const expiryArb: fc.Arbitrary<ExpiryConfig> = fc.oneof(
  fc.constant(PLAIN_EXPIRY),
  fc.record({ mode: fc.constant('atSettlement' as const), pinMinutes: fc.constantFrom(30, 240) }),
  fc.record({ mode: fc.constant('glide' as const), minutes: fc.constantFrom(60, 7 * 1440), pinMinutes: fc.constantFrom(0, 60) }),
);

const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, scale);

describe('bookGreeks', () => {
  it('equals per-leg Black-Scholes at the surface vol, the pin-floored time and the glide weight, for any book', () => {
    fc.assert(fc.property(
      fc.array(legArb, { maxLength: 30 }), fc.double({ min: 10_000, max: 40_000, noNaN: true }),
      fc.integer({ min: 0, max: 60 * DAY }), fc.constantFrom(0, 0.05), fc.double({ min: -50, max: 50, noNaN: true }),
      surfaceArb, expiryArb,
      (legs, spot, dt, rate, perp, vol, expiry) => {
        const model = { vol, expiry };
        const got = bookGreeks(legs, spot, T0 + dt, rate, perp, model);
        const want = reference(legs, spot, T0 + dt, rate, perp, model);
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
    const model = { vol: flatSurface(0.6), expiry: PLAIN_EXPIRY };
    const got = bookGreeks(legs, 23_000, T0, 0, 1, model);
    const want = reference(legs, 23_000, T0, 0, 1, model);
    for (const k of ['optionsBtc', 'netBtc', 'grossBtc', 'gamma', 'vega'] as const) expect(got[k]).toBeCloseTo(want[k], 10);
  });

  it('without a pin floor, an expired series counts at its intrinsic delta step and no gamma', () => {
    const legs: BookLeg[] = [{ kind: 'put', strikeUsd: 23_500, expiryMs: T0 - DAY, qty: 4, volPerYear: 0.8 }, { kind: 'call', strikeUsd: 20_000, expiryMs: T0 - DAY, qty: -1 }];
    const g = bookGreeks(legs, 23_000, T0, 0, 0.5, { vol: flatSurface(0.6), expiry: PLAIN_EXPIRY });
    expect(g.optionsBtc).toBe(-4 - 1);
    expect(g.netBtc).toBe(-4.5);
    expect(g.gamma).toBe(0);
  });

  it('an empty book has the perp delta only', () => {
    expect(bookGreeks([], 20_000, T0, 0, -2.5, { vol: flatSurface(0.6), expiry: PLAIN_EXPIRY }))
      .toEqual({ optionsBtc: 0, netBtc: -2.5, grossBtc: 0, gamma: 0, vega: 0, tauYears: 0, volPerYear: 0 });
  });

  it('a new surface on the same book array is not served from the grouping cache', () => {
    const legs: BookLeg[] = [{ kind: 'call', strikeUsd: 22_000, expiryMs: T0 + 30 * DAY, qty: -3 }];
    const a = bookGreeks(legs, 23_000, T0, 0, 0, { vol: flatSurface(0.5), expiry: PLAIN_EXPIRY });
    const b = bookGreeks(legs, 23_000, T0, 0, 0, { vol: flatSurface(0.9), expiry: PLAIN_EXPIRY });
    expect(a.volPerYear).toBe(0.5);
    expect(b.volPerYear).toBe(0.9);
  });
});
