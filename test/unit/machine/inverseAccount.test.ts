// An inverse vault (Deribit: BTC options and BTC-PERPETUAL, collateral in BTC) through the vault
// machine, on the worked example of src/venues/deribit/INVERSE.md: S = 50,000; equity 10 BTC;
// short 2 calls (delta 0.5, mark 0.03 BTC) add -0.94; long 1 put (delta -0.3, mark 0.02 BTC) adds
// -0.32; a short perp of 437,000 USD adds -8.74: total 0. The strikes are solved so that the
// machine's own Black-Scholes deltas are those of the example.
import { describe, expect, it } from 'vitest';
import { describeTransition } from '../../../machines/describeTransition.ts';
import { accountMarkRefusal } from '../../../machines/vault.guards.ts';
import type { AccountMarked, OptionLeg, VaultInput } from '../../../machines/vault.types.ts';
import { bookGreeks } from '../../../src/domain/bookGreeks.ts';
import { vaultQuotes } from '../../../src/engine/vaultQuotes.ts';
import { testConfig } from '../../fixtures/vaults.ts';
import { T0, VaultDriver } from './harness.ts';

const S = 50_000;
const AT = T0 + 60_000;
const EXPIRY = T0 + 30 * 86_400_000;
const CALL = 'BTC-31MAR23-50000-C';
const PUT = 'BTC-31MAR23-45000-P';
const model = testConfig();

/** The strike at which one call has Black-Scholes delta `callDelta` at S and AT (bisection on the machine's own greeks). */
function strikeFor(callDelta: number): number {
  let lo = 10_000, hi = 200_000;
  for (let i = 0; i < 200; i++) {
    const k = (lo + hi) / 2;
    const d = bookGreeks([{ kind: 'call', strikeUsd: k, expiryMs: EXPIRY, qty: 1, volPerYear: 0.6 }], S, AT, 0, 0, model).optionsBtc;
    if (d > callDelta) lo = k; else hi = k;
  }
  return (lo + hi) / 2;
}

const BOOK: OptionLeg[] = [
  { instrument: CALL, kind: 'call', strikeUsd: strikeFor(0.5), expiryMs: EXPIRY, qty: -2, volPerYear: 0.6 },
  // A put of delta -0.3 is a call of delta 0.7 at the same strike (zero carry).
  { instrument: PUT, kind: 'put', strikeUsd: strikeFor(0.7), expiryMs: EXPIRY, qty: 1, volPerYear: 0.6 },
];
const MARKS = [{ instrument: CALL, markPriceBtc: 0.03 }, { instrument: PUT, markPriceBtc: 0.02 }];

function inverseVault(kind: 'inverse' | 'linear' = 'inverse'): VaultInput {
  return { vaultId: 'd1', config: testConfig({ account: { kind } }), book: BOOK.map((l) => ({ ...l })) };
}
const marked = (at: number, perpUsd: number, equityBtc = 10): AccountMarked => ({ type: 'account.marked', at, equityBtc, perpUsd, marksBtc: MARKS });

