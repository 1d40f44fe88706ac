// The Binance USDS-M double driven by the real ccxt 4.5.84 binanceusdm (credentials set, urls.api
// pointed at the double): markets, IOC and GTC orders, lookups by client order id, trades,
// positions and balance (Binance's rule rejections: binanceDouble.rules.test.ts).
import { AuthenticationError, InvalidNonce, NetworkError, NotSupported, OrderNotFound, binanceusdm } from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { contractControls, contractDoubleConfig } from '../../fixtures/ccxt/binance/binanceContractSetup.ts';
import { ccxtBinanceUsdm, pointUrlsAt } from '../../fixtures/ccxt/binance/ccxtBinanceUsdm.ts';
import { errorOf, REF_USD, startDoubleWithCcxt, SYMBOL, type DoubleAndCcxt } from './binanceDoubleHarness.ts';

let t: DoubleAndCcxt;
afterEach(async () => {
  await t.double.close();
});

const ioc = (clientOrderId: string, side: 'buy' | 'sell', amount: number, price: number, extra: Record<string, unknown> = {}) =>
  t.ex.createOrder(SYMBOL, 'limit', side, amount, price, { timeInForce: 'IOC', clientOrderId, ...extra });

describe('Binance USDS-M double: markets and URLs', () => {
  it('loadMarkets reads BTCUSDT: linear swap, contract size 1, tick 0.1, step and min qty 0.001, min notional 100', async () => {
    t = await startDoubleWithCcxt();
    await t.ex.loadMarkets();
    const m = t.ex.market(SYMBOL);
    expect(m).toMatchObject({ id: 'BTCUSDT', swap: true, linear: true, contract: true, contractSize: 1, settle: 'USDT', taker: 0.0005 });
    expect(m.precision).toMatchObject({ amount: 0.001, price: 0.1 });
    expect(m.limits.amount).toMatchObject({ min: 0.001, max: 1000 });
    expect(m.limits.cost?.min).toBe(100);
    // With credentials outside sandbox/demo mode, loadMarkets also asks the spot wallet (sapi) for coins.
    const paths = (await t.double.requests()).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(['GET /sapi/v1/capital/config/getall', 'GET /sapi/v1/margin/allPairs', 'GET /fapi/v1/exchangeInfo']);
    const quiet = ccxtBinanceUsdm(t.double.url, { apiKey: t.double.config.apiKey, secret: t.double.config.secret });
    quiet.options.fetchCurrencies = false;
    await quiet.loadMarkets();
    expect((await t.double.requests()).slice(3).map((r) => r.path)).toEqual(['/fapi/v1/exchangeInfo']);
  });

  it('sandbox and demo modes work once urls.api is overridden after them; an override before setSandboxMode is lost', async () => {
    t = await startDoubleWithCcxt({}, { sandbox: true });
    await t.ex.loadMarkets();
    expect((await ioc('sbx-1', 'buy', 0.01, REF_USD * 1.01)).status).toBe('closed');
    const demo = ccxtBinanceUsdm(t.double.url, { apiKey: t.double.config.apiKey, secret: t.double.config.secret, demo: true });
    await demo.loadMarkets();
    expect((await demo.fetchOrder('', SYMBOL, { clientOrderId: 'sbx-1' })).filled).toBe(0.01);
    expect((await t.double.requests()).map((r) => r.path)).not.toContain('/sapi/v1/capital/config/getall');
    // Overriding first: setSandboxMode copies urls.test over urls.api, and ccxt refuses the old futures testnet.
    const wrongOrder = new binanceusdm({ apiKey: 'k', secret: 's' });
    pointUrlsAt(wrongOrder.urls.api, t.double.url);
    wrongOrder.setSandboxMode(true);
    expect((wrongOrder.urls.api as Record<string, string>).fapiPrivate).toBe('https://testnet.binancefuture.com/fapi/v1');
    expect(() => wrongOrder.sign('order', 'fapiPrivate', 'POST', {})).toThrow(NotSupported);
  });

  it('verifies ccxt signs: a wrong secret is refused with -1022 (AuthenticationError)', async () => {
    t = await startDoubleWithCcxt();
    const wrong = ccxtBinanceUsdm(t.double.url, { apiKey: t.double.config.apiKey, secret: 'not-the-secret' });
    // loadMarkets already signs (the sapi coin list), so bad credentials fail there.
    const err = await errorOf(wrong.loadMarkets());
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toContain('"code":-1022');
    // A clock 20 s behind (ccxt's recvWindow is 10 s): -1021, which ccxt calls InvalidNonce, a NetworkError.
    const late = ccxtBinanceUsdm(t.double.url, { apiKey: t.double.config.apiKey, secret: t.double.config.secret });
    late.options.timeDifference = 20_000;
    const stale = await errorOf(late.loadMarkets());
    expect(stale).toBeInstanceOf(InvalidNonce);
    expect(stale).toBeInstanceOf(NetworkError);
    expect(stale.message).toContain('{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}');
  });
});

