import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountExposure, isReduceOnly, positionFits } from '../../src/domain/accountExposure.ts';

const lots = (max: number) => fc.integer({ min: -max, max }).map((n) => n / 1000);

describe('isReduceOnly', () => {
  it('a reduce-only order never grows the position, whichever part of the others trades first', () => {
    fc.assert(fc.property(lots(5000), fc.nat(3000), fc.nat(3000), fc.boolean(), fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      (account, buys, sells, isSell, size, fb, fs) => {
        const others = { buyBtc: buys / 1000, sellBtc: sells / 1000 };
        const side = isSell ? 'sell' : 'buy';
        if (!isReduceOnly(account, others, side, size / 1000)) return true;
        // Any partial execution of the others, then ours in full: |position| shrinks, sign kept.
        const before = account + fb * others.buyBtc - fs * others.sellBtc;
        const after = before + (isSell ? -1 : 1) * size / 1000;
        return Math.abs(after) <= Math.abs(before) + 1e-9 && (after === 0 || Math.sign(after) === Math.sign(before) || Math.abs(after) < 1e-9);
      }));
  });
  it('says yes where nothing else is in flight and the order closes part of the position', () => {
    expect(isReduceOnly(1, { buyBtc: 0, sellBtc: 0 }, 'sell', 0.4)).toBe(true);
    expect(isReduceOnly(1, { buyBtc: 0, sellBtc: 0 }, 'sell', 1)).toBe(true);
    expect(isReduceOnly(1, { buyBtc: 0, sellBtc: 0 }, 'sell', 1.2)).toBe(false);
    expect(isReduceOnly(1, { buyBtc: 0, sellBtc: 0.7 }, 'sell', 0.4)).toBe(false);
    expect(isReduceOnly(-1, { buyBtc: 0, sellBtc: 0 }, 'buy', 0.5)).toBe(true);
    expect(isReduceOnly(0, { buyBtc: 0, sellBtc: 0 }, 'buy', 0.5)).toBe(false);
  });
});

describe('accountExposure', () => {
  it('sums every vault\'s perp and what the others\' orders in flight have left, by side', () => {
    const vaults: [string, { context: { perpBtc: number; inFlight: { side: 'buy' | 'sell'; sizeBtc: number; filledBtc: number } | null } }][] = [
      ['a', { context: { perpBtc: -2, inFlight: { side: 'buy', sizeBtc: 1.5, filledBtc: 0.5 } } }],
      ['b', { context: { perpBtc: 0.5, inFlight: { side: 'sell', sizeBtc: 0.75, filledBtc: 0 } } }],
      ['c', { context: { perpBtc: 1, inFlight: null } }],
    ];
    expect(accountExposure(vaults)).toEqual({ accountBtc: -0.5, inFlight: { buyBtc: 1, sellBtc: 0.75 } });
    expect(accountExposure(vaults, 'a')).toEqual({ accountBtc: -0.5, inFlight: { buyBtc: 0, sellBtc: 0.75 } });
  });
});

describe('positionFits', () => {
  it('allows any part of the orders in flight and nothing more', () => {
    expect(positionFits(1.3, 1, { buyBtc: 0.5, sellBtc: 0 })).toBe(true);
    expect(positionFits(1.6, 1, { buyBtc: 0.5, sellBtc: 0 })).toBe(false);
    expect(positionFits(0.8, 1, { buyBtc: 0, sellBtc: 0.2 })).toBe(true);
    expect(positionFits(0.7, 1, { buyBtc: 0.5, sellBtc: 0.2 })).toBe(false);
    expect(positionFits(1 + 5e-7, 1, { buyBtc: 0, sellBtc: 0 })).toBe(true);
  });
});
