// The HedgeVenue over ccxt (Hyperliquid, Binance USDS-M perps); what differs per exchange is in
// its profile. Idempotent by client id: the engine's `<vault>-<hedgeSeq>` maps to one venue
// client id, looked up before anything is placed; an answer that never came (timeout, broken
// connection) leaves the outcome unknown for the caller to settle by lookup, never by a resend.
// Sizes, prices and fees of a traded order come from the venue's trade history.
import type { Exchange, MarketInterface as Market } from 'ccxt';
import type { Observable } from 'rxjs';
import {
  VenueRejectedError, VenueUnavailableError, type HedgeVenue, type IocOrderRequest, type MarketInfo, type OrderStatus,
  type VenueFill, type VenuePosition,
} from '../hedgeVenue.ts';
import { readCall, type CallContext } from './ccxtCalls.ts';
import { CcxtOrders } from './ccxtOrders.ts';
import type { CcxtProfile } from './ccxtProfile.ts';
import { openExchange } from './ccxtTransport.ts';
import type { CcxtConfig } from './config.ts';
import { btcOf, lotBtc, marketSpec, type MarketSpec } from './contractMath.ts';
import { FillFeed } from './fillFeed.ts';
import { markPriceStream, type MarkPriceOptions, type MarkTick } from './ccxtMarkPrices.ts';

export interface CcxtVenueDeps {
  /** Wall clock, unix ms. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface VenueCounters {
  /** Rate-limit answers the adapter backed off from. */
  rateLimitBackoffs: number;
}

export class CcxtHedgeVenue implements HedgeVenue {
  readonly name: string;
  readonly counters: VenueCounters = { rateLimitBackoffs: 0 };
  private readonly ctx: CallContext;
  private readonly feed: FillFeed;
  private readonly orders: CcxtOrders;
  private closed = false;
  private cachedFee: number | undefined;

  private constructor(
    private readonly cfg: CcxtConfig, private readonly profile: CcxtProfile, private readonly ex: Exchange,
    private readonly market: Market, private readonly spec: MarketSpec, redact: (s: string) => string,
    private readonly now: () => number, private readonly sleep: (ms: number) => Promise<void>,
  ) {
    this.name = `ccxt-${cfg.exchange}`;
    this.ctx = {
      exchange: cfg.exchange, redact, sleep, backoffBaseMs: cfg.backoffBaseMs, backoffCapMs: cfg.backoffCapMs, maxBackoffs: cfg.maxBackoffs,
      onBackoff: () => { this.counters.rateLimitBackoffs++; },
    };
    this.feed = new FillFeed({
      symbol: cfg.symbol, spec, pollMs: cfg.fillPollMs, now, profile,
      read: (since) => readCall(this.ctx, 'reading the trade history', () => ex.fetchMyTrades(cfg.symbol, since)),
    });
    this.orders = new CcxtOrders({
      name: this.name, cfg, profile, ex, market, spec, ctx: this.ctx, feed: this.feed, now, sleep,
      positionBtc: async () => (await this.position(cfg.symbol)).sizeBtc,
    });
  }

  /** Builds the exchange, loads the market and checks it is a perp the adapter can trade. */
  static async open(cfg: CcxtConfig, credentials: Record<string, string>, profile: CcxtProfile, deps: CcxtVenueDeps = {}): Promise<CcxtHedgeVenue> {
    const { ex, redact } = await openExchange(cfg, credentials, profile);
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const ctx: CallContext = { exchange: cfg.exchange, redact, sleep, backoffBaseMs: cfg.backoffBaseMs, backoffCapMs: cfg.backoffCapMs, maxBackoffs: cfg.maxBackoffs, onBackoff: () => undefined };
    try {
      const markets = await readCall(ctx, 'loading markets', () => ex.loadMarkets());
      const market = markets[cfg.symbol];
      if (!market) throw new Error(`${cfg.exchange} has no market ${cfg.symbol}`);
      return new CcxtHedgeVenue(cfg, profile, ex, market, marketSpec(market), redact, deps.now ?? Date.now, sleep);
    } catch (e) {
      await ex.close();
      throw e;
    }
  }

