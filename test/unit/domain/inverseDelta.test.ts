import { describe, expect, it } from 'vitest';
import { inverseAccountDelta, perpUsdForZeroDelta, type InverseAccount } from '../../../src/domain/inverseDelta.ts';
import { blackScholes } from '../../../src/domain/blackScholes.ts';

describe('inverse account delta (USD-measured, BTC-margined)', () => {
  it('adds equity, options less their BTC mark, and perp USD / spot (worked by hand)', () => {
    // S = 50,000. Equity 10 BTC.
    // Short 2 calls, delta 0.5, mark 0.03 BTC:  -2 * (0.5 - 0.03)  = -0.94
    // Long 1 put, delta -0.3, mark 0.02 BTC:     1 * (-0.3 - 0.02) = -0.32   -> options -1.26
    // Short 437,000 USD of perp: -437,000 / 50,000                  = -8.74
    // Total: 10 - 1.26 - 8.74 = 0 (delta-neutral).
    const a: InverseAccount = {
      equityBtc: 10,
      options: [
        { qty: -2, deltaPerContract: 0.5, markPriceBtc: 0.03 },
        { qty: 1, deltaPerContract: -0.3, markPriceBtc: 0.02 },
      ],
      perpUsd: -437_000,
      spotUsd: 50_000,
    };
    const d = inverseAccountDelta(a);
    expect(d.equityBtc).toBe(10);
    expect(d.optionsBtc).toBeCloseTo(-1.26, 12);
    expect(d.perpBtc).toBeCloseTo(-8.74, 12);
    expect(d.totalBtc).toBeCloseTo(0, 12);
    // The same account without its perp needs exactly that short: -(10 - 1.26) * 50,000.
    expect(perpUsdForZeroDelta(a)).toBeCloseTo(-437_000, 6);
  });

  it('a BTC-only account is long its equity; a perp short of equity * spot flattens it', () => {
    // 1 BTC at 40,000: delta 1. Short 40,000 USD of perp: -40,000 / 40,000 = -1 -> 0.
    expect(inverseAccountDelta({ equityBtc: 1, options: [], perpUsd: 0, spotUsd: 40_000 }).totalBtc).toBe(1);
    expect(inverseAccountDelta({ equityBtc: 1, options: [], perpUsd: -40_000, spotUsd: 40_000 }).totalBtc).toBe(0);
  });

  it('matches a finite difference of U(S) = S * equity(S) for cash + options + an inverse perp', () => {
    // Account: 3 BTC cash, short 5 calls K=55,000 and long 4 puts K=45,000 (30 days, vol 0.6),
    // long 60,000 USD of perp entered at E = 48,000. equity(S) = cash + sum q C(S)/S + N (1/E - 1/S).
    const years = 30 / 365, vol = 0.6, cash = 3, N = 60_000, E = 48_000;
    const legs = [{ kind: 'call' as const, k: 55_000, q: -5 }, { kind: 'put' as const, k: 45_000, q: 4 }];
    const equity = (s: number): number => cash + legs.reduce((sum, l) => sum + (l.q * blackScholes(l.kind, s, l.k, years, vol).price) / s, 0) + N * (1 / E - 1 / s);
    const U = (s: number): number => s * equity(s);
    const S = 50_000, h = 0.5;
    const numeric = (U(S + h) - U(S - h)) / (2 * h);
    const d = inverseAccountDelta({
      equityBtc: equity(S),
      options: legs.map((l) => {
        const g = blackScholes(l.kind, S, l.k, years, vol);
        return { qty: l.q, deltaPerContract: g.delta, markPriceBtc: g.price / S };
      }),
      perpUsd: N,
      spotUsd: S,
    });
    expect(d.totalBtc).toBeCloseTo(numeric, 6);
  });

  it('refuses a non-positive spot', () => {
    expect(() => inverseAccountDelta({ equityBtc: 1, options: [], perpUsd: 0, spotUsd: 0 })).toThrow(/spotUsd/);
  });
});
