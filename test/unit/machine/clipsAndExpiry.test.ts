// Given/when/then: hedges larger than maxOrderBtc go as consecutive clips of one episode, and
// an expiry is a planned event (its settlement and the hedge offsetting the delta it removed
// are one decision; or the glide hands the delta over before it; the pin floor caps gamma).
// Fixed bands: quote 1, hedge 3, re-entry 0.5, hard 6 BTC unless a test says otherwise.
import { describe, expect, it } from 'vitest';
import type { VaultConfig, VaultInput } from '../../../machines/vault.types.ts';
import { bookGreeks } from '../../../src/domain/bookGreeks.ts';
import { EXPIRY_31MAR23, leg, testConfig } from '../../fixtures/vaults.ts';
import { VaultDriver, ladderVault } from './harness.ts';

const E = EXPIRY_31MAR23;
const MIN = 60_000;
// Level:           0  1    2  3   4
const UP = [0, 1.25, 3, 45, 50];

/** Short 40 deep in-the-money calls expiring at E, hedged with 40 BTC of perp: flat at 23,000. */
function itmVault(over: Partial<VaultConfig> = {}): VaultInput {
  return {
    vaultId: 'v1', perpBtc: 40,
    config: testConfig({ maxOrderBtc: 25, cooldownMs: 15 * MIN, expiry: { mode: 'atSettlement', pinMinutes: 60 }, ...over }),
    book: [leg('BTC-31MAR23-20000-C', -40)],
  };
}

describe('clips: a hedge larger than maxOrderBtc', () => {
  it('given a due hedge of 45 BTC and a 20 BTC maximum, then three even clips, each its own client order id, the next at each final fill, then one cooldown', () => {
    const v = new VaultDriver(ladderVault(UP, { maxOrderBtc: 20 })).level(3);
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-1', side: 'sell', sizeBtc: 15, reason: 'band' });
    expect(v.ctx.planned).toEqual({ sizeBtc: -30, reason: 'band' });
    v.filled();
    expect(v.state).toBe('hedging');
    expect(v.ctx.cooldownUntil).toBeNull();
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-2', side: 'sell', sizeBtc: 15, reason: 'band' });
    v.filled();
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-3', sizeBtc: 15 });
    expect(v.ctx.planned).toBeNull();
    v.filled();
    expect(v.state).toBe('cooldown');
    expect(v.delta).toBe(0);
    expect(v.ctx.hedges).toBe(3);
    expect(v.ctx.hedgeSeq).toBe(3);
    expect(v.ctx.cooldownUntil).toBe(v.now + v.ctx.config.cooldownMs);
  });

  it('given a clip that fills partly, then the next clip still goes; the shortfall is left to the rules after the episode', () => {
    const v = new VaultDriver(ladderVault(UP, { maxOrderBtc: 25 })).level(3);
    expect(v.ctx.inFlight?.sizeBtc).toBe(22.5);
    v.filled({ filledBtc: 20 });
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-2', sizeBtc: 22.5 });
    v.filled();
    expect(v.state).toBe('cooldown');
    expect(v.delta).toBe(2.5);
  });

  it('given a clip rejected mid-episode, then the episode ends: its plan is dropped and the retry backoff applies', () => {
    const v = new VaultDriver(ladderVault(UP, { maxOrderBtc: 20 })).level(3).filled().rejected();
    expect(v.state).toBe('cooldown');
    expect(v.ctx.planned).toBeNull();
    expect(v.ctx.consecutiveFailures).toBe(1);
    expect(v.ctx.cooldownUntil).toBe(v.now + 1_000);
  });

  it('given the feed goes stale mid-episode, then the next clip waits in cooldown and goes when the feed recovers', () => {
    const v = new VaultDriver(ladderVault(UP, { maxOrderBtc: 20 })).level(3).stale().filled();
    expect(v.state).toBe('cooldown');
    expect(v.ctx.planned).toEqual({ sizeBtc: -30, reason: 'band' });
    v.recovered();
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-2', sizeBtc: 15, reason: 'band' });
  });

  it('given a pause mid-episode, then the plan is dropped; the clip in flight is still booked', () => {
    const v = new VaultDriver(ladderVault(UP, { maxOrderBtc: 20 })).level(3).pause();
    expect(v.ctx.planned).toBeNull();
    v.filled();
    expect(v.state).toBe('halted');
    expect(v.ctx.inFlight).toBeNull();
    expect(v.delta).toBe(30);
  });

  it('given an emergency past the hard limit in cooldown, then it goes as clips too', () => {
    const v = new VaultDriver(ladderVault(UP, { maxOrderBtc: 20 })).level(2).filled().level(4);
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-2', sizeBtc: 15.667, reason: 'emergency' }); // 47 / 3 in lots of 0.001
    v.filled().filled().filled();
    expect(v.state).toBe('cooldown');
    expect(v.delta).toBeCloseTo(0, 9);
  });

  it('given a flatten larger than maxOrderBtc, then it goes as clips to zero', () => {
    const v = new VaultDriver(ladderVault([0, 2, 45], { maxOrderBtc: 20, bands: { kind: 'fixed', quoteBtc: 100, hedgeBtc: 200, reentryBtc: 50, hardBtc: 400 } })).level(2).flatten();
    expect(v.ctx.inFlight).toMatchObject({ sizeBtc: 15, reason: 'flatten' });
    v.filled().filled().filled();
    expect(v.delta).toBe(0);
  });

  it('given the daily notional limit, then the whole episode counts, not its first clip', () => {
    // 45 BTC at 22,500 = 1.01M USD; the first clip alone (15 BTC) would fit under 0.5M.
    const v = new VaultDriver(ladderVault(UP, { maxOrderBtc: 20, maxHedgeNotionalPerDayUsd: 500_000 })).level(3);
    expect(v.state).toBe('halted');
    expect(v.ctx.haltReason).toMatch(/risk-limit/);
  });
});

