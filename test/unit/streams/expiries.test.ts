import { describe, expect, it } from 'vitest';
import { Subject, VirtualTimeScheduler } from 'rxjs';
import { SettlementPriceTracker, expiriesDue, expirySettlements, settlementPrice } from '../../../src/streams/expiries.ts';
import type { ExpirySettled } from '../../../machines/vault.types.ts';
import type { PriceTickInput } from '../../../src/streams/inputTypes.ts';

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

describe('expirySettlements (wall clock)', () => {
  it('emits expiry.settled at each expiry with the last price before it, then completes', () => {
    const sched = new VirtualTimeScheduler();
    const base = sched.now();
    const prices = new Subject<PriceTickInput>();
    const out: ExpirySettled[] = [];
    let done = false;
    expirySettlements([base + 2_000, base + 5_000], prices, sched).subscribe({ next: (e) => out.push(e), complete: () => { done = true; } });
    const tick = (at: number, priceUsd: number): void => prices.next({ at, priceUsd, source: 't', offset: at });
    sched.schedule(() => tick(base + 1_000, 100), 1_000);
    sched.schedule(() => tick(base + 3_000, 110), 3_000);
    sched.schedule(() => tick(base + 4_000, 120), 4_000);
    sched.flush();
    expect(out).toEqual([
      { type: 'expiry.settled', at: base + 2_000, expiryMs: base + 2_000, settlementPriceUsd: 100 },
      { type: 'expiry.settled', at: base + 5_000, expiryMs: base + 5_000, settlementPriceUsd: 120 },
    ]);
    expect(done).toBe(true);
  });

  it('waits for the first price when none was known at expiry', () => {
    const sched = new VirtualTimeScheduler();
    const base = sched.now();
    const prices = new Subject<PriceTickInput>();
    const out: ExpirySettled[] = [];
    expirySettlements([base + 1_000], prices, sched).subscribe((e) => out.push(e));
    sched.schedule(() => prices.next({ at: base + 1_500, priceUsd: 99, source: 't', offset: 0 }), 1_500);
    sched.flush();
    expect(out).toEqual([{ type: 'expiry.settled', at: base + 1_000, expiryMs: base + 1_000, settlementPriceUsd: 99 }]);
  });
});
