import { describe, expect, it } from 'vitest';
import { blackScholes } from '../../../src/domain/blackScholes.ts';
import { bookRisk } from '../../../src/domain/bookRisk.ts';
import { bookValueUsd } from '../../../src/domain/bookValue.ts';
import { flatSurface } from '../../../src/domain/volSurface.ts';

/** Every leg here names its own vol; the surface's flat vol would only price a leg that names none. */
const SURFACE = flatSurface(0.9);

const NOW = Date.UTC(2023, 2, 1);
const YEAR = 365 * 86_400_000;
const leg = (kind: 'call' | 'put', strikeUsd: number, years: number, qty: number, volPerYear = 0.6) =>
  ({ instrument: `X-${kind}-${strikeUsd}`, kind, strikeUsd, expiryMs: NOW + years * YEAR, qty, volPerYear });

describe('bookRisk', () => {
  it("Hull's example call (S 49, K 50, r 5%, vol 20%, T 0.3846): gamma 0.0655, vega 12.105, theta -4.305 a year", () => {
    const r = bookRisk([leg('call', 50, 0.3846, 1, 0.2)], 49, NOW, 0.05, SURFACE);
    expect(r.gammaBtcPerUsd).toBeCloseTo(0.0655, 4);
    expect(r.vegaUsdPerVol).toBeCloseTo(12.105, 2);
    expect(r.thetaUsdPerYear).toBeCloseTo(-4.305, 2);
    expect(r.vegaUsdPerVolPt).toBeCloseTo(0.12105, 4);
    expect(r.thetaUsdPerDay).toBeCloseTo(-4.305 / 365, 5);
    expect(r.gammaBtcPerPct).toBeCloseTo(0.0655 * 0.49, 4);
  });

  it('traders units are what the book does: +1% spot, +1 vol point, one day later', () => {
    const book = [leg('call', 24_000, 30 / 365, -4), leg('put', 22_000, 30 / 365, -4), leg('call', 26_000, 60 / 365, 2, 0.65)];
    const s = 23_000;
    const r = bookRisk(book, s, NOW, 0, SURFACE);
    // Finite differences agree to first order (within 2%: the second-order terms of a 1% / 1 point / 1 day bump).
    const near = (bumped: number, greek: number): void => { expect(Math.abs(bumped / greek - 1)).toBeLessThan(0.02); };
    const deltaAt = (spot: number): number => book.reduce((a, l) => a + l.qty * blackScholes(l.kind, spot, l.strikeUsd, (l.expiryMs - NOW) / YEAR, l.volPerYear, 0, 0).delta, 0);
    near(deltaAt(s * 1.01) - deltaAt(s), r.gammaBtcPerPct);
    const bumped = book.map((l) => ({ ...l, volPerYear: l.volPerYear + 0.01 }));
    near(bookValueUsd(bumped, s, NOW, 0, SURFACE) - bookValueUsd(book, s, NOW, 0, SURFACE), r.vegaUsdPerVolPt);
    near(bookValueUsd(book, s, NOW + 86_400_000, 0, SURFACE) - bookValueUsd(book, s, NOW, 0, SURFACE), r.thetaUsdPerDay);
    expect(r.valueUsd).toBeCloseTo(bookValueUsd(book, s, NOW, 0, SURFACE), 6);
  });

  it('an empty book or an expired one has no gamma, vega or theta', () => {
    expect(bookRisk([], 20_000, NOW, 0, SURFACE)).toMatchObject({ gammaBtcPerUsd: 0, vegaUsdPerVol: 0, thetaUsdPerYear: 0, valueUsd: 0 });
    const r = bookRisk([leg('call', 20_000, -1, 1)], 21_000, NOW, 0, SURFACE);
    expect(r).toMatchObject({ gammaBtcPerUsd: 0, vegaUsdPerVol: 0, valueUsd: 1_000, deltaBtc: 1 });
    expect(() => bookRisk([], 0, NOW, 0, SURFACE)).toThrow(/spot/);
  });
});

describe('bookRisk on a surface', () => {
  it('prices a series that names no vol at its smile vol, as bookValueUsd does', () => {
    const expiryMs = NOW + 30 * 86_400_000;
    const surface = { flatVolPerYear: 0.6, smiles: [{ expiryMs, moneyness: [0.9, 1, 1.1], volPerYear: [0.8, 0.5, 0.7] }] };
    const noOwn = { instrument: 'X', kind: 'call' as const, strikeUsd: 22_000, expiryMs, qty: 1 };
    const r = bookRisk([noOwn], 20_000, NOW, 0, surface);
    const atSmile = blackScholes('call', 20_000, 22_000, 30 / 365, 0.7, 0, 0);
    expect(r.valueUsd).toBeCloseTo(atSmile.price, 9);
    expect(r.vegaUsdPerVol).toBeCloseTo(atSmile.vega, 9);
    expect(bookValueUsd([noOwn], 20_000, NOW, 0, surface)).toBeCloseTo(atSmile.price, 9);
  });
});
