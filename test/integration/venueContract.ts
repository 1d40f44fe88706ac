// The contract every HedgeVenue passes (simulated in-process, simulated over HTTP, Mango v3
// against its loopback validator). Call runVenueContract(name, makeVenue) from a *.test.ts.
//
// The suite needs a few controls over the venue under test, kept minimal so a real venue's
// test double can provide them:
// - setReferencePrice(priceUsd, at): the venue's reference/oracle price from event time `at` on.
// - scriptReject(id) / scriptTimeout(id): that client order id is refused with a reason /
//   executed while its placer is told VenueTimeoutError.
// - startOutage(fromMs, toMs) / endOutage(): orders with `at` in the window (event time) find
//   the venue unreachable and nothing is placed. A venue whose outages are wall-clock (a
//   loopback server going down) may be down from startOutage until endOutage instead.
// - restart (optional): close the venue and open it again on the same state.
// The book must hold `depthBtc` (given to makeVenue) on each side within 2% of the reference
// price and nothing more within 2%, so a bigger order with a 2% limit fills partially.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { VenueTimeoutError, VenueUnavailableError, type HedgeVenue, type IocOrderRequest, type MarketInfo, type OrderStatus, type VenueFill } from '../../src/venues/hedgeVenue.ts';

export interface VenueContractSetup {
  /** BTC on each side of the book within 2% of the reference price. */
  depthBtc: number;
}

export interface VenueUnderTest {
  venue: HedgeVenue;
  market: string;
  setReferencePrice(priceUsd: number, at: number): Promise<void>;
  scriptReject(clientOrderId: string): Promise<void>;
  scriptTimeout(clientOrderId: string): Promise<void>;
  startOutage(fromMs: number, toMs: number): Promise<void>;
  endOutage(): Promise<void>;
  restart?: () => Promise<HedgeVenue>;
  cleanup(): Promise<void>;
}

const T0 = Date.parse('2024-01-02T00:00:00Z');
const REF_USD = 30_000;
const DEPTH_BTC = 1;

