// The pure parsers against payloads copied from Deribit's docs (test/fixtures/deribit/docPayloads.ts).
import { describe, expect, it } from 'vitest';
import * as doc from '../../../fixtures/deribit/docPayloads.ts';
import { parseInstrument, parseInstruments } from '../../../../src/venues/deribit/parseInstruments.ts';
import { parseOrderWithTrades, parseOrders, parseTrades, parseTradesPage } from '../../../../src/venues/deribit/parseOrders.ts';
import { parseAccountSummary, parsePositions } from '../../../../src/venues/deribit/parsePositions.ts';
import { parseMarkPrices, parseMmpConfigs, parseMmpTrigger, parsePriceIndex, parseTicker } from '../../../../src/venues/deribit/parseMarketData.ts';
import { parseAuth } from '../../../../src/venues/deribit/parseAuth.ts';
import { parseIncoming } from '../../../../src/venues/deribit/parseFrame.ts';

describe('parse instruments (public/get_instruments)', () => {
  it('reads an option with its tick steps, strike, expiry and inverse settlement', () => {
    expect(parseInstrument(doc.docOptionInstrument)).toEqual({
      name: 'BTC-13JAN23-16000-P', kind: 'option', baseCurrency: 'BTC', settlementCurrency: 'BTC', inverse: true, perpetual: false,
      contractSize: 1, minTradeAmount: 0.1, tickSize: 0.0005, tickSteps: [{ abovePrice: 120, tickSize: 0.001 }, { abovePrice: 200, tickSize: 0.003 }],
      expiryMs: 1673596800000, strikeUsd: 16000, optionKind: 'put', takerFeeRate: 0.0003, makerFeeRate: 0.0003, active: true, priceIndex: 'btc_usd',
    });
  });

  it('reads a list: the perpetual is inverse, 10 USD contracts, min 10 USD, tick 0.5', () => {
    const list = parseInstruments(doc.docInstrumentList);
    expect(list.map((i) => [i.name, i.kind, i.perpetual, i.inverse])).toEqual([
      ['BTC-24JUN22-52000-P', 'option', false, true], ['BTC-27MAY22', 'future', false, true], ['BTC-PERPETUAL', 'future', true, true],
    ]);
    expect(list[2]).toMatchObject({ contractSize: 10, minTradeAmount: 10, tickSize: 0.5, takerFeeRate: 0.0005, strikeUsd: null, optionKind: null });
  });

  it('refuses an option without a strike, naming the instrument', () => {
    const { strike: _s, ...noStrike } = doc.docOptionInstrument;
    expect(() => parseInstrument(noStrike)).toThrow(/BTC-13JAN23-16000-P.*strike/);
    expect(() => parseInstrument({ ...doc.docOptionInstrument, tick_size: 'x' })).toThrow(/tick_size/);
  });
});

describe('parse orders and trades', () => {
  it('reads a buy answer: the order (market price as null) and its trades with label', () => {
    const { order, trades } = parseOrderWithTrades(doc.docBuyAnswer);
    expect(order).toMatchObject({ orderId: 'ETH-349249', label: 'market0000234', state: 'filled', side: 'buy', amount: 40, filledAmount: 40, averagePrice: 143.81, price: null, commission: 0.000139, updatedAt: 1550657341322 });
    expect(trades).toEqual([{
      tradeId: 'ETH-37435', tradeSeq: 14151, at: 1550657341322, instrument: 'ETH-PERPETUAL', side: 'buy', amount: 40, price: 143.81, indexPriceUsd: 143.73,
      markPrice: null, fee: 0.000139, feeCurrency: 'ETH', orderId: 'ETH-349249', label: 'market0000234', liquidity: 'taker', ivPercent: null,
    }]);
  });

  it('reads an edit answer and an order list', () => {
    expect(parseOrderWithTrades(doc.docEditAnswer).order).toMatchObject({ orderId: '94166', state: 'open', price: 50111, amount: 150, label: 'i_love_deribit', postOnly: false, mmp: false });
    expect(parseOrders(doc.docOpenOrders)[0]).toMatchObject({ orderId: '146062', instrument: 'BTC-15FEB19-3250-P', price: 0.0028, amount: 10, label: 'fooBar', timeInForce: 'good_til_cancelled' });
  });

  it('reads a trades page (option with iv, future with a rebate) and a trades notification', () => {
    const page = parseTradesPage(doc.docTradesPage);
    expect(page.hasMore).toBe(false);
    expect(page.trades[0]).toMatchObject({ tradeId: '48078936', tradeSeq: 1, instrument: 'BTC-27MAY20-8750-C', side: 'sell', amount: 1, price: 0.028, ivPercent: 38.51, liquidity: 'maker', label: null });
    expect(page.trades[1]).toMatchObject({ fee: -2.1e-7, amount: 10, price: 9681.5 });
    expect(parseTrades(doc.docUserTradesNotification)[0]).toMatchObject({ tradeId: '48079262', amount: 8940, indexPriceUsd: 8953.53, markPrice: 8970.03 });
  });

  it('refuses an unknown order state', () => {
    expect(() => parseOrders([{ ...doc.docOpenOrders[0], order_state: 'weird' }])).toThrow(/order_state 'weird'/);
  });
});