describe('Binance USDS-M double: orders through ccxt', () => {
  it('createOrder IOC limit echoes the client order id, fills from the ladder and reports RESULT fields', async () => {
    t = await startDoubleWithCcxt();
    const o = await ioc('vault-1', 'buy', 0.5, REF_USD * 1.02);
    expect(o).toMatchObject({ clientOrderId: 'vault-1', status: 'closed', filled: 0.5, amount: 0.5, side: 'buy', type: 'limit', timeInForce: 'IOC', reduceOnly: false });
    expect(o.average).toBeGreaterThan(REF_USD);
    expect(o.cost).toBeCloseTo(o.average! * 0.5, 4);
    const sent = (await t.double.requests()).find((r) => r.method === 'POST')!;
    expect(sent.params).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', newClientOrderId: 'vault-1', newOrderRespType: 'RESULT', quantity: '0.5', price: '30600' });
    const reduce = await ioc('vault-2', 'sell', 0.2, REF_USD * 0.98, { reduceOnly: true });
    expect(reduce).toMatchObject({ status: 'closed', filled: 0.2, reduceOnly: true });
    expect(await t.double.positionBtc()).toBeCloseTo(0.3, 10);
  });

  it('newOrderRespType ACK (the raw API default; ccxt always asks RESULT for linear) answers an executed IOC as NEW, nothing filled', async () => {
    t = await startDoubleWithCcxt();
    const ack = await t.ex.fapiPrivatePostOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.1', price: '30600', newClientOrderId: 'ack-1', newOrderRespType: 'ACK' });
    expect(ack).toMatchObject({ status: 'NEW', executedQty: '0.000', clientOrderId: 'ack-1' });
    expect(await t.ex.fetchOrder('', SYMBOL, { origClientOrderId: 'ack-1' })).toMatchObject({ status: 'closed', filled: 0.1 });
  });

  it('fetchOrder by origClientOrderId finds known ids; an unknown id is -2013 "Order does not exist." (OrderNotFound)', async () => {
    t = await startDoubleWithCcxt();
    const placed = await ioc('vault-7', 'sell', 0.1, REF_USD * 0.98);
    const byClientId = await t.ex.fetchOrder('', SYMBOL, { origClientOrderId: 'vault-7' });
    expect(byClientId).toMatchObject({ id: placed.id, clientOrderId: 'vault-7', status: 'closed', filled: 0.1 });
    expect((await t.ex.fetchOrder(placed.id!, SYMBOL)).clientOrderId).toBe('vault-7');
    const err = await errorOf(t.ex.fetchOrder('', SYMBOL, { origClientOrderId: 'never-placed-1' }));
    expect(err).toBeInstanceOf(OrderNotFound);
    expect(err.message).toContain('{"code":-2013,"msg":"Order does not exist."}');
  });

  it('a partial IOC fill expires the remainder (EXPIRED -> "expired"); an IOC the book cannot meet expires empty', async () => {
    t = await startDoubleWithCcxt({ depth: { depthBtcPerLevel: 0.25, levels: 4 } });
    const big = await ioc('big-1', 'buy', 2, REF_USD * 1.02);
    expect(big).toMatchObject({ status: 'expired', filled: 1, remaining: 1 });
    expect(big.info.status).toBe('EXPIRED');
    const trades = await t.ex.fetchMyTrades(SYMBOL);
    expect(trades.map((x) => x.amount)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(trades.reduce((n, x) => n + x.cost!, 0)).toBeCloseTo(big.cost!, 6);
    const none = await ioc('far-1', 'buy', 0.1, REF_USD * 0.999);
    expect(none).toMatchObject({ status: 'expired', filled: 0 });
  });

  it('a GTC remainder rests (PARTIALLY_FILLED -> "open"), fills as maker when the market comes to it, and cancels', async () => {
    t = await startDoubleWithCcxt();
    const gtc = await t.ex.createOrder(SYMBOL, 'limit', 'buy', 1.5, REF_USD * 1.01, { clientOrderId: 'rest-1' });
    expect(gtc).toMatchObject({ status: 'open', filled: 1, timeInForce: 'GTC' });
    expect((await t.ex.fetchOpenOrders(SYMBOL)).map((o) => o.clientOrderId)).toEqual(['rest-1']);
    await t.double.setReferencePrice(REF_USD * 0.99);
    const done = await t.ex.fetchOrder('', SYMBOL, { clientOrderId: 'rest-1' });
    expect(done).toMatchObject({ status: 'closed', filled: 1.5 });
    const maker = (await t.ex.fetchMyTrades(SYMBOL)).filter((x) => x.takerOrMaker === 'maker');
    expect(maker.map((x) => [x.amount, x.price])).toEqual([[0.5, 30300]]);
    const resting = await t.ex.createOrder(SYMBOL, 'limit', 'sell', 0.1, REF_USD, { clientOrderId: 'rest-2' });
    expect(resting.status).toBe('open');
    expect((await t.ex.cancelOrder('', SYMBOL, { origClientOrderId: 'rest-2' })).status).toBe('canceled');
    expect(await errorOf(t.ex.cancelOrder('', SYMBOL, { origClientOrderId: 'rest-2' }))).toBeInstanceOf(OrderNotFound);
  });

  it('fetchMyTrades since a time, and from a trade id, carries orderId, side, price, qty, commission and realizedPnl', async () => {
    t = await startDoubleWithCcxt();
    const a = await ioc('tr-1', 'buy', 0.3, REF_USD * 1.02);
    const since = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    const b = await ioc('tr-2', 'sell', 0.3, REF_USD * 0.98);
    const all = await t.ex.fetchMyTrades(SYMBOL);
    expect(all.map((x) => x.order)).toEqual([a.id, a.id, b.id, b.id]);
    const later = await t.ex.fetchMyTrades(SYMBOL, since);
    expect(later.map((x) => x.order)).toEqual([b.id, b.id]);
    expect((await t.double.requests()).filter((r) => r.path === '/fapi/v1/userTrades')[1]!.params.startTime).toBe(String(since));
    const first = later[0]!;
    expect(first).toMatchObject({ side: 'sell', symbol: SYMBOL, takerOrMaker: 'taker', fee: { currency: 'USDT' } });
    expect(first.fee!.cost).toBeCloseTo(first.cost! * 0.0005, 8);
    expect(Number(first.info.realizedPnl)).toBeLessThan(0);
    const fromId = await t.ex.fetchMyTrades(SYMBOL, undefined, undefined, { fromId: first.id });
    expect(fromId.map((x) => x.id)).toEqual(later.map((x) => x.id));
    const bad = await errorOf(t.ex.fetchMyTrades(SYMBOL, since, undefined, { fromId: first.id }));
    expect(bad.message).toContain('"code":-1128');
  });

  it('fetchPositions (positionRisk v3 and account v3), fetchBalance and market data', async () => {
    t = await startDoubleWithCcxt();
    expect(await t.ex.fetchPositions([SYMBOL])).toEqual([]);
    const o = await ioc('pos-1', 'sell', 0.4, REF_USD * 0.98);
    const [p] = await t.ex.fetchPositions([SYMBOL]);
    expect(p).toMatchObject({ symbol: SYMBOL, side: 'short', contracts: 0.4, contractSize: 1, entryPrice: o.average, markPrice: REF_USD, marginMode: 'cross', hedged: false });
    const [viaAccount] = await t.ex.fetchPositions([SYMBOL], { method: 'account' });
    expect(viaAccount).toMatchObject({ symbol: SYMBOL, contracts: 0.4 });
    const [viaV2] = await t.ex.fetchPositions([SYMBOL], { useV2: true });
    expect(viaV2).toMatchObject({ symbol: SYMBOL, side: 'short', contracts: 0.4, leverage: 20 });
    expect((await t.ex.fetchBalance({ useV2: true })).USDT!.used).toBeCloseTo((0.4 * REF_USD) / 20, 6);
    expect((await t.double.requests()).map((r) => r.path)).toEqual(expect.arrayContaining(['/fapi/v3/account', '/fapi/v2/positionRisk', '/fapi/v2/account']));
    const bal = await t.ex.fetchBalance();
    expect(bal.USDT!.free).toBeCloseTo(Number((await t.ex.fapiPrivateV3GetAccount()).availableBalance), 6);
    expect(bal.USDT!.used).toBeCloseTo((0.4 * REF_USD) / 20, 6);
    expect(bal.USDT!.total).toBeLessThan(100_000);
    expect((await t.ex.fetchMarkPrice(SYMBOL)).markPrice).toBe(REF_USD);
    expect((await t.ex.fetchFundingRate(SYMBOL)).fundingRate).toBe(0.0001);
    // The account's rate is commissionRate (fetchTradingFee); fetchTradingFees reads accountConfig's
    // feeTier into ccxt's static tier table, whose tier 0 says 0.0004.
    expect(await t.ex.fetchTradingFee(SYMBOL)).toMatchObject({ taker: 0.0005, maker: 0.0002 });
    expect((await t.ex.fetchTradingFees())[SYMBOL]).toMatchObject({ taker: 0.0004, maker: 0.0002 });
    const lastTrade = (await t.ex.fetchMyTrades(SYMBOL)).at(-1)!;
    expect((await t.ex.fetchTicker(SYMBOL)).last).toBe(lastTrade.price);
  });
});

describe('Binance USDS-M double: set up for the HedgeVenue contract suite', () => {
  it("holds depthBtc within 2%, lets a 0.9x buy expire unfilled, and maps the suite's controls onto venue ids", async () => {
    t = await startDoubleWithCcxt(contractDoubleConfig({ depthBtc: 1 }));
    const controls = contractControls(t.double, (id) => `bn-${id}`);
    await controls.setReferencePrice(REF_USD, 0);
    expect(await ioc('bn-big', 'buy', 2, REF_USD * 1.02)).toMatchObject({ status: 'expired', filled: 1 });
    expect(await ioc('bn-far', 'buy', 0.5, REF_USD * 0.9)).toMatchObject({ status: 'expired', filled: 0 });
    await controls.scriptReject('vault-9');
    expect((await errorOf(ioc('bn-vault-9', 'buy', 0.5, REF_USD * 1.02))).message).toContain('"code":-2019');
    await controls.startOutage(0, 1);
    expect((await errorOf(ioc('bn-vault-10', 'buy', 0.5, REF_USD * 1.02))).message).toContain('ECONNREFUSED');
    await controls.endOutage();
    expect(await t.double.booked()).toEqual({ 'bn-big': 1, 'bn-far': 1 });
  });
});
