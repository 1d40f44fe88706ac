// HedgeVenue on Deribit's BTC-PERPETUAL, over the engine's one DeribitSession.
//
// Orders: an IOC limit (private/buy|sell, time_in_force immediate_or_cancel) whose label is
// the client order id. Size: the port's BTC is converted to USD at the perp's mark read just
// before the order (public/ticker) and rounded to the nearest whole contract (INVERSE.md);
// below one minimum amount the order is rejected here, with the numbers in the reason. The
// protective limit is rounded to the tick away from the market (buys down, sells up).
//
// Unknown outcomes: a lost answer leaves the order unknown (VenueTimeoutError). placeIoc and
// lookup then ask the venue: private/get_order_state_by_label (Deribit keeps orders there for
// about 30 minutes) and, past that window, the trades carrying the label (from the trade
// stream and a 24 h history read at open). A "not found" is `unknown`, never `rejected`. An
// order whose answer was lost is sent again only once the venue still has no trace of it and
// either the connection that carried it is gone or twice the timeout has passed.
//
// Errors: an error answer that means "not processed" (10028 rate limit, busy, maintenance,
// auth) is VenueUnavailableError (nothing placed); 11094/13888 are unknown outcomes; any other
// is a final `rejected` status with Deribit's reason and code.
import { Subject, filter, type Observable, type Subscription } from 'rxjs';
import {
  VenueRejectedError, VenueTimeoutError, VenueUnavailableError, type HedgeVenue, type IocOrderRequest, type MarketInfo,
  type OrderStatus, type VenueFill, type VenuePosition,
} from '../hedgeVenue.ts';
import type { DeribitSession } from './deribitSession.ts';
import { DeribitRpcError, DeribitUnavailableError, DeribitUnknownOutcomeError } from './errors.ts';
import { roundPrice, roundUsdToContracts } from './instrumentMath.ts';
import { parseInstruments, type DeribitInstrument } from './parseInstruments.ts';
import { parseTicker, type Ticker } from './parseMarketData.ts';
import { parseOrderWithTrades, parseOrders, type DeribitOrder, type DeribitTrade } from './parseOrders.ts';
import { parsePositions } from './parsePositions.ts';
import { TradeFeed } from './tradeFeed.ts';
import { RECENT_TRADES_MS, tradesSince } from './tradeHistory.ts';

interface OrderRecord {
  /** Final status (filled, cancelled, rejected); absent while the outcome is unknown. */
  final?: OrderStatus;
  sentOnConnection: number;
  sentAt: number;
}

/** A lookup that found nothing this recently lets the next placeIoc skip its own, ms. */
const FRESH_UNKNOWN_MS = 1_000;

export class DeribitHedgeVenue implements HedgeVenue {
  readonly name = 'deribit';
  private readonly records = new Map<string, OrderRecord>();
  private readonly byId = new Map<string, Promise<OrderStatus>>();
  private readonly unknownAt = new Map<string, number>();
  /** Perp trades by label: the order history past get_order_state_by_label's window. */
  private readonly tradesByLabel = new Map<string, Map<string, DeribitTrade>>();
  private readonly fillsSubject = new Subject<VenueFill>();
  private readonly sub: Subscription;
  private closed = false;

  private constructor(private readonly session: DeribitSession, private readonly feed: TradeFeed, private readonly perp: DeribitInstrument, private readonly now: () => number) {
    this.sub = feed.trades().pipe(filter((t) => t.instrument === perp.name)).subscribe({
      next: (t) => this.onTrade(t, true),
      error: (e: unknown) => this.fillsSubject.error(e),
    });
  }

  /**
   * Reads BTC-PERPETUAL from public/get_instruments, subscribes to the future trades and
   * indexes the perp trades since `historyFromMs` by label (default: the last 24 h). Pass the
   * creation time of the oldest hedge the journal has not seen finish, so that its lookup can
   * still find its trades after Deribit forgets the order itself.
   */
  static async open(session: DeribitSession, deps: { now?: () => number; historyFromMs?: number } = {}): Promise<DeribitHedgeVenue> {
    const now = deps.now ?? Date.now;
    const cfg = session.cfg;
    const instruments = parseInstruments(await session.request('public/get_instruments', { currency: cfg.currency, kind: 'future' }, 'read'));
    const perp = instruments.find((i) => i.name === cfg.perpInstrument);
    if (!perp) throw new Error(`deribit has no instrument ${cfg.perpInstrument} among ${cfg.currency} futures`);
    if (!perp.inverse) throw new Error(`${perp.name} is not an inverse future: this adapter sizes in USD contracts`);
    const start = now();
    const feed = await TradeFeed.open(session, { currency: cfg.currency, kind: 'future', now, startMs: start });
    const venue = new DeribitHedgeVenue(session, feed, perp, now);
    const fromMs = Math.min(deps.historyFromMs ?? start, start - RECENT_TRADES_MS);
    for (const t of await tradesSince(session, { currency: cfg.currency, kind: 'future', fromMs, now: start })) {
      if (t.instrument === perp.name) venue.onTrade(t, false);
    }
    return venue;
  }

