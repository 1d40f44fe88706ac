import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { desiredQuotes, sameDesired } from '../../../src/engine/desiredQuotes.ts';

const S = 'BTC-31MAR23-23000-C';

describe('desiredQuotes', () => {
  it('gives both sides of every series in BTC at the index, unrounded', () => {
    const out = desiredQuotes([
      { instrument: S, bidPriceUsd: 900, bidSizeContracts: 1.23456789, askPriceUsd: 1_000, askSizeContracts: 2, fairUsd: 950 },
      { instrument: 'BTC-31MAR23-25000-P', bidPriceUsd: 1_500, bidSizeContracts: 0, askPriceUsd: 1_620, askSizeContracts: 0.7, fairUsd: 1_560 },
    ], 25_000);
    expect(out).toEqual([
      { instrument: S, side: 'bid', priceBtc: 0.036, amountContracts: 1.23456789 },
      { instrument: S, side: 'ask', priceBtc: 0.04, amountContracts: 2 },
      // size 0: no quote on that side, sent as price 0 and size 0 (the adapter cancels it)
      { instrument: 'BTC-31MAR23-25000-P', side: 'bid', priceBtc: 0, amountContracts: 0 },
      { instrument: 'BTC-31MAR23-25000-P', side: 'ask', priceBtc: 1_620 / 25_000, amountContracts: 0.7 },
    ]);
  });

  it('a side priced at 0 rests nothing, whatever its size', () => {
    const [bid] = desiredQuotes([{ instrument: S, bidPriceUsd: 0, bidSizeContracts: 2, askPriceUsd: 5, askSizeContracts: 2, fairUsd: 0.1 }], 20_000);
    expect(bid).toEqual({ instrument: S, side: 'bid', priceBtc: 0, amountContracts: 0 });
  });

  it('refuses a broken quote and a non-positive index', () => {
    const q = { instrument: S, bidPriceUsd: 900, bidSizeContracts: -1, askPriceUsd: 1_000, askSizeContracts: 2, fairUsd: 950 };
    expect(() => desiredQuotes([q], 25_000)).toThrow(/size must be >= 0/);
    expect(() => desiredQuotes([{ ...q, bidSizeContracts: 1, askPriceUsd: Number.NaN }], 25_000)).toThrow(/price must be >= 0/);
    expect(() => desiredQuotes([{ ...q, bidSizeContracts: 1 }], 0)).toThrow(/indexUsd must be positive/);
  });

  it('priceBtc x index gives back the USD price of every quoted side (property)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.01, max: 50_000, noNaN: true }), fc.double({ min: 0.1, max: 100, noNaN: true }), fc.double({ min: 1_000, max: 200_000, noNaN: true }),
      (priceUsd, size, index) => {
        const out = desiredQuotes([{ instrument: S, bidPriceUsd: priceUsd, bidSizeContracts: size, askPriceUsd: priceUsd * 1.1, askSizeContracts: size, fairUsd: priceUsd }], index);
        expect(out).toHaveLength(2);
        expect(out[0]!.priceBtc * index).toBeCloseTo(priceUsd, 6);
        expect(out[0]!.amountContracts).toBe(size);
        expect(out[1]!.priceBtc).toBeGreaterThan(out[0]!.priceBtc);
      }));
  });

  it('sameDesired compares side by side', () => {
    const a = desiredQuotes([{ instrument: S, bidPriceUsd: 900, bidSizeContracts: 1, askPriceUsd: 1_000, askSizeContracts: 2, fairUsd: 950 }], 25_000);
    expect(sameDesired(a, a.map((x) => ({ ...x })))).toBe(true);
    expect(sameDesired(a, [a[0]!])).toBe(false);
    expect(sameDesired(a, [a[0]!, { ...a[1]!, amountContracts: 2.0001 }])).toBe(false);
  });
});
