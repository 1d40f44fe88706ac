// Given/when/then: operator controls, feed signals, book-keeping events, trigger policies, band kinds.
import { describe, expect, it } from 'vitest';
import type { VaultStateName } from '../../../machines/vault.types.ts';
import { EXPIRY_31MAR23, shortCallVault, straddleVault } from '../../fixtures/vaults.ts';
import { VaultDriver, ladderPrice, ladderVault } from './harness.ts';

// Level:           0  1     2  3  4    5
const UP = [0, 1.25, 3, 9, 0.25, -1.5];

/** Drives a ladder vault into the named state. */
function into(state: VaultStateName): VaultDriver {
  const v = new VaultDriver(ladderVault(UP));
  switch (state) {
    case 'neutral': v.level(4); break; // delta 0.25
    case 'overexposed': v.level(1); break;
    case 'underexposed': v.level(5); break;
    case 'hedging': v.level(2); break;
    case 'cooldown': v.level(2).filled().level(1); break; // delta 1.25 - 3 = -1.75
    case 'halted': v.level(0).pause(); break;
  }
  if (v.state !== state) throw new Error(`could not drive into ${state}, got ${v.state}`);
  return v;
}

const RESTING = ['neutral', 'overexposed', 'underexposed', 'hedging', 'cooldown', 'halted'] as const;

describe('control.pause / control.resume', () => {
  it.each(RESTING)('given %s, when control.pause, then halted with the reason', (state) => {
    const v = into(state).pause('operator');
    expect(v.state).toBe('halted');
    expect(v.ctx.haltReason).toBe('operator');
  });

  it('given halted, when price, fills, timers, feed signals and flatten arrive, then it stays halted', () => {
    const v = into('halted').level(3).timer(Date.UTC(2023, 2, 2)).stale().recovered().flatten();
    v.send({ type: 'fill.received', at: v.now + 1, fillId: 'f', instrument: 'BTC-31MAR23-30000-C', side: 'sell', qty: 1, priceUsd: 10 });
    expect(v.state).toBe('halted');
    expect(v.ctx.inFlight).toBeNull();
  });

  it('given halted with no order in flight, when control.resume, then it routes by delta (and hedges if due)', () => {
    expect(into('halted').level(1).resume().state).toBe('overexposed');
    const v = into('halted').level(2).resume();
    expect(v.state).toBe('hedging');
    expect(v.ctx).toMatchObject({ haltReason: null, consecutiveFailures: 0 });
  });

  it('given a hedge in flight, when paused then resumed, then back to hedging with the same order', () => {
    const v = into('hedging');
    const order = v.ctx.inFlight;
    v.pause().resume();
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toEqual(order);
  });

  it('given a halted vault whose order fills meanwhile, then the fill is booked and the order dropped', () => {
    const v = into('hedging');
    v.pause().filled();
    expect(v.state).toBe('halted');
    expect(v.ctx.inFlight).toBeNull();
    expect(v.ctx.perpBtc).toBe(-3);
    v.resume();
    expect(v.state).toBe('neutral');
  });

  it('given a vault halted after venue failures, when resumed, then no stale retry deadline is left behind', () => {
    const v = new VaultDriver(ladderVault(UP, { maxConsecutiveFailures: 1 })).level(2).rejected();
    expect(v.state).toBe('halted');
    v.level(0).resume();
    expect(v.state).toBe('neutral');
    expect(v.ctx.cooldownUntil).toBeNull();
  });
});

describe('control.flatten', () => {
  it.each(['neutral', 'overexposed', 'underexposed', 'cooldown'] as const)('given %s, when control.flatten, then a hedge to zero delta', (state) => {
    const v = into(state);
    const delta = v.delta;
    v.flatten();
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ reason: 'flatten', side: delta > 0 ? 'sell' : 'buy', sizeBtc: Math.abs(delta) });
    v.filled();
    expect(v.delta).toBe(0);
  });

  it('given halted, when control.flatten, then nothing (halted means no hedging)', () => {
    const v = into('halted').level(1).flatten();
    expect(v.state).toBe('halted');
    expect(v.ctx.inFlight).toBeNull();
  });

  it('given hedging, when control.flatten, then the order in flight stays the only one', () => {
    const v = into('hedging');
    const order = v.ctx.inFlight;
    v.flatten();
    expect(v.ctx.inFlight).toEqual(order);
  });

  it('given a flat vault, when control.flatten, then nothing to do', () => {
    expect(new VaultDriver(ladderVault(UP)).level(0).flatten().state).toBe('neutral');
  });
});

