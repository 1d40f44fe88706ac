// Hyperliquid specifics of the ccxt adapter, against the loopback double: no builder fee and no
// signed side actions unless opted in; one placement per client id (the double counts them);
// the venue's price and size grid; rate-limit answers backed off and counted; 500s, lost and
// delayed answers; a cloid the venue holds but does not show yet; credentials never in errors.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { VenueTimeoutError, VenueUnavailableError, type IocOrderRequest, type OrderStatus } from '../../../src/venues/hedgeVenue.ts';
import type { CcxtHedgeVenue } from '../../../src/venues/ccxt/ccxtHedgeVenue.ts';
import { hyperliquidCloid } from '../../../src/venues/ccxt/hyperliquidProfile.ts';
import { HlDouble } from '../../fixtures/ccxt/hyperliquid/hlDouble.ts';
import { HL_SYMBOL, openHlVenue, testCredentials } from '../../fixtures/ccxt/hyperliquid/hlVenue.ts';

let d: HlDouble;
let venue: CcxtHedgeVenue | undefined;
const creds = testCredentials();
let seq = 0;
const order = (over: Partial<IocOrderRequest> = {}): IocOrderRequest => ({
  clientOrderId: `hl-${process.pid}-${++seq}`, market: HL_SYMBOL, side: 'buy', sizeBtc: 0.1, limitPriceUsd: 30_600, reduceOnly: false, at: 1_700_000_000_000, ...over,
});
const open = async (over = {}): Promise<CcxtHedgeVenue> => {
  d ??= await HlDouble.start();
  venue = await openHlVenue(d.url, creds, over);
  return venue;
};

afterEach(async () => {
  await venue?.close();
  venue = undefined;
  await d?.close();
  d = undefined as unknown as HlDouble;
});