describe('expiry at settlement: the settlement and its offset hedge are one decision', () => {
  it('given a flat vault, when its series settles, then the same transition books the payoff and starts the hedge offsetting the delta removed', () => {
    const v = new VaultDriver(itmVault(), E - 10 * MIN).tick(23_000);
    expect(v.state).toBe('neutral');
    const held = v.ctx.greeks.optionsBtc;
    expect(held).toBeCloseTo(-40, 6);
    const cash = v.ctx.cashUsd;
    v.send({ type: 'expiry.settled', at: E, expiryMs: E, settlementPriceUsd: 23_000 });
    expect(v.ctx.book).toEqual([]);
    expect(v.ctx.cashUsd).toBe(cash - 40 * 3_000);
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-1', side: 'sell', sizeBtc: 20, reason: 'expiry' });
    expect(v.ctx.planned?.sizeBtc).toBeCloseTo(held + 20, 9);
    v.filled().filled();
    expect(v.state).toBe('cooldown');
    expect(v.delta).toBeCloseTo(0, 6);
  });

  it('given a vault cooling down after a hedge, when its series settles, then the offset goes at once', () => {
    const input = itmVault();
    input.book.push(leg('BTC-31MAR23-23000-C', 0));
    const v = new VaultDriver({ ...input, perpBtc: 44 }, E - 10 * MIN).tick(23_000);
    expect(v.state).toBe('hedging'); // delta +4: a band hedge
    v.filled();
    expect(v.state).toBe('cooldown');
    v.send({ type: 'expiry.settled', at: E, expiryMs: E, settlementPriceUsd: 23_000 });
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-2', side: 'sell', reason: 'expiry' });
  });

  it('given a hedge in flight, when a series settles, then its offset joins the episode and goes as the next clip', () => {
    const v = new VaultDriver({ ...itmVault(), perpBtc: 44 }, E - 10 * MIN).tick(23_000);
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-1', side: 'sell', sizeBtc: 4 });
    v.send({ type: 'expiry.settled', at: E, expiryMs: E, settlementPriceUsd: 23_000 });
    expect(v.ctx.planned?.reason).toBe('expiry');
    v.filled();
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-2', side: 'sell', sizeBtc: 20, reason: 'expiry' });
    v.filled().filled();
    expect(v.state).toBe('cooldown');
    expect(v.delta).toBeCloseTo(0, 6);
  });

  it('given a halted vault, when its series settles, then the payoff is booked and nothing is hedged', () => {
    const v = new VaultDriver(itmVault(), E - 10 * MIN).tick(23_000).pause();
    v.send({ type: 'expiry.settled', at: E, expiryMs: E, settlementPriceUsd: 23_000 });
    expect(v.state).toBe('halted');
    expect(v.ctx.book).toEqual([]);
    expect(v.ctx.planned).toBeNull();
  });

  it('given a stale feed, when a series settles, then the offset is planned and goes when the feed recovers', () => {
    const v = new VaultDriver(itmVault(), E - 10 * MIN).tick(23_000).stale();
    v.send({ type: 'expiry.settled', at: E, expiryMs: E, settlementPriceUsd: 23_000 });
    expect(v.state).toBe('overexposed');
    expect(v.ctx.planned?.sizeBtc).toBeCloseTo(-40, 6);
    v.recovered();
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ side: 'sell', sizeBtc: 20, reason: 'expiry' });
  });
});

