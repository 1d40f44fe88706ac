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
  const bs = (at = NOW): number => bookGreeks(legs, 50_000, at, 0, 0, model).optionsBtc;
  const per = (i: number, at = NOW): number => bookGreeks([{ ...legs[i]!, qty: 1 }], 50_000, at, 0, 0, model).optionsBtc;

  it('is inverseAccountDelta of the legs at their own Black-Scholes deltas (bookGreeks\' per contract) and marks', () => {
    const d = inverseBookDelta(legs, bs(), account, 50_000);
    const perLeg = inverseAccountDelta({ equityBtc: 10, perpUsd: -300_000, spotUsd: 50_000, options: [
      { qty: -2, deltaPerContract: per(0), markPriceBtc: 0.05 }, { qty: 1, deltaPerContract: per(1), markPriceBtc: 0.02 },
    ] });
    expect(d.equityBtc).toBe(perLeg.equityBtc);
    expect(d.perpBtc).toBe(perLeg.perpBtc);
    expect(d.optionsBtc).toBeCloseTo(perLeg.optionsBtc, 12);
    expect(d.totalBtc).toBeCloseTo(perLeg.totalBtc, 12);
    // The options' part is the book's own delta less the marks' value.
    expect(d.optionsBtc).toBeCloseTo(bs() - (-2 * 0.05 + 0.02), 12);
  });

  it('counts a series the account marks none of at mark 0, and a gliding one with its glide weight (bookGreeks\')', () => {
    expect(inverseBookDelta(legs, bs(), { ...account, marksBtc: [] }, 50_000).optionsBtc).toBeCloseTo(bs(), 12);
    const halfGlide = EXP - 30 * 60_000;
    expect(per(0, halfGlide)).toBeLessThan(0.5 * per(0, EXP - 61 * 60_000) + 0.05);
    expect(inverseBookDelta(legs, bs(halfGlide), account, 50_000).optionsBtc).toBeCloseTo(-2 * per(0, halfGlide) + per(1, halfGlide) - (-2 * 0.05 + 0.02), 12);
    expect(markOf([{ instrument: 'x', markPriceBtc: 1 }, { instrument: 'x', markPriceBtc: 2 }], 'x')).toBe(2);
    expect(markOf([], 'x')).toBe(0);
  });

  it('reads new marks and a new book (arrays replaced, as the machine does), not a stale cache', () => {
    const first = inverseBookDelta(legs, 0, account, 50_000).optionsBtc;
    const marksBtc = account.marksBtc.map((m) => ({ ...m, markPriceBtc: m.markPriceBtc * 2 }));
    expect(inverseBookDelta(legs, 0, { ...account, marksBtc }, 50_000).optionsBtc).toBeCloseTo(2 * first, 12);
    expect(inverseBookDelta(legs.map((l) => ({ ...l, qty: l.qty * 3 })), 0, account, 50_000).optionsBtc).toBeCloseTo(3 * first, 12);
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
