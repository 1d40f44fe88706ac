import { describe, expect, it } from 'vitest';
import { optionFillFlow, perpCostUsd } from '../../../src/domain/optionFlow.ts';

describe('optionFillFlow', () => {
  it('a leaned sale that takes delta off: reduction, the lean paid below fair', () => {
    const f = optionFillFlow({ side: 'sell', qty: 2, priceUsd: 995, fairUsd: 1_000, deltaBeforeBtc: 1.5, deltaAfterBtc: 0.6 });
    expect(f.reducedBtc).toBeCloseTo(0.9, 12);
    expect(f.edgeUsd).toBeCloseTo(-10, 12);
    expect(f.leanPaidUsd).toBeCloseTo(10, 12);
  });

  it('a fill that adds delta earns the spread and sources nothing; one through zero counts only the reduction', () => {
    expect(optionFillFlow({ side: 'buy', qty: 1, priceUsd: 980, fairUsd: 1_000, deltaBeforeBtc: 0.2, deltaAfterBtc: 0.7 })).toEqual({ reducedBtc: 0, edgeUsd: 20, leanPaidUsd: 0 });
    expect(optionFillFlow({ side: 'buy', qty: 1, priceUsd: 1_004, fairUsd: 1_000, deltaBeforeBtc: -0.3, deltaAfterBtc: 0.1 }).reducedBtc).toBeCloseTo(0.2, 12);
  });

  it('refuses a fill it cannot price', () => {
    expect(() => optionFillFlow({ side: 'buy', qty: 0, priceUsd: 1, fairUsd: 1, deltaBeforeBtc: 0, deltaAfterBtc: 0 })).toThrow(/bad fill/);
    expect(perpCostUsd(-24_000, 6)).toBeCloseTo(14.4, 12);
  });
});