describe('pin risk: the pin floor caps an expiring series gamma', () => {
  // 20 short at-the-money calls; Whalley-Wilmott bands scale with gamma^(2/3).
  const ww = { kind: 'whalleyWilmott' as const, costBps: 5, riskAversion: 0.0005, quoteFraction: 0.5, reentryFraction: 0.25, hardMultiple: 2, minHedgeBtc: 0.5 };
  const atm = (expiry: VaultConfig['expiry']): VaultInput => ({
    vaultId: 'v1', perpBtc: 10, config: testConfig({ bands: ww, expiry, maxHedgeNotionalPerDayUsd: 1e12 }), book: [leg('BTC-31MAR23-23000-C', -20)],
  });
  const at = (input: VaultInput, t: number): VaultDriver => new VaultDriver(input, t - MIN).tick(23_000, t);

  it('given a pin floor of 60 minutes, then greeks and bands one minute before expiry are those of 60 minutes before', () => {
    const pin = atm({ mode: 'atSettlement', pinMinutes: 60 });
    const late = at(pin, E - MIN).ctx, hour = at(pin, E - 60 * MIN).ctx;
    expect(late.greeks.gamma).toBeCloseTo(hour.greeks.gamma, 12);
    expect(late.greeks.optionsBtc).toBeCloseTo(-10, 1); // about half of 20 at the money: no step
    expect(late.bands.hedgeBtc).toBeCloseTo(hour.bands.hedgeBtc, 9);
    // Without the floor the same minute has sqrt(60) times the gamma and a band ~60^(1/3) times as wide.
    const plain = at(atm({ mode: 'atSettlement', pinMinutes: 0 }), E - MIN).ctx;
    expect(plain.greeks.gamma / late.greeks.gamma).toBeCloseTo(Math.sqrt(60), 1);
    expect(plain.bands.hedgeBtc).toBeGreaterThan(3 * late.bands.hedgeBtc);
  });

  it('given a pin floor, when the series settles, then the offset is the floored delta the vault held, not the step', () => {
    const v = at(atm({ mode: 'atSettlement', pinMinutes: 60 }), E - MIN);
    const held = bookGreeks(v.ctx.book, 23_000, v.now, 0, 0, v.ctx.config).optionsBtc;
    v.send({ type: 'expiry.settled', at: E, expiryMs: E, settlementPriceUsd: 23_050 });
    const sent = (v.ctx.inFlight?.side === 'buy' ? 1 : -1) * (v.ctx.inFlight?.sizeBtc ?? 0) + (v.ctx.planned?.sizeBtc ?? 0);
    expect(sent).toBeCloseTo(held, 3);
  });
});

describe('expiry glide: the perp takes the expiring delta over before settlement', () => {
  it('given a glide of 30 minutes, then band crossings on the way are hedged at once (cooldown aside), delta stays under the hard limit, and the settlement leaves almost nothing', () => {
    const v = new VaultDriver(itmVault({ expiry: { mode: 'glide', minutes: 30, pinMinutes: 60 } }), E - 40 * MIN);
    let maxAbs = 0;
    const reasons = new Set<string>();
    for (let t = E - 35 * MIN; t < E; t += MIN) {
      v.tick(23_000, t);
      maxAbs = Math.max(maxAbs, Math.abs(v.delta));
      while (v.state === 'hedging') { reasons.add(v.ctx.inFlight?.reason ?? ''); v.filled({}); }
      expect(Math.abs(v.delta)).toBeLessThan(3);
    }
    expect(maxAbs).toBeLessThan(6);
    expect(maxAbs).toBeGreaterThanOrEqual(3);
    expect([...reasons]).toEqual(['expiry']);
    expect(v.ctx.hedges).toBeGreaterThan(8); // about 40 BTC in band-sized steps
    v.send({ type: 'expiry.settled', at: E, expiryMs: E, settlementPriceUsd: 23_000 });
    const left = (v.ctx.inFlight?.side === 'buy' ? 1 : -1) * (v.ctx.inFlight?.sizeBtc ?? 0);
    expect(Math.abs(left)).toBeLessThanOrEqual(40 / 30 + 1e-9);
  });
});