  private onTrade(t: DeribitTrade, emit: boolean): void {
    if (t.label !== null) {
      const m = this.tradesByLabel.get(t.label) ?? new Map<string, DeribitTrade>();
      m.set(t.tradeId, t);
      this.tradesByLabel.set(t.label, m);
    }
    if (!emit) return;
    this.fillsSubject.next({
      clientOrderId: t.label ?? `deribit-order-${t.orderId}`, market: this.perp.name, side: t.side,
      // BTC exchanged at the fill: USD amount / price (so size * price is the USD notional).
      sizeBtc: t.amount / t.price, priceUsd: t.price, feeUsd: t.fee * t.price, at: t.at, fillId: t.tradeId,
    });
  }

  private checkMarket(market: string): void {
    if (this.closed) throw new VenueUnavailableError('deribit hedge venue is closed');
    if (market !== this.perp.name) throw new VenueRejectedError(`unknown market ${market} (this venue trades ${this.perp.name})`);
  }

  /** One operation at a time per client order id: concurrent placements of one id fill once. */
  private perId(id: string, work: () => Promise<OrderStatus>): Promise<OrderStatus> {
    const prev = this.byId.get(id) ?? Promise.resolve(null);
    const run = prev.then(work, work);
    this.byId.set(id, run);
    void run.finally(() => {
      if (this.byId.get(id) === run) this.byId.delete(id);
    }).catch(() => undefined);
    return run;
  }

  placeIoc(req: IocOrderRequest): Promise<OrderStatus> {
    this.checkMarket(req.market);
    return this.perId(req.clientOrderId, async () => {
      const id = req.clientOrderId;
      const rec = this.records.get(id);
      if (rec?.final) return rec.final;
      const justUnknown = rec === undefined && this.now() - (this.unknownAt.get(id) ?? -Infinity) < FRESH_UNKNOWN_MS;
      if (!justUnknown) {
        const known = await this.lookupVenue(id);
        if (known.status !== 'unknown') return known;
        if (rec && !(this.session.connectionId !== rec.sentOnConnection || this.now() - rec.sentAt >= 2 * this.session.cfg.timeoutMs)) {
          throw new VenueTimeoutError(`deribit order ${id}: outcome still unknown (no trace at the venue yet)`);
        }
      }
      return this.send(req);
    });
  }

  private async send(req: IocOrderRequest): Promise<OrderStatus> {
    const id = req.clientOrderId;
    if (!(req.sizeBtc > 0) || !(req.limitPriceUsd > 0)) throw new Error(`bad hedge order ${id}: size ${req.sizeBtc} BTC, limit ${req.limitPriceUsd} USD`);
    const mark = (await this.ticker()).markPrice;
    const amountUsd = roundUsdToContracts(this.perp, req.sizeBtc * mark, 'nearest');
    if (amountUsd < this.perp.minTradeAmount) {
      return this.finalize(id, { status: 'rejected', updatedAt: this.now(), reason: `size ${req.sizeBtc} BTC is ${amountUsd} USD at the mark ${mark} (whole ${this.perp.contractSize} USD contracts), below the minimum ${this.perp.minTradeAmount} USD` });
    }
    const price = roundPrice(this.perp, req.limitPriceUsd, req.side === 'buy' ? 'down' : 'up');
    this.records.set(id, { sentOnConnection: this.session.connectionId, sentAt: this.now() });
    this.session.credits.take(this.session.cfg.credits.orderCost);
    let answer: unknown;
    try {
      answer = await this.session.request(req.side === 'buy' ? 'private/buy' : 'private/sell', {
        instrument_name: this.perp.name, amount: amountUsd, type: 'limit', price, time_in_force: 'immediate_or_cancel', label: id, reduce_only: req.reduceOnly,
      }, 'write');
    } catch (e) {
      if (e instanceof DeribitRpcError && !e.outcomeUnknown) {
        if (e.notProcessed) {
          this.records.delete(id);
          throw new VenueUnavailableError(e.message);
        }
        return this.finalize(id, { status: 'rejected', updatedAt: this.now(), reason: `${e.reason} (${e.code})` });
      }
      if (e instanceof DeribitRpcError || e instanceof DeribitUnknownOutcomeError) throw new VenueTimeoutError(e.message);
      if (e instanceof DeribitUnavailableError) {
        this.records.delete(id);
        throw new VenueUnavailableError(e.message);
      }
      throw e;
    }
    const { order, trades } = parseOrderWithTrades(answer);
    this.feed.accept(trades, 'streamed'); // the stream may bring them first: each trade emits once
    return this.statusOf(id, order);
  }

  private finalize(id: string, s: OrderStatus): OrderStatus {
    const rec = this.records.get(id) ?? { sentOnConnection: this.session.connectionId, sentAt: this.now() };
    rec.final = s;
    this.records.set(id, rec);
    return s;
  }

