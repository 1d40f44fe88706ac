import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expFast } from '../../../src/domain/expFast.ts';

// Correctly rounded e^x of each double x (Python decimal at 60 digits, then nearest double).
const REF: Array<[number, number]> = [
  [-707.5, 5.453232991066742e-308],
  [-300.25, 4.009422364622857e-131],
  [-50.125, 1.7021157666886667e-22],
  [-1, 0.36787944117144233],
  [-0.0054, 0.9946145537913912],
  [0, 1.0],
  [1e-10, 1.0000000001],
  [0.5, 1.6487212707001282],
  [1, 2.718281828459045],
  [2.302585092994046, 10.000000000000002],
  [88.7, 3.325986980250579e38],
  [700.5, 1.6721859620674984e304],
];

const bits = new BigInt64Array(1);
const f64 = new Float64Array(bits.buffer);
/** Distance in units in the last place between two positive finite doubles. */
function ulps(a: number, b: number): number {
  f64[0] = a;
  const ia = bits[0] as bigint;
  f64[0] = b;
  const ib = bits[0] as bigint;
  return Number(ia > ib ? ia - ib : ib - ia);
}

describe('expFast', () => {
  it('is within 2 ulp of the correctly rounded e^x', () => {
    for (const [x, want] of REF) expect(ulps(expFast(x), want), `exp(${x})`).toBeLessThanOrEqual(2);
  });

  it('stays within 3 ulp of Math.exp (itself < 1 ulp) across its fast range', () => {
    fc.assert(fc.property(fc.double({ min: -708, max: 709, noNaN: true }), (x) => {
      expect(ulps(expFast(x), Math.exp(x))).toBeLessThanOrEqual(3);
    }), { numRuns: 20_000 });
    // A dense sweep of the reduction boundaries, where the table index and 2^k change.
    let worst = 0;
    for (let i = -2000; i <= 2000; i++) {
      const x = (i * Math.LN2) / 64;
      for (const d of [-1e-13, 0, 1e-13]) worst = Math.max(worst, ulps(expFast(x + d), Math.exp(x + d)));
    }
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('hands everything outside [-708, 709] to Math.exp: underflow, overflow, NaN, infinities', () => {
    for (const x of [-709, -745, -745.2, -746, -1e308, 709.5, 709.78, 709.79, 710, 1e308]) {
      expect(expFast(x)).toBe(Math.exp(x));
    }
    expect(expFast(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(expFast(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(expFast(Number.NaN)).toBeNaN();
    expect(expFast(-0)).toBe(1);
  });
});
