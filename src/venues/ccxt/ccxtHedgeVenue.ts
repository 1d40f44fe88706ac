// The HedgeVenue over ccxt (Hyperliquid, Binance USDS-M perps); what differs per exchange is in
// its profile. Idempotent by client id: the engine's `<vault>-<hedgeSeq>` maps to one venue
// client id, looked up before anything is placed; an answer that never came (timeout, broken
// connection) leaves the outcome unknown for the caller to settle by lookup, never by a resend.
// Sizes, prices and fees of a traded order come from the venue's trade history.
import type { Exchange, MarketInterface as Market, Order } from 'ccxt';
import type { Observable } from 'rxjs';
import {
  VenueRejectedError, VenueTimeoutError, VenueUnavailableError, type HedgeVenue, type IocOrderRequest, type MarketInfo, type OrderStatus,
  type VenueFill, type VenuePosition,
} from '../hedgeVenue.ts';
import { backoffMs, mapFailure, readCall, type CallContext } from './ccxtCalls.ts';
import { classify, venueText } from './ccxtErrors.ts';
import type { CcxtProfile, PlaceAnswer, VenueOrderRecord } from './ccxtProfile.ts';
import { openExchange } from './ccxtTransport.ts';
import type { CcxtConfig } from './config.ts';
import { btcOf, lotBtc, marketSpec, orderAmount, type MarketSpec } from './contractMath.ts';
import { FillFeed } from './fillFeed.ts';
import { markPriceStream, type MarkPriceOptions, type MarkTick } from './ccxtMarkPrices.ts';
import { statusFromTrades } from './parseTrades.ts';

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
  /** Final statuses, by engine id: venue facts that no longer change. */
  private readonly final = new Map<string, OrderStatus>();
  /** One placement or lookup per engine id at a time. */
  private readonly busy = new Map<string, Promise<unknown>>();
  private readonly ctx: CallContext;
  private readonly feed: FillFeed;
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

  private exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const prev = this.busy.get(id) ?? Promise.resolve();
    const run = prev.then(work, work);
    this.busy.set(id, run);
    const clear = (): void => { if (this.busy.get(id) === run) this.busy.delete(id); };
    run.then(clear, clear);
    return run;
  }

  private check(market: string): void {
    if (this.closed) throw new VenueUnavailableError(`${this.name} is closed`);
    if (market !== this.cfg.symbol) throw new VenueRejectedError(`unknown market ${market} (this venue trades ${this.cfg.symbol})`);
  }

  private clientId(engineId: string): string {
    const cid = this.profile.clientId(engineId);
    this.feed.register(cid, engineId);
    return cid;
  }

  placeIoc(req: IocOrderRequest): Promise<OrderStatus> {
    this.check(req.market);
    return this.exclusive(req.clientOrderId, async () => {
      for (let n = 0; ; n++) {
        const known = await this.lookupOnce(req.clientOrderId);
        if (known.status !== 'unknown') return known;
        const sent = await this.send(req);
        if (sent !== 'rateLimited') return sent;
        // The venue refused to process the order for its rate limit: nothing was placed.
        if (n >= this.cfg.maxBackoffs) throw new VenueUnavailableError(`${this.name}: rate limited ${n + 1} times placing ${req.clientOrderId}: nothing placed`);
        this.ctx.onBackoff();
        await this.sleep(backoffMs(this.ctx, n));
      }
    });
  }

  lookup(clientOrderId: string): Promise<OrderStatus> {
    if (this.closed) return Promise.reject(new VenueUnavailableError(`${this.name} is closed`));
    return this.exclusive(clientOrderId, () => this.lookupOnce(clientOrderId));
  }

  private async lookupOnce(engineId: string): Promise<OrderStatus> {
    const known = this.final.get(engineId);
    if (known) return known;
    const rec = await this.record(this.clientId(engineId));
    return rec ? (await this.settle(engineId, rec, 0)).status : { status: 'unknown' };
  }

  private record(cid: string): Promise<VenueOrderRecord | null> {
    return readCall(this.ctx, 'looking up an order', () => this.profile.fetchRecord(this.ex, this.cfg.symbol, cid));
  }

  /** The order's state from its record and trades; final states are kept. */
  private async settle(engineId: string, rec: VenueOrderRecord, answered: number): Promise<{ status: OrderStatus; complete: boolean }> {
    const trades = rec.phase === 'rejected' ? [] : await readCall(this.ctx, 'reading an order\'s trades', () => this.profile.fetchOrderTrades(this.ex, this.cfg.symbol, rec));
    this.feed.push(trades, engineId);
    const r = statusFromTrades(rec, trades, this.spec, answered);
    if (r.complete) this.final.set(engineId, r.status);
    return r;
  }

  /** Places the order once. 'rateLimited': the venue refused to process it (nothing placed). */
  private async send(req: IocOrderRequest): Promise<OrderStatus | 'rateLimited'> {
    const cid = this.clientId(req.clientOrderId);
    const sizeBtc = req.reduceOnly && this.profile.clampReduceOnly ? await this.reducible(req) : req.sizeBtc;
    const { steps, amount } = orderAmount(sizeBtc, this.spec, req.limitPriceUsd);
    if (steps < 1) {
      return this.reject(req.clientOrderId, `size ${req.sizeBtc} BTC is below one amount step (${lotBtc(this.spec, req.limitPriceUsd)} BTC)`, req.at);
    }
    const price = this.profile.limitPrice(this.market, req.limitPriceUsd, req.side);
    let order: Order;
    try {
      order = await this.ex.createOrder(this.cfg.symbol, 'limit', req.side, Number(amount), Number(price), this.profile.orderParams(cid, req.reduceOnly));
    } catch (e) {
      return this.placeFailed(req, cid, e);
    }
    return this.afterAnswer(req.clientOrderId, cid, this.profile.parsePlaceAnswer(order));
  }

  /** A reduce-only size no larger than the position it reduces (the venue refuses larger ones). */
  private async reducible(req: IocOrderRequest): Promise<number> {
    const pos = (await this.position(req.market)).sizeBtc;
    const reducing = req.side === 'sell' ? pos > 0 : pos < 0;
    return reducing ? Math.min(req.sizeBtc, Math.abs(pos)) : req.sizeBtc;
  }

  /** The venue took the order: its record and trades say how it ended (the history may lag the answer a little). */
  private async afterAnswer(engineId: string, cid: string, answer: PlaceAnswer): Promise<OrderStatus> {
    const deadline = this.now() + this.cfg.settleTimeoutMs;
    let last: OrderStatus = { status: 'open', filledBtc: 0, avgPriceUsd: 0, feeUsd: 0, updatedAt: this.now() };
    for (;;) {
      const rec = await this.record(cid);
      if (rec) {
        const r = await this.settle(engineId, rec, answer.filledContracts);
        if (r.complete) return r.status;
        const st = r.status;
        if (st.status === 'filled' || st.status === 'cancelled' || st.status === 'open') last = { ...st, status: 'open' };
      }
      // Not settled in time: report it open; the caller keeps looking it up.
      if (this.now() >= deadline) return last;
      await this.sleep(this.cfg.settlePollMs);
    }
  }

  private async placeFailed(req: IocOrderRequest, cid: string, e: unknown): Promise<OrderStatus | 'rateLimited'> {
    const text = this.ctx.redact(venueText(e));
    switch (classify(e)) {
      case 'rateLimited': return 'rateLimited';
      case 'unknown':
        throw new VenueTimeoutError(`${this.name}: no answer to order ${req.clientOrderId} (${text}): outcome unknown until looked up`);
      case 'unreachable':
        throw new VenueUnavailableError(`${this.name}: ${text}: the venue could not be reached, nothing placed`);
      case 'unavailable': {
        // The venue says it could not serve the request; its record says whether the order exists.
        const rec = await this.confirm(cid, req.clientOrderId);
        if (rec) return (await this.settle(req.clientOrderId, rec, 0)).status;
        if (this.profile.placeUnavailable === 'unknown') throw new VenueTimeoutError(`${this.name}: ${text}: the venue leaves the order's execution unknown`);
        throw new VenueUnavailableError(`${this.name}: ${text}: nothing placed`);
      }
      case 'refused':
      case 'notFound': {
        // An IOC with nothing to match is a cancel; a refusal of an id the venue already holds
        // (an earlier order with it) is settled by that order's record.
        const rec = await this.confirm(cid, req.clientOrderId);
        const duplicate = this.profile.isDuplicateId(text);
        if (rec && (rec.phase !== 'rejected' || duplicate || this.profile.isNoMatch(text))) return (await this.settle(req.clientOrderId, rec, 0)).status;
        if (duplicate) {
          throw new VenueTimeoutError(`${this.name}: the venue holds order ${req.clientOrderId} already but does not show it yet (${text}): outcome unknown until looked up`);
        }
        if (this.profile.isNoMatch(text)) {
          const st: OrderStatus = { status: 'cancelled', filledBtc: 0, avgPriceUsd: 0, feeUsd: 0, updatedAt: rec?.statusAt ?? req.at };
          this.final.set(req.clientOrderId, st);
          return st;
        }
        return this.reject(req.clientOrderId, text, rec?.statusAt ?? req.at);
      }
      case 'auth':
      case 'bug':
        throw mapFailure(this.ctx, `placing order ${req.clientOrderId}`, e);
    }
  }

  /** The venue's record after a failed placement; a failed read leaves the outcome unknown. */
  private async confirm(cid: string, engineId: string): Promise<VenueOrderRecord | null> {
    try {
      return await this.record(cid);
    } catch (e) {
      throw new VenueTimeoutError(`${this.name}: order ${engineId} answered with an error and could not be looked up (${e instanceof Error ? e.message : String(e)}): outcome unknown`);
    }
  }

  private reject(engineId: string, reason: string, at: number): OrderStatus {
    const st: OrderStatus = { status: 'rejected', reason, updatedAt: at };
    this.final.set(engineId, st);
    return st;
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
    await Promise.allSettled([...this.busy.values()]);
    this.feed.close();
    await this.ex.close();
  }
}

export type { VenueFill };
