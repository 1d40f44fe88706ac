// The inverse account delta of a vault's book: its legs' Black-Scholes deltas from the one
// book-greeks path, put through inverseAccountDelta with the account's equity, marks and perp.
import { describe, expect, it } from 'vitest';
import { bookGreeks, type BookModel } from '../../../src/domain/bookGreeks.ts';
import { accountMarksRefusal, inverseBookDelta, markOf } from '../../../src/domain/inverseBookDelta.ts';
import { inverseAccountDelta } from '../../../src/domain/inverseDelta.ts';
import { flatSurface } from '../../../src/domain/volSurface.ts';
import { MAX_VOL_PER_YEAR, volMarksRefusal, volRefusal } from '../../../src/domain/volMarks.ts';

const NOW = Date.UTC(2023, 2, 1);
const EXP = Date.UTC(2023, 2, 31, 8);
const model: BookModel = { vol: flatSurface(0.6), expiry: { mode: 'glide', minutes: 60, pinMinutes: 30 } };
const legs = [
  { instrument: 'BTC-31MAR23-50000-C', kind: 'call' as const, strikeUsd: 50_000, expiryMs: EXP, qty: -2 },
  { instrument: 'BTC-31MAR23-45000-P', kind: 'put' as const, strikeUsd: 45_000, expiryMs: EXP, qty: 1, volPerYear: 0.7 },
  { instrument: 'BTC-31MAR23-60000-C', kind: 'call' as const, strikeUsd: 60_000, expiryMs: EXP, qty: 0 },
];
const account = { equityBtc: 10, perpUsd: -300_000, marksBtc: [{ instrument: 'BTC-31MAR23-50000-C', markPriceBtc: 0.05 }, { instrument: 'BTC-31MAR23-45000-P', markPriceBtc: 0.02 }] };

describe('inverseBookDelta', () => {
  it('is equity + sum qty x (BS delta - mark) + perp / spot, each leg\'s delta as bookGreeks gives it', () => {
    const d = inverseBookDelta(legs, account, 50_000, NOW, 0, model);
    const per = (i: number): number => bookGreeks([{ ...legs[i]!, qty: 1 }], 50_000, NOW, 0, 0, model).optionsBtc;
    expect(d).toEqual(inverseAccountDelta({ equityBtc: 10, perpUsd: -300_000, spotUsd: 50_000, options: [
      { qty: -2, deltaPerContract: per(0), markPriceBtc: 0.05 }, { qty: 1, deltaPerContract: per(1), markPriceBtc: 0.02 },
    ] }));
    // The options' part is the book's own delta less the marks' value.
    expect(d.optionsBtc).toBeCloseTo(bookGreeks(legs, 50_000, NOW, 0, 0, model).optionsBtc - (-2 * 0.05 + 0.02), 12);
  });

  it('counts a series the account marks none of at mark 0, and a gliding one with its weight', () => {
    const noMarks = inverseBookDelta(legs, { ...account, marksBtc: [] }, 50_000, NOW, 0, model);
    expect(noMarks.optionsBtc).toBeCloseTo(bookGreeks(legs, 50_000, NOW, 0, 0, model).optionsBtc, 12);
    const halfGlide = EXP - 30 * 60_000;
    expect(inverseBookDelta(legs, { ...account, marksBtc: [] }, 50_000, halfGlide, 0, model).optionsBtc)
      .toBeCloseTo(bookGreeks(legs, 50_000, halfGlide, 0, 0, model).optionsBtc, 12);
    expect(markOf([{ instrument: 'x', markPriceBtc: 1 }, { instrument: 'x', markPriceBtc: 2 }], 'x')).toBe(2);
    expect(markOf([], 'x')).toBe(0);
  });

  it('refuses marks that are not finite numbers (marks >= 0), saying which', () => {
    expect(accountMarksRefusal(account)).toBeNull();
    expect(accountMarksRefusal({ ...account, equityBtc: Number.NaN })).toBe('equityBtc NaN is not a finite number');
    expect(accountMarksRefusal({ ...account, perpUsd: Number.NEGATIVE_INFINITY })).toBe('perpUsd -Infinity is not a finite number');
    expect(accountMarksRefusal({ ...account, marksBtc: [{ instrument: 'A', markPriceBtc: Number.NaN }] })).toBe('A: mark NaN BTC is not a finite number >= 0');
    expect(accountMarksRefusal({ ...account, marksBtc: [{ instrument: '', markPriceBtc: 0 }] })).toMatch(/without a series name/);
  });
});

describe('venue vols', () => {
  it('are taken when finite, above 0 and at most MAX_VOL_PER_YEAR; the first bad one of a set is named', () => {
    expect(MAX_VOL_PER_YEAR).toBe(5);
    expect([volRefusal(0.6), volRefusal(5), volRefusal(1e-6)]).toEqual([null, null, null]);
    expect(volRefusal(5.01)).toBe('vol 5.01 is above the maximum 5 (a decimal: 0.6 = 60% a year)');
    expect(volRefusal(0)).toBe('vol 0 is not above 0');
    expect(volRefusal(Number.NaN)).toBe('vol NaN is not a finite number');
    expect(volMarksRefusal([{ instrument: 'A', volPerYear: 0.5 }, { instrument: 'B', volPerYear: 60 }, { instrument: 'C', volPerYear: -1 }])).toBe('B: vol 60 is above the maximum 5 (a decimal: 0.6 = 60% a year)');
    expect(volMarksRefusal([])).toBeNull();
  });
});
