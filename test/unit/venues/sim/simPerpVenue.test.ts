import { describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { VenueTimeoutError, VenueUnavailableError, type IocOrderRequest, type OrderStatus } from '../../../../src/venues/hedgeVenue.ts';
import { InMemorySimVenueStore } from '../../../../src/venues/sim/inMemorySimVenueStore.ts';
import { SeriesPriceReference } from '../../../../src/venues/sim/priceReference.ts';
import { SimPerpVenue, SimVenueConfigMismatchError } from '../../../../src/venues/sim/simPerpVenue.ts';
import type { SimVenueConfigInput } from '../../../../src/venues/sim/simVenueConfig.ts';
import type { SimVenueStore } from '../../../../src/venues/sim/simVenueStore.port.ts';

const T0 = Date.parse('2023-03-01T00:00:00Z');
const MIN = 60_000;
const HOUR = 3_600_000;
/** A minute path: 23,000 USD drifting up 1 USD a minute for a day. */
const path = new SeriesPriceReference(Array.from({ length: 1440 }, (_, i) => ({ at: T0 + i * MIN, priceUsd: 23_000 + i })));

const req = (id: string, over: Partial<IocOrderRequest> = {}): IocOrderRequest => ({
  clientOrderId: id, market: 'BTC-PERP', side: 'buy', sizeBtc: 0.5, limitPriceUsd: 30_000, reduceOnly: false, at: T0 + 5 * MIN, ...over,
});

async function run(config: SimVenueConfigInput, n: number): Promise<{ outcomes: (OrderStatus | string)[]; venue: SimPerpVenue }> {
  const venue = await SimPerpVenue.open({ prices: path, config });
  const outcomes: (OrderStatus | string)[] = [];
  for (let i = 0; i < n; i++) {
    const r = req(`v${i % 3}-${i}`, { side: i % 3 === 0 ? 'sell' : 'buy', sizeBtc: 0.01 * (1 + (i % 17)), at: T0 + i * 7_919, limitPriceUsd: i % 3 === 0 ? 20_000 : 30_000 });
    outcomes.push(await venue.placeIoc(r).catch((e: unknown) => (e instanceof Error ? e.name : String(e))));
  }
  return { outcomes, venue };
}

describe('SimPerpVenue', () => {
  it('is deterministic given its inputs and seed; another seed moves latencies and faults', async () => {
    const cfg = { seed: 42, faults: { rejectProb: 0.1, timeoutProb: 0.1 } };
    const a = await run(cfg, 300);
    const b = await run(cfg, 300);
    expect(a.outcomes).toEqual(b.outcomes);
    expect(await a.venue.position('BTC-PERP')).toEqual(await b.venue.position('BTC-PERP'));
    const c = await run({ ...cfg, seed: 43 }, 300);
    expect(c.outcomes).not.toEqual(a.outcomes);
    const kinds = (o: (OrderStatus | string)[]): Record<string, number> => o.reduce<Record<string, number>>((m, x) => {
      const k = typeof x === 'string' ? x : x.status;
      m[k] = (m[k] ?? 0) + 1;
      return m;
    }, {});
    const k = kinds(a.outcomes);
    expect(k.rejected).toBeGreaterThan(10);
    expect(k.VenueTimeoutError).toBeGreaterThan(10);
    expect(k.filled).toBeGreaterThan(150);
  });

  it('fills at event time req.at + latency, off the reference price then', async () => {
    const venue = await SimPerpVenue.open({ prices: path, config: { latencyMs: 90_000, latencyJitterMs: 0, depth: { halfSpreadBps: 0, levelSpacingBps: 1 } } });
    const s = await venue.placeIoc(req('a', { at: T0 + 10 * MIN }));
    expect(s).toMatchObject({ status: 'filled', filledBtc: 0.5, avgPriceUsd: 23_011, updatedAt: T0 + 11.5 * MIN });
    expect(venue.clockMs()).toBe(T0 + 11.5 * MIN);
    expect((await venue.markPrice('BTC-PERP')).priceUsd).toBe(23_011);
  });

  it('rounds sizes to lots, refuses below the minimum, caps at maxOrderBtc and honours reduce-only', async () => {
    const venue = await SimPerpVenue.open({ prices: path, config: { minSizeBtc: 0.01, maxOrderBtc: 1 } });
    expect(await venue.placeIoc(req('r1', { sizeBtc: 0.123456 }))).toMatchObject({ status: 'filled', filledBtc: 0.1235 });
    const small = await venue.placeIoc(req('r2', { sizeBtc: 0.00949 }));
    expect(small.status === 'rejected' && small.reason).toMatch(/below the minimum 0.01 BTC/);
    expect(await venue.placeIoc(req('r3', { sizeBtc: 1.5 }))).toMatchObject({ status: 'cancelled', filledBtc: 1 });
    const ro = await venue.placeIoc(req('r4', { reduceOnly: true }));
    expect(ro.status === 'rejected' && ro.reason).toMatch(/reduce-only/);
    expect(await venue.placeIoc(req('r5', { side: 'sell', sizeBtc: 5, reduceOnly: true, limitPriceUsd: 1 }))).toMatchObject({ status: 'cancelled', filledBtc: 1 });
    expect((await venue.position('BTC-PERP')).sizeBtc).toBeCloseTo(0.1235, 10);
    const unknown = await venue.placeIoc(req('r6', { market: 'ETH-PERP' }));
    expect(unknown.status === 'rejected' && unknown.reason).toMatch(/unknown market/);
    await expect(venue.position('ETH-PERP')).rejects.toThrow(/unknown market/);
  });

  it('accrues funding on the position by event time', async () => {
    const venue = await SimPerpVenue.open({ prices: path, config: { fundingRatePerHour: 0.001, latencyMs: 0, latencyJitterMs: 0 } });
    await venue.placeIoc(req('f1', { sizeBtc: 2, at: T0 + 30 * MIN }));
    expect((await venue.position('BTC-PERP')).fundingPaidUsd).toBe(0);
    await venue.advanceClock(T0 + 2 * HOUR);
    // 2 BTC at 01:00 (23,060 USD) and 02:00 (23,120 USD), 0.1% an hour.
    expect((await venue.position('BTC-PERP')).fundingPaidUsd).toBeCloseTo(2 * (23_060 + 23_120) * 0.001, 9);
    expect(await venue.fundingRate('BTC-PERP')).toEqual({ ratePerHour: 0.001, at: T0 + 2 * HOUR });
  });

  it('reopens on its store with the same orders, fills, position and clock', async () => {
    const store = new InMemorySimVenueStore();
    const config = { seed: 5, faults: { timeoutProb: 0.3 } };
    const a = await SimPerpVenue.open({ prices: path, config, store });
    for (let i = 0; i < 40; i++) await a.placeIoc(req(`o${i}`, { side: i % 2 ? 'buy' : 'sell', limitPriceUsd: i % 2 ? 30_000 : 1, at: T0 + i * MIN })).catch(() => undefined);
    await a.advanceClock(T0 + 5 * HOUR);
    const before = await a.position('BTC-PERP');
    const fillsBefore = await firstValueFrom(a.fills().pipe(take(a.fillCount), toArray()));
    await a.close();
    const b = await SimPerpVenue.open({ prices: path, config, store });
    expect(await b.position('BTC-PERP')).toEqual(before);
    expect(b.clockMs()).toBe(T0 + 5 * HOUR);
    expect(await firstValueFrom(b.fills().pipe(take(fillsBefore.length), toArray()))).toEqual(fillsBefore);
    for (let i = 0; i < 40; i++) expect(await b.lookup(`o${i}`)).not.toEqual({ status: 'unknown' });
    await expect(SimPerpVenue.open({ prices: path, config: { ...config, seed: 6 }, store })).rejects.toBeInstanceOf(SimVenueConfigMismatchError);
  });

  it('streams fills after a given sequence without gaps or repeats, live ones included', async () => {
    const venue = await SimPerpVenue.open({ prices: path });
    await venue.placeIoc(req('s1'));
    await venue.placeIoc(req('s2'));
    const got: number[] = [];
    const sub = venue.fillsSince(1).subscribe((s) => got.push(s.seq));
    await venue.placeIoc(req('s3'));
    sub.unsubscribe();
    expect(got).toEqual([2, 3]);
  });

  it('reports an injected timeout once, with the order standing; outages place nothing', async () => {
    const venue = await SimPerpVenue.open({ prices: path, config: { faults: { outages: [{ fromMs: T0 + HOUR, toMs: T0 + 2 * HOUR }] } } });
    venue.faults.scriptTimeout('t1');
    await expect(venue.placeIoc(req('t1'))).rejects.toBeInstanceOf(VenueTimeoutError);
    expect(await venue.placeIoc(req('t1'))).toMatchObject({ status: 'filled', filledBtc: 0.5 });
    await expect(venue.placeIoc(req('o1', { at: T0 + 2 * HOUR }))).rejects.toBeInstanceOf(VenueUnavailableError);
    expect(await venue.lookup('o1')).toEqual({ status: 'unknown' });
  });

  it('stops at once when its store fails, instead of acting on unsaved state', async () => {
    const inner = new InMemorySimVenueStore();
    let fail = false;
    const store: SimVenueStore = {
      load: () => inner.load(),
      appendOrder: (o) => (fail ? Promise.reject(new Error('disk full')) : inner.appendOrder(o)),
      appendPrice: (p) => inner.appendPrice(p),
      setMeta: (k, v) => inner.setMeta(k, v),
      close: () => inner.close(),
    };
    const venue = await SimPerpVenue.open({ prices: path, store });
    await venue.placeIoc(req('ok'));
    fail = true;
    await expect(venue.placeIoc(req('lost'))).rejects.toThrow(/disk full/);
    await expect(venue.placeIoc(req('next'))).rejects.toThrow(/store failed: disk full/);
    await expect(venue.lookup('ok')).rejects.toBeInstanceOf(VenueUnavailableError);
  });
});
