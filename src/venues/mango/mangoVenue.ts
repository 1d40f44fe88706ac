// The Mango v3 HedgeVenue: hedges with PlacePerpOrder2 'ioc' orders through the real
// MangoClient. Lots are computed here with explicit rounding and the instruction is built with
// mango-client's own makePlacePerpOrder2Instruction (what client.placePerpOrder2 does, minus
// its float truncation of price and size), then sent with client.sendTransaction (blockhash,
// priority fee, re-sends every 2 s, WebSocket confirmation with a polling fallback).
// Order work is serialised so every fill in the event queue maps to one in-flight order.
import { Transaction, type Connection, type Keypair } from '@solana/web3.js';
import BN from 'bn.js';
import type { Observable } from 'rxjs';
import { makePlacePerpOrder2Instruction } from '@blockworks-foundation/mango-client';
import {
  VenueRejectedError, VenueTimeoutError, VenueUnavailableError, type HedgeVenue, type IocOrderRequest, type MarketInfo,
  type OrderStatus, type VenueFill, type VenuePosition,
} from '../hedgeVenue.ts';
import type { MangoConfig } from './mangoConfig.ts';
import { closeConnection, connectMango, type MangoHandles } from './connectMango.ts';
import { failedTxid, isClientTimeout, readFailure, sendFailure } from './mangoErrors.ts';
import { failedTxReason } from './mangoProgramLogs.ts';
import { clientOrderIdU64 } from './clientOrderIdU64.ts';
import { limitPriceUsdToPriceLots, lotSizeBtc, maxQuoteLots, sizeBtcToBaseLots, tickSizeUsd } from './mangoLots.ts';
import { MangoFillTracker } from './mangoFillTracker.ts';
import { iocStatus } from './mangoOrderStatus.ts';
import { MangoOrderHistory } from './mangoOrderHistory.ts';
import { mangoFundingRate, mangoMarkPrice, mangoPosition } from './mangoReads.ts';
import { b58encode } from './base58.ts';

/** Extra wait beyond timeoutMs before we stop waiting for the client: 152 blocks ~ 70 s. */
const BLOCKHASH_EXPIRY_GRACE_MS = 70_000;

interface OrderRecord {
  u64: string;
  /** Requested base lots, when known. */
  requestedLots?: number;
  txid?: string;
  tx?: Transaction;
  /** Final status; absent while the outcome is unknown (confirmation timed out). */
  status?: OrderStatus;
}

export interface MangoVenueDeps {
  /** Wall clock, unix ms (order expiry; status times when no fill gives one). */
  now?: () => number;
  /** How long to wait for the client after timeoutMs before declaring the outcome unknown, ms. */
  graceMs?: number;
}

export class MangoVenue implements HedgeVenue {
  readonly name = 'mango-v3';
  private readonly records = new Map<string, OrderRecord>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly connection: Connection;
  private readonly owner: Keypair;
  private readonly history: MangoOrderHistory;
  private readonly tracker: MangoFillTracker;

  private constructor(private readonly cfg: MangoConfig, private readonly h: MangoHandles, private readonly now: () => number, private readonly graceMs: number) {
    this.connection = h.connection;
    this.owner = h.owner;
    this.history = new MangoOrderHistory(h.connection, h.account.publicKey, h.client.programId);
    this.tracker = new MangoFillTracker(h.connection, h.perpMarket.eventQueue, h.perpMarket.publicKey, h.account.publicKey, cfg.perpMarket, h.spec);
  }

  /** Loads group, account and perp market; throws VenueUnavailableError if the RPC fails. */
  static async connect(cfg: MangoConfig, deps: MangoVenueDeps = {}): Promise<MangoVenue> {
    return new MangoVenue(cfg, await connectMango(cfg), deps.now ?? Date.now, deps.graceMs ?? BLOCKHASH_EXPIRY_GRACE_MS);
  }

