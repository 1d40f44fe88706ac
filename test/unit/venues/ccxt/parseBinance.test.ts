// Binance USDS-M answers, with payloads copied from its API docs (Query Order, New Order with
// newOrderRespType RESULT), through the pure parsers; and the client id rule.
import { describe, expect, it } from 'vitest';
import { binanceClientId, binancePlaceAnswer, binanceRecord, fundingIntervalHours } from '../../../../src/venues/ccxt/parseBinance.ts';
import { binanceUsdmProfile } from '../../../../src/venues/ccxt/binanceUsdmProfile.ts';

// Query Order's response example (trade/rest-api/Query-Order), with the status varied.
const docOrder = (status: string, executedQty = '0') => ({
  avgPrice: '0.00000', clientOrderId: 'abc', cumQuote: '0', executedQty, orderId: 1573346959, origQty: '0.40', origType: 'TRAILING_STOP_MARKET',
  price: '0', reduceOnly: false, side: 'BUY', positionSide: 'SHORT', status, stopPrice: '9300', closePosition: false, symbol: 'BTCUSDT',
  time: 1579276756075, timeInForce: 'GTC', type: 'TRAILING_STOP_MARKET', activatePrice: '9020', priceRate: '0.3', updateTime: 1579276756075,
  workingType: 'CONTRACT_PRICE', priceProtect: false, priceMatch: 'NONE', selfTradePreventionMode: 'NONE', goodTillDate: 0,
});

describe('binanceRecord (Query Order)', () => {
  it('reads open, filled, expired (an IOC remainder) and rejected orders', () => {
    expect(binanceRecord(docOrder('NEW'))).toEqual({ orderId: '1573346959', phase: 'open', filledContracts: 0, createdAt: 1579276756075, statusAt: 1579276756075 });
    expect(binanceRecord(docOrder('FILLED', '0.40'))).toMatchObject({ phase: 'filled', filledContracts: 0.4 });
    expect(binanceRecord(docOrder('EXPIRED', '0.15'))).toMatchObject({ phase: 'cancelled', filledContracts: 0.15 });
    expect(binanceRecord(docOrder('EXPIRED_IN_MATCH')).phase).toBe('cancelled');
    expect(binanceRecord(docOrder('REJECTED'))).toMatchObject({ phase: 'rejected', reason: 'binanceusdm order status REJECTED' });
  });
  it('refuses a status it does not know', () => {
    expect(() => binanceRecord(docOrder('HALF_DONE'))).toThrow(/unknown order status "HALF_DONE"/);
  });
});

describe('binancePlaceAnswer (New Order, RESULT)', () => {
  it('reads what traded, and an IOC that matched nothing', () => {
    expect(binancePlaceAnswer(docOrder('FILLED', '0.40'))).toEqual({ orderId: '1573346959', filledContracts: 0.4, noMatch: false });
    expect(binancePlaceAnswer(docOrder('EXPIRED'))).toEqual({ orderId: '1573346959', filledContracts: 0, noMatch: true });
  });
});

describe('binance client ids and funding', () => {
  it('keeps an engine id that fits newClientOrderId; hashes one that does not, deterministically', () => {
    expect(binanceClientId('alpha.1-42')).toBe('alpha.1-42');
    const long = `${'v'.repeat(40)}-7`;
    expect(binanceClientId(long)).toMatch(/^[0-9a-f]{36}$/);
    expect(binanceClientId(long)).toBe(binanceClientId(long));
    expect(binanceClientId('caf\u00e9-1')).toMatch(/^[0-9a-f]{36}$/);
  });
  it('reads the funding interval, 8 h by default', () => {
    expect([fundingIntervalHours('4h'), fundingIntervalHours(undefined), fundingIntervalHours('odd')]).toEqual([4, 8, 8]);
  });
  it('knows the duplicate-id answer (-4116) and puts limits on the PRICE_FILTER tick', () => {
    expect(binanceUsdmProfile.isDuplicateId('ClientOrderId is duplicated. (code -4116)')).toBe(true);
    expect(binanceUsdmProfile.isDuplicateId('Margin is insufficient. (code -2019)')).toBe(false);
    const market = { symbol: 'BTC/USDT:USDT', precision: { amount: 0.001, price: 0.1 } } as Parameters<typeof binanceUsdmProfile.limitPrice>[0];
    expect(binanceUsdmProfile.limitPrice(market, 30_150.37, 'buy')).toBe('30150.3');
    expect(binanceUsdmProfile.limitPrice(market, 29_849.61, 'sell')).toBe('29849.7');
  });
});
