import { describe, expect, it } from 'vitest';
import { SettlementPriceTracker, expiriesDue, settlementPrice } from '../../../src/streams/expiries.ts';

const E1 = Date.UTC(2023, 2, 10, 8);
const E2 = Date.UTC(2023, 2, 17, 8);

describe('expiriesDue', () => {
  it('returns distinct expiries in (afterAt, uptoAt], ascending', () => {
    expect(expiriesDue([E2, E1, E1], E1 - 1, E2)).toEqual([E1, E2]);
    expect(expiriesDue([E2, E1], E1, E2 - 1)).toEqual([]);
    expect(expiriesDue([E1], E1 - 60_000, E1)).toEqual([E1]);
    expect(expiriesDue([], 0, Number.POSITIVE_INFINITY)).toEqual([]);
  });
});

describe('settlement price', () => {
  const ticks = [{ at: E1 - 120_000, priceUsd: 100 }, { at: E1 - 60_000, priceUsd: 101 }, { at: E1, priceUsd: 102 }, { at: E1 + 60_000, priceUsd: 103 }];
  it('is the last price at or before the expiry', () => {
    expect(settlementPrice(ticks, E1)).toBe(102);
    expect(settlementPrice(ticks, E1 - 1)).toBe(101);
    expect(settlementPrice(ticks, E1 - 200_000)).toBeNull();
    expect(settlementPrice(ticks, E2)).toBe(103);
  });
  it('tracker keeps a window and answers the same', () => {
    const t = new SettlementPriceTracker(3);
    for (const p of ticks) t.observe(p.at, p.priceUsd);
    expect(t.priceAt(E1 - 30_000)).toBe(101);
    expect(t.priceAt(E1 - 100_000)).toBeNull(); // dropped from the window
    expect(() => t.observe(E1 - 1, 1)).toThrow();
  });
});
