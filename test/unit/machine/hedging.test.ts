// Given/when/then: hedge placement, fills, cooldown, emergency bypass, failures and risk limits.
// Fixed bands: quote 1, hedge 3, re-entry 0.5, hard 6 BTC; cooldown 60 s; backoff 1 s doubling to 60 s; 3 failures halt.
import { describe, expect, it } from 'vitest';
import { VaultDriver, ladderPrice, ladderVault } from './harness.ts';

// Level:           0  1    2  3  4     5  6
const UP = [0, 1.25, 3, 9, 8.75, 4, 1.5];

describe('starting a hedge', () => {
  it.each([
    ['neutral', [0]],
    ['overexposed', [0, 1]],
  ] as const)('given %s, when |delta| reaches the hedge band, then hedging with id <vault>-<seq> and a protective limit', (from, path) => {
    const v = new VaultDriver(ladderVault(UP, {}, 'vault-7'));
    for (const i of path) v.level(i);
    expect(v.state).toBe(from);
    v.level(2);
    expect(v.state).toBe('hedging');
    expect(v.ctx.hedgeSeq).toBe(1);
    expect(v.ctx.inFlight).toEqual({
      clientOrderId: 'vault-7-1', side: 'sell', sizeBtc: 3,
      limitPriceUsd: Number((ladderPrice(2) * (1 - 50 / 1e4)).toFixed(2)),
      createdAt: v.now, reason: 'band', accepted: false, filledBtc: 0, avgPriceUsd: 0, feeUsd: 0,
    });
  });

  it('given underexposed, when delta reaches -hedge band, then a buy with the limit above spot', () => {
    const v = new VaultDriver(ladderVault(UP.map((d) => -d))).level(1).level(2);
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-1', side: 'buy', sizeBtc: 3, limitPriceUsd: Number((ladderPrice(2) * 1.005).toFixed(2)) });
  });

  it('given a hedge in flight, when delta grows further, then no second hedge starts', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2);
    const first = v.ctx.inFlight;
    v.level(3).level(5);
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toEqual(first);
    expect(v.ctx.hedgeSeq).toBe(1);
  });
});

describe('fills and cooldown', () => {
  it('given hedging, when accepted, partially filled then finally filled, then cooldown until at + cooldownMs', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2);
    const spot = ladderPrice(2);
    v.accepted();
    expect(v.ctx.inFlight?.accepted).toBe(true);
    v.filled({ filledBtc: 1, avgPriceUsd: spot, feeUsd: 1, final: false });
    expect(v.state).toBe('hedging');
    expect(v.ctx.perpBtc).toBe(-1);
    expect(v.delta).toBe(2);
    expect(v.ctx.cashUsd).toBe(spot - 1);
    // Re-applying the same cumulative report changes nothing.
    v.filled({ filledBtc: 1, avgPriceUsd: spot, feeUsd: 1, final: false });
    expect(v.ctx.perpBtc).toBe(-1);
    v.filled({ filledBtc: 3, avgPriceUsd: spot, feeUsd: 3, final: true });
    const at = v.now;
    expect(v.state).toBe('cooldown');
    expect(v.ctx.inFlight).toBeNull();
    expect(v.ctx.perpBtc).toBe(-3);
    expect(v.delta).toBe(0);
    expect(v.ctx.cashUsd).toBe(3 * spot - 3);
    expect(v.ctx.cooldownUntil).toBe(at + 60_000);
    expect(v.ctx).toMatchObject({ hedges: 1, consecutiveFailures: 0, lastHedgeAt: at, lastHedgeSpotUsd: spot });
  });

  it('given cooldown, when timer.fired comes before the deadline, then nothing changes state', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2).filled();
    const until = v.ctx.cooldownUntil as number;
    v.timer(until - 1);
    expect(v.state).toBe('cooldown');
    expect(v.ctx.cooldownUntil).toBe(until);
  });

  it.each([
    ['neutral', 2, 0],
    ['overexposed', 5, 1],
    ['underexposed', 6, -1.5],
  ] as const)('given cooldown, when timer.fired at the deadline with delta for %s, then it routes there', (to, level, delta) => {
    const v = new VaultDriver(ladderVault(UP)).level(2).filled().level(level);
    expect(v.delta).toBe(delta);
    v.timerAtDeadline();
    expect(v.state).toBe(to);
    expect(v.ctx.cooldownUntil).toBeNull();
  });

  it('given cooldown, when timer.fired after the deadline with delta still past the hedge band, then hedging again', () => {
    // After the hedge, delta 5.75 >= hedge band 3 (but < hard 6): it waits out the cooldown, then hedges.
    const w = new VaultDriver(ladderVault(UP)).level(2).filled().level(4);
    expect(w.state).toBe('cooldown');
    expect(w.delta).toBe(5.75);
    w.timer((w.ctx.cooldownUntil as number) + 5);
    expect(w.state).toBe('hedging');
    expect(w.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-2', reason: 'band', sizeBtc: 5.75 });
  });
});