describe('an inverse vault', () => {
  it('has the worked example\'s deltas from its own greeks', () => {
    const g = (l: OptionLeg): number => bookGreeks([{ ...l, qty: 1 }], S, AT, 0, 0, model).optionsBtc;
    expect(g(BOOK[0]!)).toBeCloseTo(0.5, 12);
    expect(g(BOOK[1]!)).toBeCloseTo(-0.3, 12);
  });

  it('is delta-neutral on the worked example: equity 10 BTC, the options less their marks, a short perp of 437,000 USD', () => {
    const v = new VaultDriver(inverseVault()).tick(S, AT);
    v.send(marked(AT, -437_000));
    expect(v.ctx.greeks.optionsBtc).toBeCloseTo(-1.3, 10);
    expect(v.delta).toBeCloseTo(0, 10);
    expect(v.state).toBe('neutral');
    expect(v.ctx.accountMarks).toEqual({ at: AT, equityBtc: 10, perpUsd: -437_000, marksBtc: MARKS });
    expect(describeTransition('neutral', 'neutral', marked(AT, -437_000), v.ctx)).toMatch(/^account marked: equity 10\.0000 BTC, perp -437000 USD, 2 option marks; delta -?0\.000$/);
  });

  it('neither hedges nor quotes before its first account mark (its delta is not known), then hedges the account\'s 8.74 BTC', () => {
    const v = new VaultDriver(inverseVault()).tick(S, AT - 1_000);
    // As a linear vault its delta would be the options' -1.3 BTC, over a 1 BTC band: it waits instead.
    const narrow = new VaultDriver({ ...inverseVault(), config: testConfig({ account: { kind: 'inverse' }, bands: { kind: 'fixed', quoteBtc: 0.5, hedgeBtc: 1, reentryBtc: 0.25, hardBtc: 2 } }) }).tick(S, AT);
    expect([narrow.state, narrow.ctx.inFlight]).toEqual(['underexposed', null]);
    expect(vaultQuotes(v.state, v.ctx)).toEqual([]);
    v.send(marked(AT, 0));
    expect(v.delta).toBeCloseTo(8.74, 10);
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ side: 'sell', sizeBtc: 8.74 });
    expect(vaultQuotes(v.state, v.ctx).length).toBe(2);
    // The fill moves the perp by its USD notional (8.74 BTC x 50,000): the delta is 0 before the next account mark.
    v.filled({ avgPriceUsd: S });
    expect(v.state).toBe('cooldown');
    expect(v.ctx.accountMarks?.perpUsd).toBeCloseTo(-437_000, 6);
    expect(v.ctx.perpBtc).toBeCloseTo(-8.74, 12);
    expect(v.delta).toBeCloseTo(0, 6);
  });

  it('counts a partial hedge fill by its own price: side x size x price USD', () => {
    const v = new VaultDriver(inverseVault()).tick(S, AT);
    v.send(marked(AT, 0));
    v.filled({ filledBtc: 4, avgPriceUsd: 49_000, final: false });
    expect(v.ctx.accountMarks?.perpUsd).toBeCloseTo(-196_000, 6);
    v.filled({ filledBtc: 8.74, avgPriceUsd: 49_500, final: true });
    // Cumulative: 8.74 BTC at an average 49,500 is 432,630 USD sold in all.
    expect(v.ctx.accountMarks?.perpUsd).toBeCloseTo(-432_630, 6);
    expect(v.delta).toBeCloseTo(8.74 - 432_630 / S, 6);
  });

  it('moves by qty x (delta - price in BTC) on an option fill: a new series is marked at its trade price, a marked one moves equity by the edge', () => {
    const v = new VaultDriver(inverseVault()).tick(S, AT);
    v.send(marked(AT, -437_000));
    const NEW = 'BTC-31MAR23-60000-C';
    v.send({ type: 'fill.received', at: AT, fillId: 'f1', instrument: NEW, side: 'buy', qty: 3, priceUsd: 0.01 * S });
    expect(v.ctx.accountMarks?.marksBtc).toContainEqual({ instrument: NEW, markPriceBtc: 0.01 });
    const newLeg = v.ctx.book.find((l) => l.instrument === NEW)!;
    const delta = bookGreeks([{ ...newLeg, qty: 1 }], S, AT, 0, 0, v.ctx.config).optionsBtc;
    expect(v.delta).toBeCloseTo(3 * (delta - 0.01), 9);
    // Selling one more call at 0.035 BTC against its 0.03 mark: equity +0.005 BTC of edge, -(0.5 - 0.035) of delta.
    const before = v.delta;
    v.send({ type: 'fill.received', at: AT, fillId: 'f2', instrument: CALL, side: 'sell', qty: 1, priceUsd: 0.035 * S });
    expect(v.ctx.accountMarks?.equityBtc).toBeCloseTo(10.005, 12);
    expect(v.delta - before).toBeCloseTo(-(0.5 - 0.035), 9);
  });

  it('plans an expiry offset of what leaves its delta: qty x (delta - mark), the payoff staying in equity', () => {
    const v = new VaultDriver({ ...inverseVault(), config: testConfig({ account: { kind: 'inverse' }, bands: { kind: 'fixed', quoteBtc: 50, hedgeBtc: 100, reentryBtc: 25, hardBtc: 200 } }) }).tick(S, AT);
    v.send(marked(AT, -437_000));
    v.send({ type: 'feed.stale', at: AT });
    v.send({ type: 'expiry.settled', at: AT, expiryMs: EXPIRY, settlementPriceUsd: S });
    // Planned while the feed is stale (no hedge can go): the settled legs' -0.94 - 0.32.
    expect(v.ctx.planned?.sizeBtc).toBeCloseTo(-1.26, 9);
    expect(v.ctx.book).toEqual([]);
  });

  it('takes an account mark only when it can trust it: refusals say why', () => {
    const v = new VaultDriver(inverseVault()).tick(S, AT);
    const ctx = v.ctx;
    expect(accountMarkRefusal(ctx, marked(AT, Number.NaN))).toMatch(/perpUsd NaN is not a finite number/);
    expect(accountMarkRefusal(ctx, marked(AT, 0, Number.POSITIVE_INFINITY))).toMatch(/equityBtc Infinity/);
    expect(accountMarkRefusal(ctx, { ...marked(AT, 0), marksBtc: [{ instrument: CALL, markPriceBtc: -0.01 }] })).toMatch(/BTC-31MAR23-50000-C: mark -0.01 BTC/);
    v.send(marked(AT, 0));
    expect(v.state).toBe('hedging');
    expect(accountMarkRefusal(v.ctx, marked(AT + 1, 0))).toMatch(/hedge d1-1 is in flight/);
    const inFlight = v.snap;
    v.send(marked(AT + 1, -437_000));
    expect(v.snap).toBe(inFlight);
    v.filled({ avgPriceUsd: S });
    expect(accountMarkRefusal(v.ctx, marked(AT - 1, -437_000))).toMatch(/older than the account mark/);
    expect(accountMarkRefusal(v.ctx, marked(v.now - 1, -437_000))).toMatch(/older than the last hedge/);
    expect(accountMarkRefusal(v.ctx, marked(v.now, -437_000))).toBeNull();
  });

  it('a linear vault ignores account marks: nothing changes, nothing is journaled', () => {
    const v = new VaultDriver(inverseVault('linear')).tick(S, AT);
    const before = v.snap;
    expect(accountMarkRefusal(v.ctx, marked(AT, -437_000))).toBe('a linear vault takes no account marks');
    v.send(marked(AT, -437_000));
    expect(v.snap).toBe(before);
    expect(v.delta).toBeCloseTo(-1.3, 10);
  });
});
