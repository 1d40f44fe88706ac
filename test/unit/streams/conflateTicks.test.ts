import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { conflateTicks } from '../../../src/streams/conflateTicks.ts';
import { reject, type PriceTickInput, type Validated } from '../../../src/streams/inputTypes.ts';

const tick = (offset: number): Validated<PriceTickInput> => ({ ok: true, value: { at: offset * 10, priceUsd: 100 + offset, source: 's', offset } });
const bad = reject<PriceTickInput>('s', 'nan-price', 'price is NaN', 'x', 5, 5);
const values = { a: tick(1), b: tick(2), c: tick(3), d: tick(4), e: tick(6), x: bad };

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('conflateTicks', () => {
  it('passes the first tick at once, holds ticks inside the interval and sends the latest when it ends', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // 10 ms interval: a at 0 goes at once; b, c inside it are held, c (the latest) goes at 10;
      // d at 13 is inside the window opened at 10 and goes at 20; e at 41 starts a quiet spell.
      const src = cold('abc 9ms -d 27ms e|', values);
      expectObservable(src.pipe(conflateTicks(10))).toBe('a 9ms c 9ms d 20ms e|', values);
    });
  });

  it('lets rejections through at once and never conflates them away', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('axbx|', values).pipe(conflateTicks(10))).toBe('ax-x(b|)', values);
    });
  });

  it('sends the held tick when the feed completes; interval 0 passes everything', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('abc|', values).pipe(conflateTicks(10))).toBe('a--(c|)', values);
      expectObservable(cold('abc|', values).pipe(conflateTicks(0))).toBe('abc|', values);
    });
  });

  it('refuses a bad interval', () => {
    expect(() => conflateTicks(-1)).toThrow(RangeError);
    expect(() => conflateTicks(Number.NaN)).toThrow(RangeError);
  });
});
