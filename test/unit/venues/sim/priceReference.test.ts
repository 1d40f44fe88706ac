import { describe, expect, it } from 'vitest';
import { PushedPriceReference, SeriesPriceReference } from '../../../../src/venues/sim/priceReference.ts';

describe('price references', () => {
  it('answer with the last price at or before the time', () => {
    const s = new SeriesPriceReference([{ at: 10, priceUsd: 1 }, { at: 20, priceUsd: 2 }]);
    expect([s.priceAt(9), s.priceAt(10), s.priceAt(19), s.priceAt(25)]).toEqual([undefined, 1, 1, 2]);
    const p = new PushedPriceReference();
    expect(p.priceAt(0)).toBeUndefined();
    for (let i = 0; i < 3000; i++) p.push(i * 10, 100 + i);
    expect(p.priceAt(15)).toBe(101);
    expect(p.priceAt(1e9)).toBe(3099);
    p.push(29_990, 7); // same instant: replaced
    expect(p.priceAt(29_990)).toBe(7);
    expect(() => p.push(5, 1)).toThrow(RangeError);
    expect(() => p.push(40_000, -1)).toThrow(RangeError);
  });
});