  /** Serialises order work so fills in the event queue map to one in-flight order. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private checkMarket(market: string): void {
    if (this.closed) throw new VenueUnavailableError('mango venue is closed');
    if (market !== this.cfg.perpMarket) throw new VenueRejectedError(`unknown market ${market} (this venue trades ${this.cfg.perpMarket})`);
  }

  private u64Of(clientOrderId: string): string {
    const u64 = clientOrderIdU64(clientOrderId);
    this.tracker.register(u64, clientOrderId);
    return u64;
  }

  placeIoc(req: IocOrderRequest): Promise<OrderStatus> {
    this.checkMarket(req.market);
    return this.serial(async () => {
      const known = this.records.get(req.clientOrderId);
      if (known) return this.refresh(known);
      // Never placed by this process: the event queue may still hold its fills (restart).
      const onChain = await this.lookupOnChain(req.clientOrderId, false);
      if (onChain.status !== 'unknown') return onChain;
      return this.send(req);
    });
  }

  private async send(req: IocOrderRequest): Promise<OrderStatus> {
    const { group, account, perpMarket, client } = this.h;
    const u64 = this.u64Of(req.clientOrderId);
    const sizeLots = sizeBtcToBaseLots(req.sizeBtc, this.h.spec);
    const record: OrderRecord = { u64, requestedLots: sizeLots };
    if (sizeLots < 1) {
      this.records.set(req.clientOrderId, record);
      return this.rejected(record, `size ${req.sizeBtc} BTC rounds to 0 lots (lot ${lotSizeBtc(this.h.spec)} BTC)`);
    }
    // A non-positive limit is an engine bug: thrown, and nothing is recorded.
    const priceLots = limitPriceUsdToPriceLots(req.limitPriceUsd, req.side, this.h.spec);
    this.records.set(req.clientOrderId, record);
    // Expiry from the wall clock: `at` may be a backtest's event time.
    const expirySec = Math.floor(this.now() / 1000) + this.cfg.orderExpirySec;
    const tx = new Transaction().add(makePlacePerpOrder2Instruction(
      client.programId, group.publicKey, account.publicKey, this.owner.publicKey, group.mangoCache,
      perpMarket.publicKey, perpMarket.bids, perpMarket.asks, perpMarket.eventQueue,
      account.getOpenOrdersKeysInBasketPacked(), new BN(priceLots), new BN(sizeLots),
      new BN(maxQuoteLots(sizeLots, priceLots, req.side), 10), new BN(u64, 10), req.side, new BN(20), 'ioc', req.reduceOnly,
      undefined, new BN(expirySec), 'absolute',
    ));
    record.tx = tx;
    try {
      record.txid = await this.withHardCap(client.sendTransaction(tx, this.owner, []));
    } catch (e) {
      const txid = failedTxid(e);
      if (txid !== undefined) {
        record.txid = txid;
        return this.rejected(record, await failedTxReason(this.connection, txid, tx));
      }
      record.txid = tx.signature ? b58encode(tx.signature) : undefined;
      if (isClientTimeout(e)) throw new VenueTimeoutError(`mango order ${req.clientOrderId} not confirmed within ${this.cfg.timeoutMs} ms: outcome unknown`);
      const err = sendFailure(e, tx.signature !== null);
      if (err.kind === 'unavailable') this.records.delete(req.clientOrderId);
      throw err;
    }
    record.status = iocStatus(await this.tracker.read(u64), sizeLots, this.h.spec, this.now());
    return record.status;
  }

  private rejected(record: OrderRecord, reason: string): OrderStatus {
    record.status = { status: 'rejected', reason, updatedAt: this.now() };
    return record.status;
  }

  private withHardCap<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Timed out awaiting confirmation (adapter hard cap)')), this.cfg.timeoutMs + this.graceMs);
    });
    return Promise.race([p, cap]).finally(() => clearTimeout(timer));
  }

  /**
   * Re-checks an order whose outcome was unknown (timeout); final statuses are returned as-is.
   * Reads in the order blockhash validity -> signature status -> fills, so a transaction
   * landing between two reads is never mistaken for one that matched nothing.
   */
  private async refresh(record: OrderRecord): Promise<OrderStatus> {
    if (record.status) return record.status;
    const { txid, tx } = record;
    if (!txid || !tx) return { status: 'unknown' };
    let alive: boolean;
    let landed: { err: unknown } | null;
    try {
      alive = tx.recentBlockhash ? (await this.connection.isBlockhashValid(tx.recentBlockhash, { commitment: 'processed' })).value : false;
      landed = (await this.connection.getSignatureStatuses([txid], { searchTransactionHistory: true })).value[0] ?? null;
    } catch (e) {
      throw readFailure(e, 'looking up an order');
    }
    const fills = await this.tracker.read(record.u64);
    if (fills.length > 0) return (record.status = iocStatus(fills, record.requestedLots, this.h.spec, this.now()));
    if (landed?.err) return this.rejected(record, await failedTxReason(this.connection, txid, tx));
    // Landed without a fill, or its blockhash expired so it never will land: nothing traded.
    if (landed !== null || !alive) return (record.status = iocStatus([], record.requestedLots, this.h.spec, this.now()));
    return { status: 'open', filledBtc: 0, avgPriceUsd: 0, feeUsd: 0, updatedAt: this.now() };
  }