  private check(market: string): void {
    if (this.closed) throw new VenueUnavailableError(`${this.name} is closed`);
    if (market !== this.cfg.symbol) throw new VenueRejectedError(`unknown market ${market} (this venue trades ${this.cfg.symbol})`);
  }

  placeIoc(req: IocOrderRequest): Promise<OrderStatus> {
    this.check(req.market);
    return this.orders.place(req);
  }

  lookup(clientOrderId: string): Promise<OrderStatus> {
    if (this.closed) return Promise.reject(new VenueUnavailableError(`${this.name} is closed`));
    return this.orders.lookup(clientOrderId);
  }


  async position(market: string): Promise<VenuePosition> {
    this.check(market);
    const all = await readCall(this.ctx, 'reading positions', () => this.ex.fetchPositions([this.cfg.symbol]));
    const p = all.find((x) => x.symbol === this.cfg.symbol && (x.contracts ?? 0) !== 0);
    if (!p) return { market, sizeBtc: 0, avgEntryUsd: 0, fundingPaidUsd: 0 };
    const entry = p.entryPrice ?? 0;
    const size = btcOf(p.contracts ?? 0, this.spec, entry);
    return { market, sizeBtc: p.side === 'short' ? -size : size, avgEntryUsd: entry, fundingPaidUsd: this.profile.fundingPaid(p.info) };
  }

  markPrice(market: string): Promise<{ priceUsd: number; at: number }> {
    this.check(market);
    return readCall(this.ctx, 'reading the mark price', () => this.profile.fetchMark(this.ex, this.cfg.symbol));
  }

  fundingRate(market: string): Promise<{ ratePerHour: number; at: number }> {
    this.check(market);
    return readCall(this.ctx, 'reading the funding rate', () => this.profile.fetchFunding(this.ex, this.cfg.symbol));
  }

  async marketInfo(market: string): Promise<MarketInfo> {
    const { priceUsd } = await this.markPrice(market);
    this.cachedFee ??= await readCall(this.ctx, 'reading the fee rate', () => this.profile.takerFee(this.ex, this.cfg.symbol));
    const lot = lotBtc(this.spec, priceUsd);
    return {
      market, lotSizeBtc: lot, minSizeBtc: Math.max(lot, btcOf(this.spec.minAmount, this.spec, priceUsd)),
      tickSizeUsd: this.profile.tickAt(this.market, priceUsd), takerFeeBps: Math.round(this.cachedFee * 1e4 * 1e6) / 1e6,
    };
  }

  /** The contract as loaded (for `venue check`): size, kind, steps and minimums in the venue's units. */
  contract(): { symbol: string; contractSize: number; linear: boolean; amountStep: number; minAmount: number; minNotionalUsd: number; lookupHorizon: string } {
    const { contractSize, linear, amountStep, minAmount, minNotionalUsd } = this.spec;
    return { symbol: this.cfg.symbol, contractSize, linear, amountStep, minAmount, minNotionalUsd, lookupHorizon: this.profile.lookupHorizon };
  }

  /** The venue's free collateral, USD. */
  freeCollateralUsd(): Promise<number> {
    return readCall(this.ctx, 'reading the balance', () => this.profile.freeCollateral(this.ex));
  }

  /** The venue's mark price as a stream (websocket, REST polling while it is down). */
  markPrices(o: Pick<MarkPriceOptions, 'pollMs' | 'wsRetryMs' | 'onStatus'>): Observable<MarkTick> {
    return markPriceStream(this.ex, this.profile, this.cfg.symbol, { ...o, now: this.now, sleep: this.sleep, redact: this.ctx.redact });
  }

  fills(): ReturnType<HedgeVenue['fills']> {
    return this.feed.stream();
  }

  /** Logging the venue never prints what the exchange object holds (keys). */
  toJSON(): { name: string; symbol: string; testnet: boolean } {
    return { name: this.name, symbol: this.cfg.symbol, testnet: this.cfg.testnet };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `CcxtHedgeVenue { ${this.name} ${this.cfg.symbol}${this.cfg.testnet ? ' testnet' : ' MAINNET'} }`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.orders.idle();
    this.feed.close();
    await this.ex.close();
  }
}

export type { VenueFill };