describe('cooldown bypass', () => {
  it('given cooldown, when |delta| reaches the hard limit, then an emergency hedge to zero at once', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2).filled();
    v.level(3); // 9 - 3 = 6 = hard: equality hedges
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-2', side: 'sell', sizeBtc: 6, reason: 'emergency' });
    expect(v.ctx.cooldownUntil).toBeNull();
  });

  it('given cooldown, when |delta| is past the hedge band but under the hard limit, then it waits', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2).filled().level(4);
    expect(v.delta).toBe(5.75);
    expect(v.state).toBe('cooldown');
  });

  it('given cooldown and a stale feed, when |delta| passes the hard limit, then no emergency hedge until the feed recovers', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2).filled().stale().level(3);
    expect(v.state).toBe('cooldown');
    v.recovered();
    expect(v.state).toBe('hedging');
  });
});

describe('failures, backoff and halting', () => {
  it('given hedging, when rejected then failed, then cooldown with 1 s then 2 s backoff; the third failure halts', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2).rejected();
    expect(v.state).toBe('cooldown');
    expect(v.ctx).toMatchObject({ consecutiveFailures: 1, inFlight: null, cooldownUntil: v.now + 1_000 });
    v.timerAtDeadline();
    expect(v.state).toBe('hedging');
    expect(v.orderId).toBe('v1-2');
    v.failed();
    expect(v.ctx).toMatchObject({ consecutiveFailures: 2, cooldownUntil: v.now + 2_000 });
    v.timerAtDeadline().failed();
    expect(v.state).toBe('halted');
    expect(v.ctx.haltReason).toBe('venue: 3 consecutive hedge failures');
    expect(v.ctx.inFlight).toBeNull();
  });

  it('given many failures, then the backoff is capped at retryMaxMs', () => {
    const v = new VaultDriver(ladderVault(UP, { maxConsecutiveFailures: 20, retryBaseMs: 1_000, retryMaxMs: 5_000 })).level(2);
    const backoffs: number[] = [];
    for (let k = 0; k < 5; k++) {
      v.rejected();
      backoffs.push((v.ctx.cooldownUntil as number) - v.now);
      v.timerAtDeadline();
    }
    expect(backoffs).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('given a failure with |delta| past the hard limit, then the retry still waits for the backoff (no emergency bypass of the backoff)', () => {
    const v = new VaultDriver(ladderVault(UP)).level(3); // delta 9
    expect(v.state).toBe('hedging');
    v.rejected();
    expect(v.state).toBe('cooldown');
    expect(v.ctx.consecutiveFailures).toBe(1);
    v.timerAtDeadline();
    expect(v.state).toBe('hedging');
    expect(v.orderId).toBe('v1-2');
  });

  it('given a successful hedge after failures, then the failure count resets', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2).rejected().timerAtDeadline().filled();
    expect(v.ctx.consecutiveFailures).toBe(0);
    expect(v.state).toBe('cooldown');
  });

  it('given hedging, when the final IOC report has filled nothing, then it counts as a failure', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2).filled({ filledBtc: 0, final: true });
    expect(v.state).toBe('cooldown');
    expect(v.ctx).toMatchObject({ consecutiveFailures: 1, inFlight: null, perpBtc: 0, hedges: 0 });
    const w = new VaultDriver(ladderVault(UP, { maxConsecutiveFailures: 1 })).level(2).filled({ filledBtc: 0, final: true });
    expect(w.state).toBe('halted');
  });

  it('given hedging, when a hedge event names another client order id, then it is ignored', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2);
    const before = v.ctx;
    v.accepted('v1-99').filled({ id: 'v1-99', filledBtc: 3 }).rejected('other-1').failed('v1-0');
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toEqual(before.inFlight);
    expect(v.ctx.perpBtc).toBe(0);
    expect(v.ctx.consecutiveFailures).toBe(0);
  });

  it('given cooldown, when a late report for the finished order arrives, then it is ignored', () => {
    const v = new VaultDriver(ladderVault(UP)).level(2);
    const id = v.orderId;
    v.filled();
    const perp = v.ctx.perpBtc;
    v.filled({ id, filledBtc: 3 }).rejected(id);
    expect(v.state).toBe('cooldown');
    expect(v.ctx.perpBtc).toBe(perp);
  });

  it('given a daily notional limit, when the due hedge would pass it, then halted with a risk-limit reason', () => {
    const spot = ladderPrice(2);
    // 3 BTC at 21,500 = 64,500 USD used; the next 5.75 BTC at 23,500 = 135,125 USD would reach 199,625 > 140,000.
    const v = new VaultDriver(ladderVault(UP, { maxHedgeNotionalPerDayUsd: 140_000 })).level(2).filled();
    expect(v.ctx.hedgeDayNotionalUsd).toBe(3 * spot);
    v.level(4).timerAtDeadline(); // another 5.75 BTC due today
    expect(v.state).toBe('halted');
    expect(v.ctx.haltReason).toMatch(/risk-limit/);
    expect(v.ctx.inFlight).toBeNull();
  });

  it('given the limit used up yesterday, when a hedge is due the next UTC day, then it hedges', () => {
    const v = new VaultDriver(ladderVault(UP, { maxHedgeNotionalPerDayUsd: 140_000 })).level(2).filled().level(4);
    v.timer(v.now + 86_400_000);
    expect(v.state).toBe('hedging');
    expect(v.ctx.hedgeDayNotionalUsd).toBe(5.75 * ladderPrice(4));
  });
});