  lookup(clientOrderId: string): Promise<OrderStatus> {
    if (this.closed) return Promise.reject(new VenueUnavailableError('mango venue is closed'));
    return this.serial(async () => {
      const known = this.records.get(clientOrderId);
      return known ? this.refresh(known) : this.lookupOnChain(clientOrderId, true);
    });
  }

  /**
   * An id this process never placed (e.g. after a restart): fills in the event queue, open
   * orders on the account, and with `deep` the account's transaction history (size, rejects).
   */
  private async lookupOnChain(clientOrderId: string, deep: boolean): Promise<OrderStatus> {
    const u64 = this.u64Of(clientOrderId);
    const fills = await this.tracker.read(u64);
    try {
      const placed = deep ? await this.history.find(u64) : undefined;
      const record: OrderRecord = { u64, requestedLots: placed?.requestedLots, txid: placed?.txid };
      if (fills.length > 0) {
        record.status = iocStatus(fills, record.requestedLots, this.h.spec, this.now());
      } else if (placed) {
        const at = placed.blockTimeMs ?? this.now();
        record.status = placed.rejectReason !== undefined
          ? { status: 'rejected', reason: placed.rejectReason, updatedAt: at }
          : iocStatus([], placed.requestedLots, this.h.spec, at);
      }
      if (record.status) {
        this.records.set(clientOrderId, record);
        return record.status;
      }
      // An IOC never rests, so the pre-place check stops here; a lookup also reads open orders.
      if (!deep) return { status: 'unknown' };
      await this.h.account.reload(this.connection);
    } catch (e) {
      throw readFailure(e, 'looking up an order on chain');
    }
    const { orderMarket, clientOrderIds } = this.h.account;
    for (let i = 0; i < orderMarket.length; i++) {
      if (orderMarket[i] === this.h.marketIndex && clientOrderIds[i]?.toString(10) === u64) {
        return { status: 'open', filledBtc: 0, avgPriceUsd: 0, feeUsd: 0, updatedAt: this.now() };
      }
    }
    return { status: 'unknown' };
  }

  position(market: string): Promise<VenuePosition> {
    this.checkMarket(market);
    return mangoPosition(this.connection, this.h.group, this.h.account, this.h.marketIndex, this.h.spec, market);
  }

  markPrice(market: string): Promise<{ priceUsd: number; at: number }> {
    this.checkMarket(market);
    return mangoMarkPrice(this.connection, this.h.group, this.h.marketIndex);
  }

  fundingRate(market: string): Promise<{ ratePerHour: number; at: number }> {
    this.checkMarket(market);
    return mangoFundingRate(this.connection, this.h.group, this.h.perpMarket, this.h.marketIndex, this.now);
  }

  marketInfo(market: string): Promise<MarketInfo> {
    this.checkMarket(market);
    const info = this.h.group.perpMarkets[this.h.marketIndex];
    if (!info) throw new Error(`no perp market info at index ${this.h.marketIndex}`);
    const lot = lotSizeBtc(this.h.spec);
    // I80F48 holds 0.0004 as 0.00039999999999906777: round to 1e-6 bps.
    return Promise.resolve({ market, minSizeBtc: lot, lotSizeBtc: lot, tickSizeUsd: tickSizeUsd(this.h.spec), takerFeeBps: Math.round(info.takerFee.toNumber() * 1e10) / 1e6 });
  }

  /** Logging the venue must never print the keypair held in its handles. */
  toJSON(): { name: string; account: string } {
    return { name: this.name, account: this.h.account.publicKey.toBase58() };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `MangoVenue { account: ${this.h.account.publicKey.toBase58()}, market: ${this.cfg.perpMarket} }`;
  }

  fills(): Observable<VenueFill> {
    return this.tracker.fills();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    this.tracker.complete();
    closeConnection(this.connection);
  }
}
