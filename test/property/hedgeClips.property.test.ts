// A hedge larger than maxOrderBtc goes out as consecutive clips: asking nextClipBtc for the
// rest after each clip trades the whole hedge, each clip within the venue's limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextClipBtc, roundToLots, type ClipLimits } from '../../src/domain/hedgeSize.ts';

function clipsOf(totalBtc: number, lim: ClipLimits): { clips: number[]; rest: number } {
  const clips: number[] = [];
  let rest = totalBtc;
  for (;;) {
    const c = nextClipBtc(rest, lim);
    if (c === 0) return { clips, rest };
    clips.push(c);
    rest -= c;
    if (clips.length > 10_000) throw new Error('clips do not converge');
  }
}

const limitsArb: fc.Arbitrary<ClipLimits> = fc.record({
  lotBtc: fc.constantFrom(0.0001, 0.001, 0.01, 0.1),
  minMult: fc.integer({ min: 1, max: 50 }),
  maxMult: fc.integer({ min: 1, max: 4_000 }),
}).map(({ lotBtc, minMult, maxMult }) => ({
  lotBtc, minOrderBtc: Number((minMult * lotBtc).toPrecision(12)), maxOrderBtc: Number(((minMult + maxMult) * lotBtc).toPrecision(12)),
}));

describe('hedge clips', () => {
  it('sum to the due hedge (rounded to lots, less a remainder under the minimum); each clip is one side, <= maxOrderBtc and >= minOrderBtc', () => {
    fc.assert(fc.property(limitsArb, fc.double({ min: -60, max: 60, noNaN: true }), (lim, inMaxOrders) => {
      const total = inMaxOrders * lim.maxOrderBtc;
      const { clips, rest } = clipsOf(total, lim);
      const due = roundToLots(total, lim.lotBtc);
      const eps = 1e-9 * Math.max(1, Math.abs(total));
      for (const c of clips) {
        expect(Math.sign(c)).toBe(Math.sign(total));
        expect(Math.abs(c)).toBeLessThanOrEqual(lim.maxOrderBtc + eps);
        expect(Math.abs(c)).toBeGreaterThanOrEqual(lim.minOrderBtc - eps);
        expect(Math.abs(roundToLots(c, lim.lotBtc) - c)).toBeLessThanOrEqual(eps);
      }
      const traded = clips.reduce((a, c) => a + c, 0);
      expect(Math.abs(traded + rest - total)).toBeLessThanOrEqual(eps * (clips.length + 1));
      // What is left is under the venue minimum (after rounding to lots): nothing due remains.
      expect(Math.abs(roundToLots(rest, lim.lotBtc))).toBeLessThan(lim.minOrderBtc + eps);
      if (Math.abs(due) >= lim.minOrderBtc) expect(Math.abs(traded - due)).toBeLessThan(lim.minOrderBtc + eps * (clips.length + 1));
      // As few clips as the limit allows (one more when float rounding tips the split).
      expect(clips.length).toBeLessThanOrEqual(Math.ceil(Math.abs(due) / lim.maxOrderBtc) + 1);
    }), { numRuns: 2_000 });
  });

  it('splits evenly: 32.18 BTC with a 25 BTC maximum goes as two clips of 16.09', () => {
    const lim = { maxOrderBtc: 25, minOrderBtc: 0.001, lotBtc: 0.0001 };
    expect(clipsOf(-32.18, lim)).toEqual({ clips: [-16.09, -16.09], rest: 0 });
    expect(clipsOf(25, lim).clips).toEqual([25]);
    expect(clipsOf(0.0004, lim).clips).toEqual([]);
  });
});
