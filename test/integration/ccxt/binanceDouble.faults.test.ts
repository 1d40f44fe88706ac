// Faults of the Binance USDS-M double as the real ccxt binanceusdm sees them: rate limits,
// 5xx (before and after booking), timeouts after booking, outages before anything is booked,
// answer delays, restarts on the kept state, and the attempt counts that expose a resend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DDoSProtection, ExchangeError, ExchangeNotAvailable, NetworkError, OperationFailed, RateLimitExceeded, RequestTimeout } from 'ccxt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BinanceUsdmDouble } from '../../fixtures/ccxt/binance/binanceUsdmDouble.ts';
import { ccxtBinanceUsdm } from '../../fixtures/ccxt/binance/ccxtBinanceUsdm.ts';
import { errorOf, REF_USD, startDoubleWithCcxt, SYMBOL, type DoubleAndCcxt } from './binanceDoubleHarness.ts';

const dir = mkdtempSync(join(tmpdir(), 'binance-double-'));
let t: DoubleAndCcxt;
afterEach(async () => {
  await t.double.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const buy = (clientOrderId: string, amount = 0.1) =>
  t.ex.createOrder(SYMBOL, 'limit', 'buy', amount, REF_USD * 1.02, { timeInForce: 'IOC', clientOrderId });
const lookup = (clientOrderId: string) => t.ex.fetchOrder('', SYMBOL, { origClientOrderId: clientOrderId });

describe('Binance USDS-M double: rate limits', () => {
  it('a 429 (-1003) and a 418 ban become DDoSProtection, not RateLimitExceeded, and carry Retry-After; nothing is booked', async () => {
    t = await startDoubleWithCcxt();
    await t.ex.loadMarkets();
    await t.double.scriptRateLimit({ method: 'POST', path: '/fapi/v1/order', retryAfterSec: 7 });
    const e429 = await errorOf(buy('rl-1'));
    expect(e429).toBeInstanceOf(DDoSProtection);
    expect(e429).toBeInstanceOf(NetworkError);
    expect(e429).not.toBeInstanceOf(RateLimitExceeded);
    expect(e429.message).toContain('429');
    expect(e429.message).toContain('"code":-1003');
    expect((t.ex.last_response_headers as Record<string, string>)['Retry-After']).toBe('7');
    await t.double.scriptRateLimit({ status: 418, kind: 'weight' });
    const e418 = await errorOf(lookup('rl-1'));
    expect(e418).toBeInstanceOf(DDoSProtection);
    expect(e418.message).toMatch(/418 .*banned until \d+/);
    await t.double.scriptRateLimit({ method: 'POST', kind: 'orders' });
    expect((await errorOf(buy('rl-1'))).message).toContain('"code":-1015');
    expect(await t.double.attempts()).toEqual({ 'rl-1': 2 });
    expect(await t.double.booked()).toEqual({});
  });

  it('breaking the request-weight limit answers 429 until the minute frees up', async () => {
    t = await startDoubleWithCcxt({ weightLimitPerMinute: 12 });
    await t.ex.loadMarkets(); // 10 + 1 + 1 weight
    const err = await errorOf(t.ex.fetchPositions([SYMBOL]));
    expect(err).toBeInstanceOf(DDoSProtection);
    expect(Number((t.ex.last_response_headers as Record<string, string>)['Retry-After'])).toBeGreaterThan(0);
  });
});

describe('Binance USDS-M double: 5xx, timeouts, outages', () => {
  it("503 'Unknown error' after booking becomes ExchangeNotAvailable although the order exists; before booking nothing exists", async () => {
    t = await startDoubleWithCcxt();
    await t.ex.loadMarkets();
    await t.double.scriptServerError({ method: 'POST', path: '/fapi/v1/order', body: 'unknown', booked: true });
    const err = await errorOf(buy('u-1'));
    expect(err).toBeInstanceOf(ExchangeNotAvailable);
    expect(err.message).toContain('Unknown error, please check your request or try again later.');
    expect(await lookup('u-1')).toMatchObject({ status: 'closed', filled: 0.1 });
    await t.double.scriptServerError({ method: 'POST', path: '/fapi/v1/order', status: 500, text: '<html><body>Internal Server Error</body></html>' });
    expect(await errorOf(buy('u-2'))).toBeInstanceOf(ExchangeNotAvailable);
    expect(await t.double.booked()).toEqual({ 'u-1': 1 });
  });

  it('a 503 whose body carries a code is mapped by the code: -1001 OperationFailed (not a NetworkError), -1008 ExchangeError', async () => {
    t = await startDoubleWithCcxt();
    await t.ex.loadMarkets();
    await t.double.scriptServerError({ method: 'POST', body: 'serviceUnavailable' });
    const e1001 = await errorOf(buy('c-1'));
    expect(e1001).toBeInstanceOf(OperationFailed);
    expect(e1001).not.toBeInstanceOf(NetworkError);
    await t.double.scriptServerError({ method: 'POST', body: 'throttled' });
    const e1008 = await errorOf(buy('c-1'));
    expect(e1008).toBeInstanceOf(ExchangeError);
    expect(e1008.message).toContain('"code":-1008');
    expect(await t.double.booked()).toEqual({});
  });

  it('a timeout after booking: ccxt gives up with RequestTimeout, the order is booked and found by its client id', async () => {
    t = await startDoubleWithCcxt({}, { timeoutMs: 300 });
    await t.ex.loadMarkets();
    await t.double.scriptTimeout('to-1');
    const started = Date.now();
    expect(await errorOf(buy('to-1', 0.2))).toBeInstanceOf(RequestTimeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await lookup('to-1')).toMatchObject({ status: 'closed', filled: 0.2 });
    const held = (await t.double.requests()).find((r) => r.method === 'POST')!;
    expect(held.status).toBe(0);
    expect(await t.double.positionBtc()).toBeCloseTo(0.2, 10);
  });

  it('an answer delay longer than the client timeout: RequestTimeout, order booked', async () => {
    t = await startDoubleWithCcxt({}, { timeoutMs: 150 });
    await t.ex.loadMarkets();
    await t.double.setAnswerDelay(400);
    expect(await errorOf(buy('slow-1'))).toBeInstanceOf(RequestTimeout);
    await t.double.setAnswerDelay(0);
    expect((await lookup('slow-1')).status).toBe('closed');
  });

  it('an answer delay for orders only: lookups answer at once; stats count the answer lost to the timed-out connection and the position reads', async () => {
    t = await startDoubleWithCcxt({}, { timeoutMs: 150 });
    await t.ex.loadMarkets();
    await t.double.setAnswerDelay(400, { method: 'POST', path: '/fapi/v1/order' });
    expect(await errorOf(buy('slow-2'))).toBeInstanceOf(RequestTimeout);
    expect((await lookup('slow-2')).status).toBe('closed');
    expect((await t.ex.fetchPositions([SYMBOL]))[0]).toMatchObject({ side: 'long', contracts: 0.1 });
    // The held answer falls due 400 ms after the order, on a connection the client closed at 150 ms.
    for (const end = Date.now() + 2_000; (await t.double.stats()).lostAnswers === 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
    expect(await t.double.stats()).toEqual({ requests: (await t.double.requests()).length, positionReads: 1, lostAnswers: 1 });
  });

  it.each([
    ['refuse', /fetch failed: connect ECONNREFUSED/],
    ['reset', /fetch failed: (other side closed|socket hang up)/],
  ] as const)("an outage ('%s') is a NetworkError before anything reaches the venue; after it, orders go through", async (mode, text) => {
    t = await startDoubleWithCcxt();
    await t.ex.loadMarkets();
    await t.double.startOutage(mode);
    const err = await errorOf(buy('out-1'));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).not.toBeInstanceOf(ExchangeNotAvailable);
    expect(err.message).toMatch(text);
    await t.double.endOutage();
    expect(await t.double.attempts()).toEqual({});
    expect((await buy('out-1')).status).toBe('closed');
    expect(await t.double.booked()).toEqual({ 'out-1': 1 });
  });

  it('a scripted rejection refuses every attempt with that id with its reason, nothing booked', async () => {
    t = await startDoubleWithCcxt();
    await t.ex.loadMarkets();
    await t.double.scriptReject('rej-1');
    for (let i = 0; i < 2; i++) expect((await errorOf(buy('rej-1'))).message).toContain('{"code":-2019,"msg":"Margin is insufficient."}');
    expect(await errorOf(lookup('rej-1'))).toBeInstanceOf(ExchangeError);
    expect(await t.double.attempts()).toEqual({ 'rej-1': 2 });
    expect(await t.double.booked()).toEqual({});
  });
});

describe('Binance USDS-M double: restarts keep the state', () => {
  it('restart() drops connections, reloads the JSON state and answers on the same URL', async () => {
    t = await startDoubleWithCcxt({ statePath: join(dir, 'restart.json') });
    await t.ex.loadMarkets();
    const a = await buy('keep-1', 0.4);
    await t.ex.createOrder(SYMBOL, 'limit', 'sell', 0.1, REF_USD * 1.01, { clientOrderId: 'keep-2' });
    const url = t.double.url;
    await t.double.restart();
    expect(t.double.url).toBe(url);
    expect(await lookup('keep-1')).toMatchObject({ id: a.id, status: 'closed', filled: 0.4 });
    expect((await t.ex.fetchOpenOrders(SYMBOL)).map((o) => o.clientOrderId)).toEqual(['keep-2']);
    expect((await t.ex.fetchPositions([SYMBOL]))[0]).toMatchObject({ contracts: 0.4, side: 'long' });
    expect(await t.double.booked()).toEqual({ 'keep-1': 1, 'keep-2': 1 });
  });

  it('a new double on the same state file (a restarted process) knows every order, trade and attempt', async () => {
    const statePath = join(dir, 'reopen.json');
    t = await startDoubleWithCcxt({ statePath });
    await t.ex.loadMarkets();
    await t.double.scriptTimeout('lost-1');
    t.ex.timeout = 200;
    expect(await errorOf(buy('lost-1', 0.3))).toBeInstanceOf(RequestTimeout);
    const before = t.double.snapshot();
    await t.double.close();
    t.double = await BinanceUsdmDouble.start({ statePath });
    expect(t.double.snapshot()).toEqual(before);
    const ex = ccxtBinanceUsdm(t.double.url, { apiKey: t.double.config.apiKey, secret: t.double.config.secret });
    expect(await ex.fetchOrder('', SYMBOL, { origClientOrderId: 'lost-1' })).toMatchObject({ status: 'closed', filled: 0.3 });
    expect(await ex.fetchMyTrades(SYMBOL)).toHaveLength(2);
    expect(await t.double.attempts()).toEqual({ 'lost-1': 1 });
  });
});
