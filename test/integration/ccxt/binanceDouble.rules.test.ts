// Binance's order rules in the USDS-M double, as the real ccxt binanceusdm meets them: min
// notional, tick, scale, price band, reduce-only, duplicate client ids and Query Order's horizon,
// with the ccxt error class each answer becomes (with urls.api overridden, and with ccxt's linear
// exception table restored).
import { BadRequest, ExchangeError, InvalidOrder, OrderNotFound } from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, REF_USD, startDoubleWithCcxt, SYMBOL, type DoubleAndCcxt } from './binanceDoubleHarness.ts';

let t: DoubleAndCcxt;
afterEach(async () => {
  await t.double.close();
});

const ioc = (clientOrderId: string, side: 'buy' | 'sell', amount: number, price: number, extra: Record<string, unknown> = {}) =>
  t.ex.createOrder(SYMBOL, 'limit', side, amount, price, { timeInForce: 'IOC', clientOrderId, ...extra });

describe("Binance USDS-M double: Binance's rejections and their ccxt classes", () => {
  it('min notional -4164, tick -4014, scale -1111, price band -4024, with urls.api overridden', async () => {
    t = await startDoubleWithCcxt();
    await t.ex.loadMarkets();
    // Below 100 USDT: -4164. ccxt maps it (InvalidOrder) only for fapi.binance.com URLs; overridden, it is a plain ExchangeError.
    const notional = await errorOf(ioc('rule-1', 'buy', 0.003, REF_USD));
    expect(notional.message).toContain(`{"code":-4164,"msg":"Order's notional must be no smaller than 100 (unless you choose reduce only)."}`);
    expect(notional).toBeInstanceOf(ExchangeError);
    expect(notional).not.toBeInstanceOf(InvalidOrder);
    const raw = (price: string, quantity = '0.01') => t.ex.fapiPrivatePostOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity, price, newClientOrderId: 'raw-1' });
    const tick = await errorOf(raw('30000.05'));
    expect(tick).toBeInstanceOf(BadRequest);
    expect(tick.message).toContain('"code":-4014');
    expect((await errorOf(raw('30000.123'))).message).toContain('"code":-1111');
    expect((await errorOf(raw('30000.1', '0.0101'))).message).toContain('"code":-1111');
    expect((await errorOf(raw('30000.1', '0'))).message).toContain('"code":-4003');
    expect((await errorOf(raw('27000'))).message).toContain('"code":-4024');
    expect((await t.double.booked())['raw-1']).toBeUndefined();
  });

  it('with the linear exception table copied over the common one, -4164 and -2022 become InvalidOrder, -2019 InsufficientFunds', async () => {
    t = await startDoubleWithCcxt({ initialWalletUsdt: 200 });
    const linear = (t.ex.exceptions as { linear: { exact: Record<string, unknown> }; exact: Record<string, unknown> });
    Object.assign(linear.exact, linear.linear.exact);
    expect(await errorOf(ioc('lin-1', 'buy', 0.003, REF_USD))).toBeInstanceOf(InvalidOrder);
    expect(await errorOf(ioc('lin-2', 'sell', 0.01, REF_USD * 0.98, { reduceOnly: true }))).toBeInstanceOf(InvalidOrder);
    const margin = await errorOf(ioc('lin-3', 'buy', 0.5, REF_USD * 1.02));
    expect(margin.constructor.name).toBe('InsufficientFunds');
    expect(margin.message).toContain('{"code":-2019,"msg":"Margin is insufficient."}');
  });

  it('reduce-only never grows a position: flat or same side, or a limit larger than the position, is -2022', async () => {
    t = await startDoubleWithCcxt();
    expect((await errorOf(ioc('ro-1', 'sell', 0.1, REF_USD * 0.98, { reduceOnly: true }))).message).toContain('{"code":-2022,"msg":"ReduceOnly Order is rejected."}');
    await ioc('ro-2', 'buy', 0.3, REF_USD * 1.02);
    expect((await errorOf(ioc('ro-3', 'buy', 0.1, REF_USD * 1.02, { reduceOnly: true }))).message).toContain('"code":-2022');
    expect((await errorOf(ioc('ro-4', 'sell', 0.8, REF_USD * 0.98, { reduceOnly: true }))).message).toContain('"code":-2022');
    // A reduce-only MARKET order larger than the position closes it and no more.
    const market = await t.ex.createOrder(SYMBOL, 'market', 'sell', 0.8, undefined, { reduceOnly: true, clientOrderId: 'ro-5' });
    expect(market).toMatchObject({ status: 'expired', filled: 0.3 });
    expect(await t.double.positionBtc()).toBe(0);
  });

  it('a newClientOrderId of an open order is -4116; a closed IOC id is accepted again as a new order (ids are unique among open orders only)', async () => {
    t = await startDoubleWithCcxt();
    await t.ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, REF_USD * 0.99, { clientOrderId: 'dup-open' });
    const dup = await errorOf(t.ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, REF_USD * 0.99, { clientOrderId: 'dup-open' }));
    expect(dup.message).toContain('{"code":-4116,"msg":"ClientOrderId is duplicated."}');
    await ioc('dup-ioc', 'buy', 0.1, REF_USD * 1.02);
    await ioc('dup-ioc', 'buy', 0.1, REF_USD * 1.02);
    expect(await t.double.attempts()).toMatchObject({ 'dup-open': 2, 'dup-ioc': 2 });
    expect(await t.double.booked()).toMatchObject({ 'dup-open': 1, 'dup-ioc': 2 });
    expect(await t.double.positionBtc()).toBeCloseTo(0.2, 10);
  });

  it("with duplicateClientOrderIds 'all-orders' a closed order's id is refused too", async () => {
    t = await startDoubleWithCcxt({ duplicateClientOrderIds: 'all-orders' });
    await ioc('strict-1', 'buy', 0.1, REF_USD * 1.02);
    expect((await errorOf(ioc('strict-1', 'buy', 0.1, REF_USD * 1.02))).message).toContain('"code":-4116');
    expect(await t.double.booked()).toEqual({ 'strict-1': 1 });
  });

  it('Query Order horizon: an unfilled expired order is gone after 3 days, a filled one after 90', async () => {
    t = await startDoubleWithCcxt();
    await ioc('old-empty', 'buy', 0.1, REF_USD * 0.999);
    await ioc('old-filled', 'buy', 0.1, REF_USD * 1.02);
    const day = 86_400_000;
    await t.double.advanceClock(3 * day - 60_000);
    expect((await t.ex.fetchOrder('', SYMBOL, { clientOrderId: 'old-empty' })).status).toBe('expired');
    await t.double.advanceClock(120_000);
    expect(await errorOf(t.ex.fetchOrder('', SYMBOL, { clientOrderId: 'old-empty' }))).toBeInstanceOf(OrderNotFound);
    expect((await t.ex.fetchOrder('', SYMBOL, { clientOrderId: 'old-filled' })).status).toBe('closed');
    await t.double.advanceClock(88 * day);
    expect(await errorOf(t.ex.fetchOrder('', SYMBOL, { clientOrderId: 'old-filled' }))).toBeInstanceOf(OrderNotFound);
  });
});