export function runVenueContract(name: string, makeVenue: (setup: VenueContractSetup) => Promise<VenueUnderTest>): void {
  describe(`HedgeVenue contract: ${name}`, () => {
    let ut: VenueUnderTest;
    let venue: HedgeVenue;
    let info: MarketInfo;
    let fills: VenueFill[];
    let sub: Subscription | undefined;
    let seq = 0;

    const order = (over: Partial<IocOrderRequest> = {}): IocOrderRequest => ({
      clientOrderId: `vault-${++seq}`, market: ut.market, side: 'buy', sizeBtc: 0.5,
      limitPriceUsd: REF_USD * 1.02, reduceOnly: false, at: T0 + 1_000 * (seq + 1), ...over,
    });
    const lots = (btc: number): number => Math.round(btc / info.lotSizeBtc);
    const positionBtc = async (): Promise<number> => (await venue.position(ut.market)).sizeBtc;
    const fillsOf = (id: string): VenueFill[] => fills.filter((f) => f.clientOrderId === id);
    /** Waits (wall clock, bounded) until the venue's fill stream has delivered `btc` for `id`. */
    const streamedBtc = async (id: string, btc: number): Promise<number> => {
      const deadline = Date.now() + 3_000;
      let sum = 0;
      while (Date.now() < deadline) {
        sum = fillsOf(id).reduce((s, f) => s + lots(f.sizeBtc), 0);
        if (sum >= lots(btc)) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      return sum;
    };
    const traded = (s: OrderStatus): { filledBtc: number; avgPriceUsd: number; feeUsd: number } => {
      if (s.status !== 'filled' && s.status !== 'cancelled' && s.status !== 'open') throw new Error(`expected a traded status, got ${JSON.stringify(s)}`);
      return s;
    };
    const subscribeFills = (): void => {
      sub?.unsubscribe();
      fills = [];
      sub = venue.fills().subscribe((f) => fills.push(f));
    };

    beforeEach(async () => {
      seq = 0;
      ut = await makeVenue({ depthBtc: DEPTH_BTC });
      venue = ut.venue;
      await ut.setReferencePrice(REF_USD, T0);
      info = await venue.marketInfo(ut.market);
      subscribeFills();
    });
    afterEach(async () => {
      sub?.unsubscribe();
      sub = undefined;
      await ut.cleanup();
    });

    it('reports sane market info, a flat position and a mark near the reference', async () => {
      expect(info.lotSizeBtc).toBeGreaterThan(0);
      expect(info.minSizeBtc).toBeGreaterThanOrEqual(0);
      expect(info.tickSizeUsd).toBeGreaterThan(0);
      expect(info.takerFeeBps).toBeGreaterThanOrEqual(0);
      expect(await positionBtc()).toBe(0);
      const mark = await venue.markPrice(ut.market);
      expect(Math.abs(mark.priceUsd - REF_USD) / REF_USD).toBeLessThan(0.01);
      expect(Number.isFinite((await venue.fundingRate(ut.market)).ratePerHour)).toBe(true);
    });

    it('looks an unknown client order id up as never seen', async () => {
      expect(await venue.lookup('never-placed-1')).toEqual({ status: 'unknown' });
    });

    it('fills the same client order id once, however often it is placed', async () => {
      const req = order({ sizeBtc: 0.5 });
      const first = await venue.placeIoc(req);
      expect(first.status).toBe('filled');
      expect(lots(traded(first).filledBtc)).toBe(lots(0.5));
      const again = await venue.placeIoc({ ...req, at: req.at + 5_000 });
      expect(again).toEqual(first);
      expect(await venue.lookup(req.clientOrderId)).toEqual(first);
      expect(lots(await positionBtc())).toBe(lots(0.5));
      expect(await streamedBtc(req.clientOrderId, 0.5)).toBe(lots(0.5));
      await new Promise((r) => setTimeout(r, 30));
      expect(fillsOf(req.clientOrderId).reduce((s, f) => s + lots(f.sizeBtc), 0)).toBe(lots(0.5));
    });

    it('fills once when the same id is placed twice concurrently', async () => {
      const req = order({ sizeBtc: 0.3, side: 'sell', limitPriceUsd: REF_USD * 0.98 });
      const [a, b] = await Promise.all([venue.placeIoc(req), venue.placeIoc(req)]);
      expect(a).toEqual(b);
      expect(lots(await positionBtc())).toBe(-lots(0.3));
    });

    it('adds partial fills up: fills sum to filledBtc, position to the signed fills', async () => {
      const big = order({ sizeBtc: DEPTH_BTC * 2 });
      const s = traded(await venue.placeIoc(big));
      expect(s.filledBtc).toBeGreaterThan(0);
      expect(lots(s.filledBtc)).toBeLessThanOrEqual(lots(DEPTH_BTC));
      expect((await venue.lookup(big.clientOrderId)).status).toBe('cancelled');
      expect(await streamedBtc(big.clientOrderId, s.filledBtc)).toBe(lots(s.filledBtc));
      const bigFills = fillsOf(big.clientOrderId);
      const notional = bigFills.reduce((n, f) => n + f.sizeBtc * f.priceUsd, 0);
      expect(s.avgPriceUsd).toBeCloseTo(notional / s.filledBtc, 6);
      expect(bigFills.every((f) => f.priceUsd <= big.limitPriceUsd && f.side === 'buy')).toBe(true);
      const sell = order({ side: 'sell', sizeBtc: 0.4, limitPriceUsd: REF_USD * 0.98 });
      const s2 = traded(await venue.placeIoc(sell));
      await streamedBtc(sell.clientOrderId, s2.filledBtc);
      const signedLots = fills.reduce((n, f) => n + (f.side === 'buy' ? 1 : -1) * lots(f.sizeBtc), 0);
      expect(lots(await positionBtc())).toBe(signedLots);
      expect(signedLots).toBe(lots(s.filledBtc) - lots(s2.filledBtc));
      expect(new Set(fills.map((f) => f.fillId)).size).toBe(fills.length);
    });

    it('cancels an IOC whose limit the book cannot meet, with nothing filled', async () => {
      const s = await venue.placeIoc(order({ limitPriceUsd: REF_USD * 0.9 }));
      expect(s.status).toBe('cancelled');
      expect(traded(s).filledBtc).toBe(0);
      expect(await positionBtc()).toBe(0);
    });

    it('charges the taker fee: fee = takerFeeBps * notional', async () => {
      const s = traded(await venue.placeIoc(order({ sizeBtc: 0.7 })));
      const expected = (info.takerFeeBps / 10_000) * s.filledBtc * s.avgPriceUsd;
      expect(Math.abs(s.feeUsd - expected)).toBeLessThan(1e-6 + 1e-9 * expected);
    });

    it('rejects with a reason, finally: below the minimum size, and a refused id', async () => {
      const tiny = order({ sizeBtc: Math.min(info.minSizeBtc, info.lotSizeBtc) / 4 });
      const s = await venue.placeIoc(tiny);
      expect(s.status).toBe('rejected');
      if (s.status === 'rejected') expect(s.reason.length).toBeGreaterThan(0);
      const refused = order();
      await ut.scriptReject(refused.clientOrderId);
      const r = await venue.placeIoc(refused);
      expect(r.status).toBe('rejected');
      if (r.status === 'rejected') expect(r.reason).toMatch(/\w/);
      expect(await venue.lookup(refused.clientOrderId)).toEqual(r);
      expect(await venue.placeIoc({ ...refused, at: refused.at + 1 })).toEqual(r);
      expect(await positionBtc()).toBe(0);
    });

    it('never grows a position with a reduce-only order', async () => {
      const flat = await venue.placeIoc(order({ reduceOnly: true }));
      expect(flat.status === 'rejected' || traded(flat).filledBtc === 0).toBe(true);
      expect(await positionBtc()).toBe(0);
      await venue.placeIoc(order({ sizeBtc: 0.3 }));
      const reduce = await venue.placeIoc(order({ side: 'sell', sizeBtc: 0.8, reduceOnly: true, limitPriceUsd: REF_USD * 0.98 }));
      expect(lots(traded(reduce).filledBtc)).toBeLessThanOrEqual(lots(0.3));
      expect(await positionBtc()).toBeGreaterThanOrEqual(0);
    });

    it('after a timeout, the lookup shows the truth and a re-placement does not fill again', async () => {
      const req = order({ sizeBtc: 0.2 });
      await ut.scriptTimeout(req.clientOrderId);
      await expect(venue.placeIoc(req)).rejects.toBeInstanceOf(VenueTimeoutError);
      const truth = await venue.lookup(req.clientOrderId);
      expect(truth.status).toBe('filled');
      expect(lots(traded(truth).filledBtc)).toBe(lots(0.2));
      expect(lots(await positionBtc())).toBe(lots(0.2));
      const again = await venue.placeIoc({ ...req, at: req.at + 10_000 }).catch((e: unknown) => e);
      if (!(again instanceof VenueTimeoutError)) expect(again).toEqual(truth);
      expect(lots(await positionBtc())).toBe(lots(0.2));
    });

    it('during an outage refuses as unavailable and places nothing', async () => {
      const req = order();
      await ut.startOutage(req.at - 100, req.at + 100);
      await expect(venue.placeIoc(req)).rejects.toBeInstanceOf(VenueUnavailableError);
      await ut.endOutage();
      expect(await venue.lookup(req.clientOrderId)).toEqual({ status: 'unknown' });
      expect(await positionBtc()).toBe(0);
      const later = await venue.placeIoc({ ...req, at: req.at + 1_000 });
      expect(later.status).toBe('filled');
    });

    it('keeps orders and position across a restart on the same state', async (ctx) => {
      if (ut.restart === undefined) {
        ctx.skip();
        return;
      }
      const a = order({ sizeBtc: 0.4 });
      const b = order({ side: 'sell', sizeBtc: 0.1, limitPriceUsd: REF_USD * 0.98 });
      const sa = await venue.placeIoc(a);
      const sb = await venue.placeIoc(b);
      const before = await venue.position(ut.market);
      sub?.unsubscribe();
      venue = await ut.restart();
      expect(await venue.lookup(a.clientOrderId)).toEqual(sa);
      expect(await venue.lookup(b.clientOrderId)).toEqual(sb);
      expect(await venue.position(ut.market)).toEqual(before);
      expect(await venue.placeIoc({ ...a, at: a.at + 50_000 })).toEqual(sa);
      expect(lots((await venue.position(ut.market)).sizeBtc)).toBe(lots(0.3));
    });
  });
}
