import { describe, expect, it } from 'vitest';
import { parseCandleCsv } from '../../../../src/venues/sim/candleCsv.ts';
import { PushedPriceReference, SeriesPriceReference } from '../../../../src/venues/sim/priceReference.ts';

describe('candle CSV', () => {
  it('prices each candle at its open time with its close, skipping unreadable lines', () => {
    const text = [
      'open_time,open,high,low,close,volume',
      '2023-03-01 00:00:00+00:00,1,1,1,23142.31,2',
      'garbage line',
      '2023-03-01 00:01:00+00:00,1,1,1,NaN,2',
      '2023-03-01 00:02:00+00:00,1,1,1,23137.77,2',
      '2023-03-01 00:01:30+00:00,1,1,1,5,2',
      '',
    ].join('\n');
    const { points, skippedLines } = parseCandleCsv(text);
    expect(points).toEqual([
      { at: Date.parse('2023-03-01T00:00:00Z'), priceUsd: 23142.31 },
      { at: Date.parse('2023-03-01T00:02:00Z'), priceUsd: 23137.77 },
    ]);
    expect(skippedLines).toEqual([3, 4, 6]);
  });

  it('refuses a file without open_time and close columns', () => {
    expect(() => parseCandleCsv('time,price\n1,2')).toThrow(/open_time and close/);
  });
});

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