describe('ccxt adapter on Hyperliquid', () => {
  it('sends no builder fee and no approveBuilderFee or setReferrer action; the opt-in turns the fee on', async () => {
    const v = await open();
    await v.placeIoc(order());
    await v.placeIoc(order({ side: 'sell', limitPriceUsd: 29_400 }));
    expect(d.actionTypes()).toEqual(['order', 'order']);
    expect(d.orderActions().every((a) => a.builder === undefined)).toBe(true);
    await v.close();
    const paying = await open({ builderFee: true });
    await paying.placeIoc(order());
    expect(d.actionTypes()).toContain('approveBuilderFee');
    expect(d.orderActions().at(-1)?.builder).toMatchObject({ f: 10 });
  });

  it('places a client id once: placing it again, or from a restarted adapter, only looks it up', async () => {
    const v = await open();
    const req = order();
    const first = await v.placeIoc(req);
    expect(first.status).toBe('filled');
    expect(await v.placeIoc(req)).toEqual(first);
    await v.close();
    const again = await open();
    expect(await again.placeIoc(req)).toEqual(first);
    expect(d.attemptsOf(hyperliquidCloid(req.clientOrderId))).toBe(1);
    expect(d.orderActions()).toHaveLength(1);
  });

  it('sends sizes and prices on the venue grid, never more than asked nor past the protective limit', async () => {
    const v = await open();
    await v.placeIoc(order({ sizeBtc: 0.123456, limitPriceUsd: 30_600.87 }));
    await v.placeIoc(order({ side: 'sell', sizeBtc: 0.05, limitPriceUsd: 29_399.2 }));
    const sent = d.orderActions().map((a) => a.orders[0]);
    // 0.123456 BTC goes out as 0.12345: rounded down, so no fill exceeds what the engine counts in flight.
    expect(sent.map((o) => [o?.s, o?.p])).toEqual([['0.12345', '30600'], ['0.05', '29400']]);
    expect(sent.every((o) => o?.t.limit?.tif === 'Ioc' && o.c?.length === 34)).toBe(true);
  });

  it('rejects below the $10 minimum value with the venue\'s text, and a size below one step without sending it', async () => {
    const v = await open();
    const small = await v.placeIoc(order({ sizeBtc: 0.0002 }));
    expect(small).toMatchObject({ status: 'rejected', reason: expect.stringContaining('minimum value of $10') });
    const dust = await v.placeIoc(order({ sizeBtc: 0.000001 }));
    expect(dust).toMatchObject({ status: 'rejected', reason: expect.stringContaining('below one amount step') });
    expect(d.orderActions()).toHaveLength(1);
  });

  it('backs off from rate-limit answers, counts them, and gives up placing nothing past the cap', async () => {
    const v = await open();
    d.faults.rateLimitNext = 2;
    expect((await v.placeIoc(order())).status).toBe('filled');
    expect(v.counters.rateLimitBackoffs).toBe(2);
    d.faults.rateLimitNext = 1_000;
    const req = order();
    await expect(v.placeIoc(req)).rejects.toBeInstanceOf(VenueUnavailableError);
    d.faults.rateLimitNext = 0;
    expect(d.attemptsOf(hyperliquidCloid(req.clientOrderId))).toBe(0);
    expect(v.counters.rateLimitBackoffs).toBeGreaterThan(2);
  });

  it('a 500 on the order action is unavailable with nothing placed; a later placement fills', async () => {
    const v = await open();
    d.faults.serverErrorNextOrders = 1;
    const req = order();
    await expect(v.placeIoc(req)).rejects.toBeInstanceOf(VenueUnavailableError);
    expect(await v.lookup(req.clientOrderId)).toEqual({ status: 'unknown' });
    expect((await v.placeIoc(req)).status).toBe('filled');
  });

  it('an answer slower than the timeout is an unknown outcome, settled by lookup, never re-sent', async () => {
    const v = await open({ timeoutMs: 300 });
    d.faults.answerDelayMs = 700;
    const req = order({ sizeBtc: 0.2 });
    await expect(v.placeIoc(req)).rejects.toBeInstanceOf(VenueTimeoutError);
    d.faults.answerDelayMs = 0;
    const truth = await v.lookup(req.clientOrderId);
    expect(truth).toMatchObject({ status: 'filled', filledBtc: 0.2 });
    expect(await v.placeIoc(req)).toEqual(truth);
    expect(d.attemptsOf(hyperliquidCloid(req.clientOrderId))).toBe(1);
    // The delayed answer finds its connection gone (ccxt aborted it at the timeout).
    for (const deadline = Date.now() + 3_000; d.lostAnswers === 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    expect(d.lostAnswers).toBe(1);
  });

  it('a cloid the venue holds but does not show yet is an unknown outcome, then the record settles it', async () => {
    const v = await open();
    const req = order();
    const cloid = hyperliquidCloid(req.clientOrderId);
    d.faults.hangCloids.push(cloid);
    d.faults.hideStatusCloids.push(cloid);
    await expect(v.placeIoc(req)).rejects.toBeInstanceOf(VenueTimeoutError);
    d.faults.hangCloids = [];
    // The record lags: the lookup says never seen, so the id is placed again and the venue refuses the duplicate.
    await expect(v.placeIoc(req)).rejects.toBeInstanceOf(VenueTimeoutError);
    expect(d.attemptsOf(cloid)).toBe(2);
    d.faults.hideStatusCloids = [];
    expect(await v.lookup(req.clientOrderId)).toMatchObject({ status: 'filled', filledBtc: 0.1 });
    expect(d.state.positionSzi).toBe(0.1);
  });

  it('takes fill prices and fees from the trade history (the order lookup has no average price)', async () => {
    const v = await open();
    const s = await v.placeIoc(order({ sizeBtc: 0.9, limitPriceUsd: 31_000 })) as Extract<OrderStatus, { status: 'filled' }>;
    const fills = d.state.fills.filter((f) => f.cloid === hyperliquidCloid(`hl-${process.pid}-${seq}`));
    expect(fills.length).toBe(2);
    const notional = fills.reduce((n, f) => n + Number(f.px) * Number(f.sz), 0);
    expect(s.avgPriceUsd).toBeCloseTo(notional / 0.9, 9);
    expect(s.feeUsd).toBeCloseTo(fills.reduce((n, f) => n + Number(f.fee), 0), 9);
    expect(s.updatedAt).toBe(Math.max(...fills.map((f) => f.time)));
  });

  it('never shows the private key in errors, reasons or when printed', async () => {
    const v = await open();
    const req = order();
    d.faults.rejectCloids[hyperliquidCloid(req.clientOrderId)] = `Signer ${creds.privateKey} is not authorised`;
    const r = await v.placeIoc(req);
    d.faults.outage = true;
    const err = await v.position(HL_SYMBOL).catch((e: unknown) => e);
    const text = [JSON.stringify(r), String(err), JSON.stringify(v), inspect(v, { depth: 5 })].join('\n');
    expect(text).not.toContain(creds.privateKey.slice(2));
    expect(r).toMatchObject({ status: 'rejected', reason: expect.stringContaining('[redacted]') });
  });
});
