// The per-vault funding split must add up to what the simulated venue charges the account.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FundingAccrual } from '../../../src/domain/fundingAccrual.ts';
import { sampleSd } from '../../../src/engine/backtest/sampleSd.ts';
import { PositionBook } from '../../../src/venues/sim/positionBook.ts';
import { SeriesPriceReference } from '../../../src/venues/sim/priceReference.ts';

const HOUR = 3_600_000;

describe('FundingAccrual', () => {
  it('matches the venue position book for any fills split over vaults', () => {
    const fill = fc.record({ minute: fc.integer({ min: 0, max: 72 * 60 }), lots: fc.integer({ min: -500, max: 500 }).filter((x) => x !== 0), vault: fc.integer({ min: 0, max: 2 }) });
    fc.assert(fc.property(fc.array(fill, { minLength: 1, maxLength: 40 }), (fills) => {
      const points = Array.from({ length: 72 * 60 + 1 }, (_, i) => ({ at: i * 60_000, priceUsd: 20_000 + 1_000 * Math.sin(i / 300) }));
      const ref = new SeriesPriceReference(points);
      const priceAt = (t: number): number => ref.priceAt(t) as number;
      const terms = { ratePerHour: 0.0000125, intervalMs: HOUR };
      const book = new PositionBook({ lotSizeBtc: 0.0001, ...terms });
      const vaults = [new FundingAccrual(terms), new FundingAccrual(terms), new FundingAccrual(terms)];
      const sorted = [...fills].sort((a, b) => a.minute - b.minute);
      // Fills land 25 ms after their minute (venue latency), boundaries settle as minutes pass.
      let i = 0;
      for (let m = 0; m <= 72 * 60; m++) {
        while (i < sorted.length && sorted[i]!.minute === m) {
          const f = sorted[i]!;
          book.applyFill(f.lots, priceAt(m * 60_000), m * 60_000 + 25);
          vaults[f.vault]!.addFill(m * 60_000 + 25, f.lots * 0.0001);
          i++;
        }
        for (const v of vaults) v.advance(m * 60_000, priceAt);
      }
      const venue = book.fundingPaidUsd(72 * HOUR, ref);
      const split = vaults.reduce((a, v) => a + v.totalUsd, 0);
      expect(split).toBeCloseTo(venue, 6);
    }), { numRuns: 60 });
  });

  it('charges a long position at each boundary it is held over, and nothing before the first fill', () => {
    const f = new FundingAccrual({ ratePerHour: 0.001, intervalMs: HOUR });
    f.advance(5 * HOUR, () => 100);
    expect(f.totalUsd).toBe(0);
    f.addFill(5 * HOUR + 10, 2);
    f.advance(8 * HOUR, () => 100);
    expect(f.totalUsd).toBeCloseTo(3 * 2 * 100 * 0.001, 12);
    expect(() => f.addFill(7 * HOUR, 1)).toThrow(/settled/);
  });
});

describe('sampleSd', () => {
  it('is the n-1 standard deviation and 0 below two values', () => {
    expect(sampleSd([])).toBe(0);
    expect(sampleSd([5])).toBe(0);
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    fc.assert(fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 50 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (xs, c) => {
      expect(sampleSd(xs.map((x) => x + c))).toBeCloseTo(sampleSd(xs), 3);
    }));
  });
});
