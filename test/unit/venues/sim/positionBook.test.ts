import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PositionBook } from '../../../../src/venues/sim/positionBook.ts';
import { SeriesPriceReference } from '../../../../src/venues/sim/priceReference.ts';

const HOUR = 3_600_000;
const terms = { lotSizeBtc: 0.0001, ratePerHour: 0.0001, intervalMs: HOUR };
const flat = new SeriesPriceReference([{ at: 0, priceUsd: 20_000 }]);

describe('position book', () => {
  it('averages entries, realises on reduction and re-bases on a flip', () => {
    const b = new PositionBook(terms);
    b.applyFill(10_000, 100, 1);
    b.applyFill(10_000, 200, 2);
    expect(b.avgEntryUsd).toBe(150);
    b.applyFill(-5_000, 170, 3);
    expect(b.avgEntryUsd).toBe(150);
    expect(b.realizedPnlUsd).toBeCloseTo(0.5 * 20, 9);
    b.applyFill(-25_000, 160, 4);
    expect(b.lots).toBe(-10_000);
    expect(b.avgEntryUsd).toBe(160);
    b.applyFill(10_000, 150, 5);
    expect(b.lots).toBe(0);
    expect(b.avgEntryUsd).toBe(0);
  });

  it('settles funding on the position held at each hour boundary', () => {
    const b = new PositionBook(terms);
    b.applyFill(10_000, 20_000, 0.5 * HOUR); // 1 BTC long from 00:30
    expect(b.fundingPaidUsd(0.9 * HOUR, flat)).toBe(0);
    expect(b.fundingPaidUsd(HOUR, flat)).toBeCloseTo(1 * 20_000 * 0.0001, 12); // 2 USD at 01:00
    b.applyFill(-30_000, 20_000, 1.5 * HOUR); // 2 BTC short from 01:30
    expect(b.fundingPaidUsd(3 * HOUR, flat)).toBeCloseTo(2 - 4 - 4, 9); // shorts receive
    expect(b.fundingPaidUsd(HOUR, flat)).toBeCloseTo(2, 9); // an earlier horizon is summed again
  });

  it('funding depends on the fills and the horizon only, not on arrival or query order', () => {
    const prices = new SeriesPriceReference(Array.from({ length: 50 }, (_, i) => ({ at: i * HOUR, priceUsd: 20_000 + 137 * i })));
    const fillArb = fc.record({ at: fc.integer({ min: 0, max: 40 * HOUR }), lots: fc.integer({ min: -5_000, max: 5_000 }).filter((l) => l !== 0) });
    fc.assert(fc.property(
      fc.array(fillArb, { minLength: 1, maxLength: 25 }), fc.array(fc.integer({ min: 0, max: 45 * HOUR }), { maxLength: 6 }), fc.integer(),
      (fills, probes, shuffleSeed) => {
        const inTimeOrder = new PositionBook(terms);
        [...fills].sort((a, b) => a.at - b.at).forEach((f) => inTimeOrder.applyFill(f.lots, 20_000, f.at));
        const shuffled = [...fills].sort((a, b) => ((a.at * 31 + shuffleSeed) % 97) - ((b.at * 31 + shuffleSeed) % 97));
        const probed = new PositionBook(terms);
        shuffled.forEach((f, i) => {
          probed.applyFill(f.lots, 20_000, f.at);
          const probe = probes[i % Math.max(1, probes.length)];
          if (probe !== undefined) probed.fundingPaidUsd(probe, prices); // asked at odd times, mid-stream
        });
        expect(probed.fundingPaidUsd(45 * HOUR, prices)).toBe(inTimeOrder.fundingPaidUsd(45 * HOUR, prices));
        expect(probed.lots).toBe(inTimeOrder.lots);
      }));
  });
});
