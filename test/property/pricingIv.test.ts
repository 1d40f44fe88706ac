// Implied-vol round trip: price with BSM, invert, compare vols, over moneyness
// K/S 0.5..2, expiry 1 day..2 years, vol 5%..300%, calls and puts, with rate and carry.
//
// Skip rule (points where the price does not determine the vol to 1e-10 in double precision):
// a computed price carries rounding noise of a few ulps of (price + discounted intrinsic of the
// forward), the intrinsic being what parity subtracts for an in-the-money option. A relative vol
// change of 1e-10 moves the price by 1e-10 * vega * vol. When that is below 64 ulps
// (64 * 2^-52) of (price + intrinsic), or the price is 0 or subnormal (< 1e-290 * K), the point is
// skipped. These are deep-ITM options with almost no time value, and far-OTM ones whose price
// underflows. The test also checks that the skipped share stays small.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blackScholes } from '../../src/domain/blackScholes.ts';
import { impliedVol } from '../../src/domain/impliedVol.ts';
import type { OptionKind } from '../../src/domain/instrument.ts';

const EPS = Number.EPSILON;
const MAX_REL_ERR = 1e-10;

function determinesVol(kind: OptionKind, price: number, vega: number, vol: number, sDf: number, kDf: number, strike: number): boolean {
  const intrinsic = Math.max((kind === 'call' ? 1 : -1) * (sDf - kDf), 0);
  return price >= 1e-290 * strike && MAX_REL_ERR * vega * vol > 64 * EPS * (price + intrinsic);
}

/** Relative vol error of one round trip, or null if the point is skipped. */
function roundTrip(kind: OptionKind, spot: number, strike: number, years: number, vol: number, rate: number, carry: number): number | null {
  const g = blackScholes(kind, spot, strike, years, vol, rate, carry);
  const sDf = spot * Math.exp(-carry * years);
  const kDf = strike * Math.exp(-rate * years);
  if (!determinesVol(kind, g.price, g.vega, vol, sDf, kDf, strike)) return null;
  return Math.abs(impliedVol(kind, g.price, spot, strike, years, rate, carry) - vol) / vol;
}

describe('implied vol round trip', () => {
  it('a 2 x 29 x 10 x 37 grid recovers vol to 1e-10 (typically 1e-13)', () => {
    let maxErr = 0, n = 0, skipped = 0;
    const errs: number[] = [];
    const expiries = [1, 2, 7, 14, 30, 60, 91, 182, 365, 730].map((d) => d / 365);
    for (const kind of ['call', 'put'] as const)
      for (let i = 0; i < 29; i++) {
        const moneyness = 0.5 * 4 ** (i / 28); // K/S from 0.5 to 2, log-spaced
        for (const years of expiries)
          for (let j = 0; j < 37; j++) {
            const vol = 0.05 * 60 ** (j / 36); // 5% .. 300%
            const err = roundTrip(kind, 60_000, 60_000 * moneyness, years, vol, 0.03, 0.01);
            if (err === null) { skipped++; continue; }
            n++;
            errs.push(err);
            maxErr = Math.max(maxErr, err);
          }
      }
    errs.sort((a, b) => a - b);
    expect(maxErr).toBeLessThan(MAX_REL_ERR);
    expect(errs[Math.floor(0.99 * errs.length)]).toBeLessThan(1e-12);
    expect(skipped / (n + skipped)).toBeLessThan(0.3);
  });

  it('random points (fast-check) recover vol to 1e-10', () => {
    fc.assert(fc.property(
      fc.constantFrom('call' as const, 'put' as const),
      fc.double({ min: Math.log(0.5), max: Math.log(2), noNaN: true }),
      fc.double({ min: 1 / 365, max: 2, noNaN: true }),
      fc.double({ min: 0.05, max: 3, noNaN: true }),
      fc.double({ min: -0.01, max: 0.1, noNaN: true }),
      fc.double({ min: 0, max: 0.1, noNaN: true }),
      (kind, logM, years, vol, rate, carry) => {
        const err = roundTrip(kind, 100, 100 * Math.exp(logM), years, vol, rate, carry);
        if (err !== null) expect(err).toBeLessThan(MAX_REL_ERR);
      },
    ), { numRuns: 2000 });
  });
});
