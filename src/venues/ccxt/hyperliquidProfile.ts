// Hyperliquid through ccxt: client ids are 128-bit `cloid`s (0x + 32 hex) hashed from the
// engine's `<vault>-<hedgeSeq>`; orderStatus answers by cloid; fills come from userFillsByTime
// (they carry the cloid); prices follow the 5-significant-figure grid. ccxt's builder fee
// (0.01% of every order to ccxt, approved on the account with a signed action) and its referrer
// action are never sent unless the user opts in to the builder fee.
import { createHash } from 'node:crypto';
import ccxt, { OrderNotFound, type Exchange, type MarketInterface as Market, type Ticker, type Trade } from 'ccxt';
import type { OrderSide } from '../hedgeVenue.ts';
import type { CcxtProfile, VenueOrderRecord } from './ccxtProfile.ts';
import type { CcxtConfig } from './config.ts';
import { decimalsOf, gridPrice } from './contractMath.ts';
import { hyperliquidFundingPaid, hyperliquidPlaceAnswer, hyperliquidPriceStep, hyperliquidRecord } from './parseHyperliquid.ts';

/** Order texts of Hyperliquid that mean an IOC matched nothing (a cancel with nothing traded). */
const NO_MATCH_TEXTS = ['Order could not immediately match against any resting orders'];
/** userFillsByTime returns at most this many fills per answer (Hyperliquid docs). */
const FILLS_PAGE = 2_000;

/**
 * ccxt's Hyperliquid class approves a builder (0% fee when builderFee is false, still a signed
 * action on the account) before its first order and on loadMarkets, and attaches the builder
 * to every order once approved. Without the opt-in none of that is sent: the approval step is
 * skipped, so no order carries a `builder` field.
 */
class HyperliquidNoBuilder extends ccxt.pro.hyperliquid {
  override handleBuilderFeeApproval(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

function markOf(t: Ticker, symbol: string): number {
  const px = Number((t.info as { markPx?: unknown } | undefined)?.markPx);
  if (!(px > 0)) throw new Error(`hyperliquid ${symbol}: no markPx in the asset context`);
  return px;
}

export function hyperliquidCloid(engineId: string): string {
  return `0x${createHash('sha256').update(engineId).digest('hex').slice(0, 32)}`;
}

function szDecimals(market: Market): number {
  return decimalsOf(market.precision.amount ?? NaN);
}

export const hyperliquidProfile: CcxtProfile = {
  exchange: 'hyperliquid',
  lookupHorizon: 'orderStatus answers by cloid with no documented horizon; userFillsByTime serves the 10,000 most recent fills of the account (2,000 per answer)',
  clientId: hyperliquidCloid,

  create(cfg: CcxtConfig, credentials: Record<string, string>): Exchange {
    const Cls = cfg.builderFee ? ccxt.pro.hyperliquid : HyperliquidNoBuilder;
    return new Cls({
      walletAddress: credentials.walletAddress, privateKey: credentials.privateKey,
      timeout: cfg.timeoutMs, enableRateLimit: true, ...(cfg.rateLimitMs !== undefined ? { rateLimit: cfg.rateLimitMs } : {}),
      options: {
        builderFee: cfg.builderFee,
        // setReferrer is a signed action ccxt sends once per process: never.
        refSet: true,
        // A perp hedger needs the perps only (spot and HIP-3 dexes cost a dozen more requests).
        fetchMarkets: { types: ['swap'] },
      },
    });
  },

  useTestnet: (ex) => ex.setSandboxMode(true),
  afterUrlOverride: () => undefined,
  // A 5xx from Hyperliquid's API server is taken as "not submitted" once the record does not show the
  // id (Hyperliquid documents no unknown-execution answer; the lookup comes first).
  placeUnavailable: 'notPlaced',
  // A reduce-only IOC larger than the position fills what reduces it.
  clampReduceOnly: false,

  orderParams: (clientId, reduceOnly) => ({ clientOrderId: clientId, timeInForce: 'IOC', reduceOnly }),

  async fetchRecord(ex, symbol, clientId): Promise<VenueOrderRecord | null> {
    try {
      const o = await ex.fetchOrder(clientId, symbol, { clientOrderId: clientId });
      return hyperliquidRecord(o.info);
    } catch (e) {
      // {"status":"unknownOid"}: the venue never saw this cloid.
      if (e instanceof OrderNotFound) return null;
      throw e;
    }
  },

  parsePlaceAnswer: (order) => hyperliquidPlaceAnswer(order.info),

  async fetchOrderTrades(ex, symbol, record): Promise<Trade[]> {
    const out: Trade[] = [];
    let since = record.createdAt;
    for (;;) {
      const page = await ex.fetchMyTrades(symbol, since);
      out.push(...page.filter((t) => t.order === record.orderId));
      const last = page[page.length - 1];
      if (page.length < FILLS_PAGE || !last?.timestamp || last.timestamp <= since) return out;
      since = last.timestamp;
    }
  },

  tradeClientId(trade: Trade): string | undefined {
    const cloid = (trade.info as { cloid?: unknown } | undefined)?.cloid;
    return typeof cloid === 'string' ? cloid : undefined;
  },

  isNoMatch: (text) => NO_MATCH_TEXTS.some((t) => text.includes(t)),

  // Not in Hyperliquid's docs; seen in third-party clients. The adapter looks an id up before
  // placing it, so this only shows when the venue's record lags its order book.
  isDuplicateId: (text) => /duplicate cloid/i.test(text),

  limitPrice(market: Market, priceUsd: number, side: OrderSide): string {
    const step = hyperliquidPriceStep(priceUsd, szDecimals(market));
    return gridPrice(priceUsd, step, side);
  },

  tickAt: (market, priceUsd) => hyperliquidPriceStep(priceUsd, szDecimals(market)),

  // fetchTicker and watchTicker (activeAssetCtx) carry the asset context; its markPx is the mark.
  async fetchMark(ex, symbol) {
    return { priceUsd: markOf(await ex.fetchTicker(symbol), symbol), at: Date.now() };
  },

  async watchMark(ex, symbol) {
    return { priceUsd: markOf(await ex.watchTicker(symbol), symbol), at: Date.now() };
  },

  async fetchFunding(ex, symbol) {
    const f = await ex.fetchFundingRate(symbol);
    // Hyperliquid funds every hour: `funding` is the hourly rate.
    return { ratePerHour: f.fundingRate ?? 0, at: Date.now() };
  },

  async takerFee(ex, symbol) {
    const f = await ex.fetchTradingFee(symbol);
    if (!(typeof f.taker === 'number' && f.taker >= 0)) throw new Error('hyperliquid userFees: no taker rate');
    return f.taker;
  },

  fundingPaid: hyperliquidFundingPaid,

  async freeCollateral(ex) {
    const b = await ex.fetchBalance();
    return Number((b.info as { withdrawable?: unknown } | undefined)?.withdrawable ?? NaN);
  },
};
