import { ExchangeNotAvailable, InsufficientFunds, InvalidOrder, NetworkError, OrderNotFound, RateLimitExceeded, RequestTimeout, AuthenticationError, DDoSProtection, BadSymbol } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { classify, venueText } from '../../../../src/venues/ccxt/ccxtErrors.ts';
import { redactor, replaceBaseUrls } from '../../../../src/venues/ccxt/ccxtTransport.ts';

describe('ccxt errors', () => {
  it('sorts ccxt classes into what the adapter does', () => {
    expect([
      new OrderNotFound('x'), new RateLimitExceeded('x'), new DDoSProtection('x'), new ExchangeNotAvailable('x'), new RequestTimeout('x'),
      new NetworkError('x'), new InvalidOrder('x'), new InsufficientFunds('x'), new AuthenticationError('x'), new BadSymbol('x'), new Error('x'),
    ].map(classify)).toEqual(['notFound', 'rateLimited', 'rateLimited', 'unavailable', 'unknown', 'unknown', 'refused', 'refused', 'auth', 'bug', 'bug']);
  });
  it('a refused connection or an unknown host is unreachable (nothing sent); a reset one is unknown', () => {
    expect(classify(new NetworkError('binanceusdm GET http://127.0.0.1:9/fapi/v1/order fetch failed: connect ECONNREFUSED 127.0.0.1:9'))).toBe('unreachable');
    expect(classify(new NetworkError('hyperliquid POST https://api.example/info fetch failed: getaddrinfo ENOTFOUND api.example'))).toBe('unreachable');
    expect(classify(new NetworkError('binanceusdm POST http://127.0.0.1:9/fapi/v1/order fetch failed: other side closed'))).toBe('unknown');
  });
  it('finds the venue\'s words in what ccxt throws (Hyperliquid and Binance bodies)', () => {
    expect(venueText(new InvalidOrder('hyperliquid {"status":"ok","response":{"type":"order","data":{"statuses":[{"error":"Order must have minimum value of $10. asset=0"}]}}}')))
      .toBe('Order must have minimum value of $10. asset=0');
    expect(venueText(new InvalidOrder('hyperliquid {"status":"err","response":"User or API Wallet 0xb8 does not exist."}'))).toBe('User or API Wallet 0xb8 does not exist.');
    expect(venueText(new InvalidOrder('binanceusdm {"code":-4164,"msg":"Order\'s notional must be no smaller than 100 (unless you choose reduce only)."}')))
      .toBe('Order\'s notional must be no smaller than 100 (unless you choose reduce only). (code -4164)');
    expect(venueText(new RequestTimeout('binanceusdm GET https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&signature=abc request timed out (10000 ms)')))
      .toBe('binanceusdm GET <url> request timed out (10000 ms)');
  });
});

describe('transport helpers', () => {
  it('points every REST base URL at apiUrl, keeping paths; websockets follow over ws://', () => {
    expect(replaceBaseUrls({ public: 'https://api.{hostname}', ws: { public: 'wss://api.hyperliquid-testnet.xyz/ws' } }, 'http://127.0.0.1:7071', 'hyperliquid.xyz'))
      .toEqual({ public: 'http://127.0.0.1:7071', ws: { public: 'ws://127.0.0.1:7071/ws' } });
    expect(replaceBaseUrls({ fapiPrivate: 'https://testnet.binancefuture.com/fapi/v1' }, 'https://gw.example/binance/'))
      .toEqual({ fapiPrivate: 'https://gw.example/binance/fapi/v1' });
  });
  it('redacts secrets, with and without 0x', () => {
    const key = `0x${'ab'.repeat(32)}`;
    const r = redactor([key, 'short']);
    expect(r(`a ${key} b ${key.slice(2)} c short`)).toBe('a [redacted] b [redacted] c short');
  });
});