  /** The port's status of a Deribit order (INVERSE.md): BTC = USD filled / average price, fee BTC * average price. */
  private statusOf(id: string, o: DeribitOrder): OrderStatus {
    const filled = o.filledAmount > 0 && o.averagePrice > 0;
    const filledBtc = filled ? o.filledAmount / o.averagePrice : 0;
    const avgPriceUsd = filled ? o.averagePrice : 0;
    const feeUsd = filled ? o.commission * o.averagePrice : 0;
    switch (o.state) {
      case 'filled': return this.finalize(id, { status: 'filled', filledBtc, avgPriceUsd, feeUsd, updatedAt: o.updatedAt });
      case 'cancelled': return this.finalize(id, { status: 'cancelled', filledBtc, avgPriceUsd, feeUsd, updatedAt: o.updatedAt });
      case 'rejected': return this.finalize(id, { status: 'rejected', reason: o.cancelReason ?? 'rejected by deribit', updatedAt: o.updatedAt });
      default: return { status: 'open', filledBtc, avgPriceUsd, feeUsd, updatedAt: o.updatedAt };
    }
  }

  lookup(clientOrderId: string): Promise<OrderStatus> {
    if (this.closed) return Promise.reject(new VenueUnavailableError('deribit hedge venue is closed'));
    return this.perId(clientOrderId, async () => this.records.get(clientOrderId)?.final ?? this.lookupVenue(clientOrderId));
  }

  private async lookupVenue(id: string): Promise<OrderStatus> {
    const orders = parseOrders(await this.read('private/get_order_state_by_label', { currency: this.session.cfg.currency, label: id }))
      .filter((o) => o.instrument === this.perp.name).sort((a, b) => a.createdAt - b.createdAt);
    const order = orders.at(-1);
    if (order) return this.statusOf(id, order);
    const trades = [...(this.tradesByLabel.get(id)?.values() ?? [])];
    if (trades.length > 0) {
      // Past the order-state window only its trades remain: an IOC with trades is done.
      const usd = trades.reduce((s, t) => s + t.amount, 0);
      const filledBtc = trades.reduce((s, t) => s + t.amount / t.price, 0);
      const avgPriceUsd = usd / filledBtc;
      const feeUsd = trades.reduce((s, t) => s + t.fee, 0) * avgPriceUsd;
      return this.finalize(id, { status: 'filled', filledBtc, avgPriceUsd, feeUsd, updatedAt: Math.max(...trades.map((t) => t.at)) });
    }
    this.unknownAt.set(id, this.now());
    return { status: 'unknown' };
  }

  private async read(method: string, params: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.session.request(method, params, 'read');
    } catch (e) {
      if (e instanceof DeribitUnavailableError || (e instanceof DeribitRpcError && e.notProcessed)) throw new VenueUnavailableError(e.message);
      throw e;
    }
  }

  private async ticker(): Promise<Ticker> {
    return parseTicker(await this.read('public/ticker', { instrument_name: this.perp.name }));
  }

  async position(market: string): Promise<VenuePosition> {
    this.checkMarket(market);
    const p = parsePositions(await this.read('private/get_positions', { currency: this.session.cfg.currency, kind: 'future' })).find((x) => x.instrument === this.perp.name);
    if (!p || p.size === 0) return { market, sizeBtc: 0, avgEntryUsd: 0, fundingPaidUsd: 0 };
    // BTC at the mark (Deribit's size_currency); funding received (> 0 BTC) is negative paid USD.
    return { market, sizeBtc: p.sizeBtcAtMark ?? p.size / p.markPrice, avgEntryUsd: p.averagePrice, fundingPaidUsd: -p.realizedFundingBtc * p.markPrice };
  }

  async markPrice(market: string): Promise<{ priceUsd: number; at: number }> {
    this.checkMarket(market);
    const t = await this.ticker();
    return { priceUsd: t.markPrice, at: t.at };
  }

  async fundingRate(market: string): Promise<{ ratePerHour: number; at: number }> {
    this.checkMarket(market);
    const t = await this.ticker();
    return { ratePerHour: (t.funding8h ?? 0) / 8, at: t.at };
  }

  /** Sizes in BTC at the current mark: one contract (contractSize USD) and the minimum amount. */
  async marketInfo(market: string): Promise<MarketInfo> {
    this.checkMarket(market);
    const mark = (await this.ticker()).markPrice;
    return {
      market, minSizeBtc: this.perp.minTradeAmount / mark, lotSizeBtc: this.perp.contractSize / mark,
      tickSizeUsd: this.perp.tickSize, takerFeeBps: Math.round(this.perp.takerFeeRate * 1e10) / 1e6,
    };
  }

  /** The perp's contract as listed: USD per contract, the minimum amount (USD) and the price tick (USD). */
  perpContract(): { instrument: string; contractSizeUsd: number; minAmountUsd: number; tickSizeUsd: number } {
    return { instrument: this.perp.name, contractSizeUsd: this.perp.contractSize, minAmountUsd: this.perp.minTradeAmount, tickSizeUsd: this.perp.tickSize };
  }

  fills(): Observable<VenueFill> {
    return this.fillsSubject.asObservable();
  }

  /** Stops this venue's streams; the session belongs to the composition root, which closes it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.byId.values()]);
    this.sub.unsubscribe();
    await this.feed.close();
    this.fillsSubject.complete();
  }
}