describe('feed.stale / feed.recovered', () => {
  it('given a stale feed, when delta passes the hedge band, then no hedge; on recovery the hedge starts', () => {
    const v = new VaultDriver(ladderVault(UP)).level(0).stale().level(2);
    expect(v.state).toBe('overexposed');
    expect(v.ctx.feedStale).toBe(true);
    v.flatten();
    expect(v.state).toBe('overexposed');
    v.recovered();
    expect(v.ctx.feedStale).toBe(false);
    expect(v.state).toBe('hedging');
  });
});

describe('book-keeping: fills and expiry', () => {
  it('given a vault, when an option fill arrives, then the book, cash and delta change', () => {
    const v = new VaultDriver(straddleVault()).tick(22_700);
    const before = v.ctx;
    v.send({ type: 'fill.received', at: v.now + 1, fillId: 'f1', instrument: 'BTC-31MAR23-23000-C', side: 'buy', qty: 2, priceUsd: 900 });
    expect(v.ctx.book[0]?.qty).toBe(-8);
    expect(v.ctx.cashUsd).toBe(before.cashUsd - 1_800);
    expect(v.ctx.fills).toBe(1);
    expect(v.delta).toBeGreaterThan(before.greeks.netBtc);
    v.send({ type: 'fill.received', at: v.now + 1, fillId: 'f2', instrument: 'BTC-31MAR23-25000-P', side: 'sell', qty: 1, priceUsd: 2_500 });
    expect(v.ctx.book).toHaveLength(3);
    // A new series has no vol of its own: the vault's surface prices it.
    expect(v.ctx.book[2]).toEqual({ instrument: 'BTC-31MAR23-25000-P', kind: 'put', strikeUsd: 25_000, expiryMs: Date.UTC(2023, 2, 31, 8), qty: -1 });
    expect(v.ctx.cashUsd).toBe(before.cashUsd - 1_800 + 2_500);
  });

  it('given a fill that takes delta past the hedge band, then a hedge starts', () => {
    const v = new VaultDriver(straddleVault()).tick(22_700);
    v.send({ type: 'fill.received', at: v.now + 1, fillId: 'f1', instrument: 'BTC-31MAR23-23000-C', side: 'buy', qty: 10, priceUsd: 900 });
    expect(v.state).toBe('hedging');
  });

  it('given an expiry, when expiry.settled, then its legs leave the book and the payoff goes to cash', () => {
    const v = new VaultDriver(shortCallVault()).tick(23_000);
    const cash = v.ctx.cashUsd;
    v.send({ type: 'expiry.settled', at: EXPIRY_31MAR23, expiryMs: EXPIRY_31MAR23, settlementPriceUsd: 24_000 });
    expect(v.ctx.book).toEqual([]);
    expect(v.ctx.cashUsd).toBe(cash - 10 * 1_000);
    expect(v.delta).toBe(v.ctx.perpBtc);
    // An expiry the book does not hold changes nothing.
    const ctx = v.ctx;
    v.send({ type: 'expiry.settled', at: EXPIRY_31MAR23 + 1, expiryMs: 1, settlementPriceUsd: 1 });
    expect(v.ctx.book).toEqual(ctx.book);
    expect(v.ctx.cashUsd).toBe(ctx.cashUsd);
  });

  it('given a tick with an invalid price, then the last valid spot is kept', () => {
    const v = new VaultDriver(ladderVault(UP)).level(1);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) v.tick(bad);
    expect(v.ctx.spotUsd).toBe(ladderPrice(1));
    expect(v.state).toBe('overexposed');
  });
});

describe('trigger policies', () => {
  it("given trigger 'time', then it hedges every everyMs whatever the band", () => {
    const v = new VaultDriver(ladderVault([0, 0.75, 1.25], { trigger: { kind: 'time', everyMs: 3_600_000 } })).level(1);
    // The first tick is due (no hedge yet) and 0.75 BTC is above the venue minimum.
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ reason: 'time', sizeBtc: 0.75 });
    v.filled();
    const last = v.ctx.lastHedgeAt;
    v.level(2).timerAtDeadline(); // delta 0.5, 61 s after: not due yet
    expect(v.state).toBe('neutral');
    v.tick(ladderPrice(2), last + 3_600_000 - 1);
    expect(v.state).toBe('neutral');
    v.tick(ladderPrice(2), last + 3_600_000);
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ reason: 'time', sizeBtc: 0.5 });
  });

  it("given trigger 'move', then it hedges when spot moved movePct since the last hedge", () => {
    const v = new VaultDriver(ladderVault([2, 2.5], { trigger: { kind: 'move', movePct: 0.01 } })).tick(20_000);
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight?.reason).toBe('move');
    v.filled().timerAtDeadline();
    expect(v.state).toBe('neutral');
    v.tick(20_199); // +0.995%: delta still 0 anyway
    v.tick(20_600); // +3%, delta 0.5 (re-entry edge) -> a 0.5 BTC hedge
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ reason: 'move', sizeBtc: 0.5, side: 'sell' });
  });
});
