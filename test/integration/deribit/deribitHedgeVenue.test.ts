// DeribitHedgeVenue beyond the shared contract: USD sizing and tick rounding, lookups after
// Deribit forgets the order (trade history by label), 10028 as "nothing placed", a lost answer
// never resent blindly, and the fill stream backfilled once after an outage.
import { afterEach, describe, expect, it } from 'vitest';
import { DeribitHedgeVenue } from '../../../src/venues/deribit/deribitHedgeVenue.ts';
import { DeribitSession } from '../../../src/venues/deribit/deribitSession.ts';
import { VenueTimeoutError, VenueUnavailableError, type IocOrderRequest, type VenueFill } from '../../../src/venues/hedgeVenue.ts';
import type { DeribitDouble, DeribitDoubleOptions } from '../../fixtures/deribit/server.ts';
import { configFor, startTestDouble, waitFor } from '../../fixtures/deribit/harness.ts';

const T0 = Date.parse('2024-01-02T00:00:00Z');
let offsetMs = 0;
const clock = (): number => Date.now() + offsetMs;
let double: DeribitDouble;
let session: DeribitSession;
let venue: DeribitHedgeVenue;

async function open(o: DeribitDoubleOptions = {}): Promise<void> {
  offsetMs = 0;
  double = await startTestDouble({ now: clock, ...o });
  session = await DeribitSession.connect(configFor(double, { timeoutMs: 300, connectWaitMs: 300 }));
  venue = await DeribitHedgeVenue.open(session, { now: clock });
}

async function reopen(historyFromMs?: number): Promise<void> {
  await venue.close();
  await session.close();
  session = await DeribitSession.connect(configFor(double, { timeoutMs: 300, connectWaitMs: 300 }));
  venue = await DeribitHedgeVenue.open(session, { now: clock, historyFromMs });
}

const order = (id: string, over: Partial<IocOrderRequest> = {}): IocOrderRequest => ({
  clientOrderId: id, market: 'BTC-PERPETUAL', side: 'buy', sizeBtc: 0.5, limitPriceUsd: 30_600, reduceOnly: false, at: T0, ...over,
});

afterEach(async () => {
  await venue.close();
  await session.close();
  await double.close();
});

describe('DeribitHedgeVenue', () => {
  it('sizes in whole 10 USD contracts at the mark, labels with the client id, rounds the limit away from the market', async () => {
    await open();
    const s = await venue.placeIoc(order('v-1', { sizeBtc: 0.50017 })); // 15,005.1 USD -> 15,010
    const sent = [...double.state.orders.values()].map((o) => o.wire);
    expect(sent[0]).toMatchObject({ label: 'v-1', amount: 15_010, price: 30_600, time_in_force: 'immediate_or_cancel', direction: 'buy' });
    expect(s).toMatchObject({ status: 'filled', avgPriceUsd: 30_000.5 });
    if (s.status === 'filled') expect(s.filledBtc).toBeCloseTo(15_010 / 30_000.5, 12);
    await venue.placeIoc(order('v-2', { side: 'sell', sizeBtc: 0.1, limitPriceUsd: 29_400.3 }));
    expect([...double.state.orders.values()][1]?.wire).toMatchObject({ label: 'v-2', amount: 3_000, price: 29_400.5, direction: 'sell' });
  });

  it('finds an order Deribit no longer lists by its trades, after a restart', async () => {
    await open({ orderStateWindowMs: 60_000 });
    const first = await venue.placeIoc(order('v-7'));
    offsetMs = 120_000; // past get_order_state_by_label's window
    await reopen();
    expect(await session.request('private/get_order_state_by_label', { currency: 'BTC', label: 'v-7' }, 'read')).toEqual([]);
    expect(await venue.lookup('v-7')).toEqual(first);
    expect(await venue.lookup('v-8')).toEqual({ status: 'unknown' });
  });

  it('reads older trades with historical: true when told where the oldest open hedge began', async () => {
    await open({ orderStateWindowMs: 60_000 });
    const placedAt = clock();
    const first = await venue.placeIoc(order('v-9'));
    offsetMs = 25 * 3_600_000; // past the 24 h of "recent" trades
    await reopen();
    expect(await venue.lookup('v-9')).toEqual({ status: 'unknown' });
    await reopen(placedAt - 1_000);
    expect(await venue.lookup('v-9')).toEqual(first);
  });

  it('a 10028 rate-limit answer is unavailable: nothing placed, nothing recorded', async () => {
    await open({ credits: { capacity: 500, refillPerSec: 1, orderCost: 500 } });
    expect((await venue.placeIoc(order('v-1'))).status).toBe('filled');
    await expect(venue.placeIoc(order('v-2'))).rejects.toBeInstanceOf(VenueUnavailableError);
    expect(double.state.trades).toHaveLength(1);
    expect(await venue.lookup('v-2')).toEqual({ status: 'unknown' });
  });

  it('after a lost answer it looks the order up and never sends it again', async () => {
    await open();
    double.faults.silentLabels.add('v-3');
    await expect(venue.placeIoc(order('v-3'))).rejects.toBeInstanceOf(VenueTimeoutError);
    const again = await venue.placeIoc(order('v-3'));
    expect(again.status).toBe('filled');
    expect(double.attempts('v-3')).toBe(1);
    expect(double.state.trades).toHaveLength(1);
  });

  it('backfills the fills missed during an outage, each once', async () => {
    await open();
    const fills: VenueFill[] = [];
    const sub = venue.fills().subscribe((f) => fills.push(f));
    await venue.placeIoc(order('v-1'));
    await waitFor('the first fill', () => fills.length === 1);
    double.startOutage();
    await waitFor('the outage', () => !session.ready);
    double.placeForAccount('sell', { instrument_name: 'BTC-PERPETUAL', amount: 300, price: 29_000, time_in_force: 'immediate_or_cancel', label: 'manual-1' });
    double.endOutage();
    await waitFor('the missed fill', () => fills.some((f) => f.clientOrderId === 'manual-1'));
    expect(fills.map((f) => f.clientOrderId)).toEqual(['v-1', 'manual-1']);
    expect(fills[1]).toMatchObject({ side: 'sell', priceUsd: 29_999.5, sizeBtc: 300 / 29_999.5 });
    sub.unsubscribe();
  });
});
