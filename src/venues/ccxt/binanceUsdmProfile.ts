// Binance USDS-M futures through ccxt: client ids are `newClientOrderId`s (the engine's id
// itself when it fits Binance's 36-character alphabet); orders are looked up with
// `origClientOrderId`; an order's trades come from userTrades by order id (they carry no client
// id); the price grid is the PRICE_FILTER tick; mark price and funding from premiumIndex and the
// markPrice stream. Written against ccxt's binance/binanceusdm classes.
import ccxt, { OrderNotFound, type Exchange, type MarketInterface as Market, type Trade } from 'ccxt';
import type { OrderSide } from '../hedgeVenue.ts';
import type { CcxtProfile, VenueOrderRecord } from './ccxtProfile.ts';
import type { CcxtConfig } from './config.ts';
import { gridPrice } from './contractMath.ts';
import { binanceClientId, binancePlaceAnswer, binanceRecord, fundingIntervalHours } from './parseBinance.ts';

function tick(market: Market): number {
  const t = market.precision.price;
  if (!(typeof t === 'number' && t > 0)) throw new Error(`binanceusdm ${market.symbol}: no price tick`);
  return t;
}

export const binanceUsdmProfile: CcxtProfile = {
  exchange: 'binanceusdm',
  lookupHorizon: 'Query Order by origClientOrderId: CANCELED or EXPIRED orders with no fill are not found 3 days after creation, no order after 90 days; userTrades by orderId',
  clientId: binanceClientId,

  create(cfg: CcxtConfig, credentials: Record<string, string>): Exchange {
    return new ccxt.pro.binanceusdm({
      apiKey: credentials.apiKey, secret: credentials.secret,
      timeout: cfg.timeoutMs, enableRateLimit: true, ...(cfg.rateLimitMs !== undefined ? { rateLimit: cfg.rateLimitMs } : {}),
      // The wallet's coin list (sapi) is no use to a perp hedger and is not on the futures hosts.
      options: { fetchCurrencies: false },
    });
  },

  // Binance's futures testnet is its demo trading today; ccxt's sandbox URLs are the old testnet,
  // on which ccxt 4.5.84 refuses private calls.
  useTestnet: (ex) => (ex as Exchange & { enableDemoTrading(enable: boolean): void }).enableDemoTrading(true),

  // ccxt picks Binance's per-market error table by the URL's host; behind another origin it
  // would fall back to the common table (-2019, -2022, -4116, -4164 become plain errors).
  afterUrlOverride(ex) {
    const ext = ex.exceptions as { exact: Record<string, unknown>; linear?: { exact?: Record<string, unknown>; broad?: Record<string, unknown> }; broad: Record<string, unknown> };
    Object.assign(ext.exact, ext.linear?.exact ?? {});
    Object.assign(ext.broad, ext.linear?.broad ?? {});
  },

  // Binance's 503 "Unknown error": the docs say the execution status is UNKNOWN.
  placeUnavailable: 'unknown',
  // A reduce-only limit larger than the position is refused (-2022): clamp it to the position.
  clampReduceOnly: true,

  // RESULT: the answer carries the order's matched state (futures default to ACK, which does not).
  orderParams: (clientId, reduceOnly) => ({ clientOrderId: clientId, timeInForce: 'IOC', reduceOnly, newOrderRespType: 'RESULT' }),

  async fetchRecord(ex, symbol, clientId): Promise<VenueOrderRecord | null> {
    try {
      const o = await ex.fetchOrder(clientId, symbol, { clientOrderId: clientId });
      return binanceRecord(o.info);
    } catch (e) {
      // -2013 "Order does not exist."
      if (e instanceof OrderNotFound) return null;
      throw e;
    }
  },

  parsePlaceAnswer: (order) => binancePlaceAnswer(order.info),

  fetchOrderTrades: (ex, symbol, record) => ex.fetchMyTrades(symbol, undefined, undefined, { orderId: record.orderId }),

  tradeClientId: (_trade: Trade) => undefined,

  // An IOC with nothing to match expires (a status, not an error).
  isNoMatch: () => false,

  // -4116 DUPLICATED_CLIENT_ORDER_ID (Binance checks uniqueness among open orders only).
  isDuplicateId: (text) => /code -4116\b|ClientOrderId is duplicated/i.test(text),

  limitPrice: (market: Market, priceUsd: number, side: OrderSide) => gridPrice(priceUsd, tick(market), side),

  tickAt: (market) => tick(market),

  async fetchMark(ex, symbol) {
    const t = await ex.fetchMarkPrice(symbol);
    if (!(typeof t.markPrice === 'number' && t.markPrice > 0)) throw new Error(`binanceusdm ${symbol}: no mark price in premiumIndex`);
    return { priceUsd: t.markPrice, at: t.timestamp ?? Date.now() };
  },

  async watchMark(ex, symbol) {
    const t = await ex.watchMarkPrice(symbol);
    if (!(typeof t.markPrice === 'number' && t.markPrice > 0)) throw new Error(`binanceusdm ${symbol}: no mark price in the markPrice stream`);
    return { priceUsd: t.markPrice, at: t.timestamp ?? Date.now() };
  },

  async fetchFunding(ex, symbol) {
    const f = await ex.fetchFundingRate(symbol);
    return { ratePerHour: (f.fundingRate ?? 0) / fundingIntervalHours(f.interval), at: f.timestamp ?? Date.now() };
  },

  async takerFee(ex, symbol) {
    const f = await ex.fetchTradingFee(symbol);
    if (!(typeof f.taker === 'number' && f.taker >= 0)) throw new Error('binanceusdm commissionRate: no taker rate');
    return f.taker;
  },

  // positionRisk carries no funding paid; it is in the income history, which the hedger does not read.
  fundingPaid: () => 0,

  async freeCollateral(ex) {
    const b = await ex.fetchBalance();
    const free = (b.free as unknown as Record<string, number | undefined> | undefined)?.USDT;
    return typeof free === 'number' ? free : Number((b.info as { availableBalance?: unknown } | undefined)?.availableBalance ?? NaN);
  },
};