describe('parse positions, market data, MMP and auth', () => {
  it('reads a perp position in USD with its BTC at the mark', () => {
    expect(parsePositions(doc.docPositions)).toEqual([{
      instrument: 'BTC-PERPETUAL', kind: 'future', size: 50, sizeBtcAtMark: 0.006687487, averagePrice: 7440.18, markPrice: 7476.65,
      indexPriceUsd: 7466.79, delta: 0.006687487, realizedFundingBtc: -1e-8,
    }]);
    expect(() => parsePositions([{ ...doc.docPositions[0], direction: 'sell' }])).toThrow(/direction sell with size 50/);
    expect(parseAccountSummary({ currency: 'BTC', equity: 10.5, balance: 10, options_value: 0.5 })).toEqual({ currency: 'BTC', equity: 10.5, balance: 10 });
  });

  it('reads mark prices with IV, the price index, the ticker', () => {
    expect(parseMarkPrices(doc.docMarkPrices)[2]).toEqual({ instrument: 'BTC-4JUN21-38250-C', markPriceBtc: 0.0177, iv: 0.9, at: 1622470378005 });
    expect(parsePriceIndex(doc.docPriceIndex)).toEqual({ indexName: 'btc_usd', priceUsd: 3937.89, at: 1550588002899 });
    expect(parseTicker(doc.docTicker)).toEqual({ instrument: 'BTC-PERPETUAL', at: 1623059681955, markPrice: 36288.31, indexPriceUsd: 36297.02, funding8h: 0.00002203 });
  });

  it('reads an MMP trigger and MMP configs', () => {
    expect(parseMmpTrigger(doc.docMmpTrigger)).toEqual({ indexName: 'btc_usd', frozenUntilMs: 123, mmpGroup: 'MassQuoteBot7' });
    expect(parseMmpConfigs(doc.docSetMmpConfig)).toEqual([{ indexName: 'btc_usd', intervalSec: 60, frozenTimeSec: 0, quantityLimit: 3, deltaLimit: null, vegaLimit: null }]);
    expect(parseMmpConfigs(doc.docGetMmpConfig)[0]).toMatchObject({ quantityLimit: 0.5, deltaLimit: 0.3, vegaLimit: 0.1 });
  });

  it('reads the auth answer; a malformed one fails without quoting the tokens', () => {
    expect(parseAuth(doc.docAuth)).toMatchObject({ expiresInSec: 31536000, scope: 'connection mainaccount' });
    const err = (() => { try { parseAuth({ ...doc.docAuth, expires_in: 'soon' }); } catch (e) { return e as Error; } return null; })();
    expect(err?.message).toMatch(/expires_in/);
    expect(err?.message).not.toContain(doc.docAuth.access_token.slice(0, 20));
  });
});

describe('parse frames', () => {
  it('tells results, errors, notifications and heartbeats apart', () => {
    expect(parseIncoming(doc.docHeartbeatResultFrame)).toEqual({ kind: 'result', id: 1569, result: 'ok' });
    expect(parseIncoming(doc.docErrorFrame)).toEqual({ kind: 'error', id: 42, error: { code: 13009, message: 'invalid_token', data: { reason: 'token has expired', param: 'access_token' } } });
    expect(parseIncoming(doc.docTestRequestFrame)).toEqual({ kind: 'heartbeat', type: 'test_request' });
    expect(parseIncoming(doc.docPriceIndexFrame)).toEqual({ kind: 'notification', channel: 'deribit_price_index.btc_usd', data: doc.docPriceIndex });
    expect(() => parseIncoming('not json {')).toThrow(/not JSON \(10 chars\)/);
  });
});
