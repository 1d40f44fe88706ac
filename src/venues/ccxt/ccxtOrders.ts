// The order lifecycle of the ccxt venue: one placement or lookup per engine id at a time; look
// the venue's client id up before placing; place once; settle an answered order from the venue's
// record and trade history; sort every failure into what it says about the order. Final
// statuses are venue facts and are kept.
import type { Exchange, MarketInterface as Market, Order } from 'ccxt';
import { VenueTimeoutError, VenueUnavailableError, type IocOrderRequest, type OrderStatus } from '../hedgeVenue.ts';
import { backoffMs, mapFailure, readCall, type CallContext } from './ccxtCalls.ts';
import { classify, venueText } from './ccxtErrors.ts';
import type { CcxtProfile, PlaceAnswer, VenueOrderRecord } from './ccxtProfile.ts';
import type { CcxtConfig } from './config.ts';
import { lotBtc, orderAmount, type MarketSpec } from './contractMath.ts';
import type { FillFeed } from './fillFeed.ts';
import { statusFromTrades } from './parseTrades.ts';

export interface CcxtOrdersDeps {
  name: string;
  cfg: CcxtConfig;
  profile: CcxtProfile;
  ex: Exchange;
  market: Market;
  spec: MarketSpec;
  ctx: CallContext;
  feed: FillFeed;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The account's signed position, BTC (reduce-only clamping). */
  positionBtc: () => Promise<number>;
}

export class CcxtOrders {
  /** Final statuses, by engine id: venue facts that no longer change. */
  private readonly final = new Map<string, OrderStatus>();
  /** One placement or lookup per engine id at a time. */
  private readonly busy = new Map<string, Promise<unknown>>();
  private readonly name: string;
  private readonly cfg: CcxtConfig;
  private readonly profile: CcxtProfile;
  private readonly ex: Exchange;
  private readonly ctx: CallContext;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly d: CcxtOrdersDeps) {
    this.name = d.name;
    this.cfg = d.cfg;
    this.profile = d.profile;
    this.ex = d.ex;
    this.ctx = d.ctx;
    this.sleep = d.sleep;
    this.now = d.now;
  }

  private exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const prev = this.busy.get(id) ?? Promise.resolve();
    const run = prev.then(work, work);
    this.busy.set(id, run);
    const clear = (): void => { if (this.busy.get(id) === run) this.busy.delete(id); };
    run.then(clear, clear);
    return run;
  }

  private clientId(engineId: string): string {
    const cid = this.profile.clientId(engineId);
    this.d.feed.register(cid, engineId);
    return cid;
  }

  place(req: IocOrderRequest): Promise<OrderStatus> {
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

  lookup(engineId: string): Promise<OrderStatus> {
    return this.exclusive(engineId, () => this.lookupOnce(engineId));
  }

  /** Resolves when no placement or lookup is running. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.busy.values()]);
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
    this.d.feed.push(trades, engineId);
    const r = statusFromTrades(rec, trades, this.d.spec, answered);
    if (r.complete) this.final.set(engineId, r.status);
    return r;
  }

  /** Places the order once. 'rateLimited': the venue refused to process it (nothing placed). */
  private async send(req: IocOrderRequest): Promise<OrderStatus | 'rateLimited'> {
    const cid = this.clientId(req.clientOrderId);
    const sizeBtc = req.reduceOnly && this.profile.clampReduceOnly ? await this.reducible(req) : req.sizeBtc;
    const { steps, amount } = orderAmount(sizeBtc, this.d.spec, req.limitPriceUsd);
    if (steps < 1) {
      return this.reject(req.clientOrderId, `size ${req.sizeBtc} BTC is below one amount step (${lotBtc(this.d.spec, req.limitPriceUsd)} BTC)`, req.at);
    }
    const price = this.profile.limitPrice(this.d.market, req.limitPriceUsd, req.side);
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
    const pos = await this.d.positionBtc();
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
}
