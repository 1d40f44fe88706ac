import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { levelPriceUsd, walkBook } from '../../../../src/venues/sim/depthBook.ts';
import { btcToLots, lotsToBtc } from '../../../../src/venues/sim/lots.ts';

const depth = { halfSpreadBps: 1, levelSpacingBps: 2, depthBtcPerLevel: 0.5, levels: 5 };
const base = { refPriceUsd: 30_000, lotSizeBtc: 0.0001, tickSizeUsd: 0.1, depth };

describe('depth book', () => {
  it('prices levels away from the taker, rounded to the tick away from the taker', () => {
    expect(levelPriceUsd(30_000, 'buy', 0, depth, 0.1)).toBe(30_003);
    expect(levelPriceUsd(30_000, 'buy', 1, depth, 0.1)).toBe(30_009);
    expect(levelPriceUsd(30_000, 'sell', 2, depth, 0.1)).toBe(29_985);
    expect(levelPriceUsd(30_000.05, 'buy', 0, depth, 0.1)).toBe(30_003.1); // 30003.05 rounds up
    expect(levelPriceUsd(30_000.05, 'sell', 0, depth, 0.1)).toBe(29_997); // 29997.05 rounds down
  });

  it('walks levels until the size is done: impact grows with size', () => {
    const fills = walkBook({ ...base, side: 'buy', lots: btcToLots(1.2, 0.0001), limitPriceUsd: 40_000 });
    expect(fills).toEqual([{ lots: 5000, priceUsd: 30_003 }, { lots: 5000, priceUsd: 30_009 }, { lots: 2000, priceUsd: 30_015 }]);
  });

  it('stops where the protective limit cuts the book, and at the end of the book', () => {
    expect(walkBook({ ...base, side: 'buy', lots: 20_000, limitPriceUsd: 30_010 }).map((f) => f.lots)).toEqual([5000, 5000]);
    expect(walkBook({ ...base, side: 'sell', lots: 20_000, limitPriceUsd: 30_000 })).toEqual([]);
    expect(walkBook({ ...base, side: 'sell', lots: 1_000_000, limitPriceUsd: 1 }).reduce((s, f) => s + f.lots, 0)).toBe(25_000);
  });

  it('never fills more than asked or beyond the limit; prices worsen level by level', () => {
    fc.assert(fc.property(
      fc.constantFrom<'buy' | 'sell'>('buy', 'sell'), fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0.9, max: 1.1, noNaN: true }),
      fc.double({ min: 100, max: 100_000, noNaN: true }),
      (side, lots, limitFactor, ref) => {
        const limit = ref * limitFactor;
        const fills = walkBook({ ...base, refPriceUsd: ref, side, lots, limitPriceUsd: limit });
        const total = fills.reduce((s, f) => s + f.lots, 0);
        expect(total).toBeLessThanOrEqual(lots);
        expect(total).toBeLessThanOrEqual(5 * 5000);
        for (let i = 0; i < fills.length; i++) {
          const f = fills[i]!;
          expect(Number.isInteger(f.lots) && f.lots > 0).toBe(true);
          expect(side === 'buy' ? f.priceUsd <= limit : f.priceUsd >= limit).toBe(true);
          if (i > 0) expect(side === 'buy' ? f.priceUsd >= fills[i - 1]!.priceUsd : f.priceUsd <= fills[i - 1]!.priceUsd).toBe(true); // coarse ticks may merge levels
        }
      }));
  });
});

describe('lots', () => {
  it('rounds to the nearest lot instead of truncating', () => {
    expect(btcToLots(8.2, 0.0001)).toBe(82_000);
    expect(btcToLots(0.00014999, 0.0001)).toBe(1);
    expect(btcToLots(0.00015001, 0.0001)).toBe(2);
    expect(lotsToBtc(3, 0.1)).toBe(0.3);
  });
});
