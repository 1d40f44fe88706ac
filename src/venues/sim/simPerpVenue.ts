// The simulated perpetual-futures exchange (HedgeVenue). Deterministic: an order's outcome is
// a function of (config, seed, request, reference price at req.at + latency, position) and
// its time is event time (req.at + latency from hash(seed, id)); nothing reads the wall
// clock or a stateful RNG. Idempotent by client order id: the first outcome is stored and
// returned to every later placement, and never fills again. Event-sourced on a
// SimVenueStore: every order record is durable before its caller (or the fill stream) sees it.
import type { Observable } from 'rxjs';
import {
  VenueRejectedError, VenueTimeoutError, VenueUnavailableError,
  type HedgeVenue, type IocOrderRequest, type MarketInfo, type OrderStatus, type VenueFill, type VenuePosition,
} from '../hedgeVenue.ts';
import { FaultSchedule } from './faultSchedule.ts';
import { loadRx } from './loadRx.ts';
import { InMemorySimVenueStore } from './inMemorySimVenueStore.ts';
import { decideIoc } from './iocMatcher.ts';
import { btcToLots, lotsToBtc } from './lots.ts';
import { PositionBook } from './positionBook.ts';
import { PushedPriceReference, type PriceReference } from './priceReference.ts';
import { decodeOrderRecord, encodeOrderRecord, type SimOrderRecord } from './simOrderRecord.ts';
import { SequencedFillLog, type SequencedFill } from './sequencedFillLog.ts';
import { resolveSimVenueConfig, type SimVenueConfig, type SimVenueConfigInput } from './simVenueConfig.ts';
import type { SimVenueStore } from './simVenueStore.port.ts';

export interface SimPerpVenueOptions {
  /** A fixed reference (price file, synthetic path), or 'pushed': prices arrive through pushPrice and are stored. */
  prices: PriceReference | 'pushed';
  config?: SimVenueConfigInput;
  /** Default: a fresh InMemorySimVenueStore. */
  store?: SimVenueStore;
  /** Names the price source in the stored configuration fingerprint (e.g. the price file path). */
  pricesLabel?: string;
}

export type { SequencedFill } from './sequencedFillLog.ts';

const CLOCK_META_KEY = 'clockMs';
const CONFIG_META_KEY = 'config';

/** The store was written under another configuration: reusing it would break determinism. */
export class SimVenueConfigMismatchError extends Error {
  constructor(readonly stored: string, readonly current: string) {
    super(`sim venue state was made with another configuration (stored ${stored}, now ${current}); use the same options or a new database`);
    this.name = 'SimVenueConfigMismatchError';
  }
}

export class SimPerpVenue implements HedgeVenue {
  readonly name: string;
  readonly config: SimVenueConfig;
  /** Scripted faults and outage windows can be added here (tests, the server's admin route). */
  readonly faults: FaultSchedule;
  private readonly orders = new Map<string, { record: SimOrderRecord; durable: Promise<void> }>();
  private readonly books = new Map<string, PositionBook>();
  private readonly fillLog = new SequencedFillLog();
  private nextSeq = 1;
  private clock = -Infinity;
  private writeChain: Promise<void> = Promise.resolve();
  private broken: unknown = undefined;
  private closed = false;

  private constructor(
    private readonly reference: PriceReference,
    private readonly pushed: PushedPriceReference | undefined,
    private readonly store: SimVenueStore,
    config: SimVenueConfig,
  ) {
    this.config = config;
    this.name = config.name;
    this.faults = new FaultSchedule(config.seed, config.faults, config.latencyMs, config.latencyJitterMs);
    for (const m of config.markets) {
      this.books.set(m, new PositionBook({ lotSizeBtc: config.lotSizeBtc, ratePerHour: config.fundingRatePerHour, intervalMs: config.fundingIntervalMs }));
    }
  }

  /** Opens the venue on its store, rebuilding orders, positions, fills and pushed prices. */
  static async open(options: SimPerpVenueOptions): Promise<SimPerpVenue> {
    const config = resolveSimVenueConfig(options.config);
    const store = options.store ?? new InMemorySimVenueStore();
    const pushed = options.prices === 'pushed' ? new PushedPriceReference() : undefined;
    const venue = new SimPerpVenue(pushed ?? (options.prices as PriceReference), pushed, store, config);
    const contents = await store.load();
    // Everything that shapes an outcome must match the run that wrote the state.
    const fingerprint = JSON.stringify({ config, prices: options.pricesLabel ?? (pushed ? 'pushed' : 'fixed') });
    const storedFingerprint = contents.meta[CONFIG_META_KEY];
    if (storedFingerprint === undefined) await store.setMeta(CONFIG_META_KEY, fingerprint);
    else if (storedFingerprint !== fingerprint) throw new SimVenueConfigMismatchError(storedFingerprint, fingerprint);
    for (const p of contents.prices) {
      if (pushed === undefined) throw new Error('sim venue: the store holds pushed prices but the venue was opened on a price file');
      pushed.push(p.at, p.priceUsd);
      venue.clock = Math.max(venue.clock, p.at);
    }
    for (const doc of contents.orders) {
      const record = decodeOrderRecord(doc.body);
      if (record.seq !== doc.seq || record.request.clientOrderId !== doc.clientOrderId) throw new Error(`sim venue: order record ${doc.seq} does not match its key`);
      if (record.seq !== venue.nextSeq) throw new Error(`sim venue: order sequence gap at ${record.seq} (expected ${venue.nextSeq})`);
      venue.apply(record);
      venue.orders.set(record.request.clientOrderId, { record, durable: Promise.resolve() });
      venue.fillLog.append(record.fills);
    }
    const savedClock = contents.meta[CLOCK_META_KEY];
    if (savedClock !== undefined) venue.clock = Math.max(venue.clock, Number(savedClock));
    return venue;
  }

  async placeIoc(req: IocOrderRequest): Promise<OrderStatus> {
    this.assertUsable();
    const seen = this.orders.get(req.clientOrderId);
    if (seen !== undefined) {
      await seen.durable;
      return seen.record.status; // first outcome, never a second fill, never a second timeout
    }
    if (typeof req.clientOrderId !== 'string' || req.clientOrderId === '') throw new VenueRejectedError('clientOrderId must be a non-empty string');
    if (!Number.isFinite(req.at)) throw new VenueRejectedError(`at must be a finite unix ms time, got ${req.at}`);
    if (this.faults.isOutage(req.at)) throw new VenueUnavailableError(`venue outage at ${new Date(req.at).toISOString()} (nothing placed)`);
    const fillAt = req.at + this.faults.latencyFor(req.clientOrderId);
    const fault = this.faults.faultFor(req.clientOrderId);
    const decision = decideIoc({
      req, cfg: this.config, fault, fillAt,
      refPriceUsd: this.reference.priceAt(fillAt),
      positionLots: this.books.get(req.market)?.lots ?? 0,
    });
    const record: SimOrderRecord = {
      seq: this.nextSeq, request: { ...req }, status: decision.status, fills: decision.fills,
      toldTimeout: fault === 'timeout' && decision.status.status !== 'rejected',
    };
    this.apply(record);
    const durable = this.persist(record);
    this.orders.set(req.clientOrderId, { record, durable });
    await durable;
    if (record.toldTimeout) throw new VenueTimeoutError(`venue timed out on ${req.clientOrderId}: outcome unknown (look it up)`);
    return record.status;
  }

  async lookup(clientOrderId: string): Promise<OrderStatus> {
    this.assertUsable();
    const seen = this.orders.get(clientOrderId);
    if (seen === undefined) return { status: 'unknown' };
    await seen.durable;
    return seen.record.status;
  }

  async position(market: string): Promise<VenuePosition> {
    this.assertUsable();
    const book = this.book(market);
    await this.writeChain;
    return {
      market,
      sizeBtc: lotsToBtc(book.lots, this.config.lotSizeBtc),
      avgEntryUsd: book.avgEntryUsd,
      fundingPaidUsd: book.fundingPaidUsd(this.clock, this.reference),
    };
  }

  markPrice(market: string): Promise<{ priceUsd: number; at: number }> {
    return Promise.resolve(this.markPriceAt(market, this.clockMs()));
  }

  /** The reference price at event time `at` (before the first price: the first price). */
  markPriceAt(market: string, at: number): { priceUsd: number; at: number } {
    this.assertUsable();
    this.book(market);
    const first = this.reference.firstAt();
    if (first === undefined) throw new VenueUnavailableError('sim venue has no reference price yet');
    const t = Math.max(at, first);
    const priceUsd = this.reference.priceAt(t);
    if (priceUsd === undefined) throw new VenueUnavailableError(`sim venue has no reference price at ${t}`);
    return { priceUsd, at: t };
  }

  fundingRate(market: string): Promise<{ ratePerHour: number; at: number }> {
    this.assertUsable();
    this.book(market);
    return Promise.resolve({ ratePerHour: this.config.fundingRatePerHour, at: this.clockMs() });
  }

  marketInfo(market: string): Promise<MarketInfo> {
    this.assertUsable();
    this.book(market);
    const c = this.config;
    return Promise.resolve({ market, minSizeBtc: c.minSizeBtc, lotSizeBtc: c.lotSizeBtc, tickSizeUsd: c.tickSizeUsd, takerFeeBps: c.takerFeeBps });
  }

  /** Every fill the venue has made (replayed from the start), then new ones as they become durable. */
  fills(): Observable<VenueFill> {
    return this.fillsSince(0).pipe(loadRx().map((s) => s.fill));
  }

  /** Fills with seq > sinceSeq: the stored ones at once, then live ones; no gap, no repeat. */
  fillsSince(sinceSeq: number): Observable<SequencedFill> {
    return this.fillLog.since(sinceSeq);
  }

  /** Pushed-price mode: a new reference price (durable when the promise resolves). */
  async pushPrice(at: number, priceUsd: number): Promise<void> {
    this.assertUsable();
    if (this.pushed === undefined) throw new RangeError('this sim venue prices off a fixed source; it takes no pushed prices');
    this.pushed.push(at, priceUsd);
    this.clock = Math.max(this.clock, at);
    await this.chain(() => this.store.appendPrice({ at, priceUsd }));
  }

  /** Moves the venue clock (event time) forward, e.g. so funding accrues up to `at`. */
  async advanceClock(at: number): Promise<void> {
    this.assertUsable();
    if (!Number.isFinite(at)) throw new RangeError(`advanceClock: bad time ${at}`);
    if (at <= this.clock) return;
    this.clock = at;
    await this.chain(() => this.store.setMeta(CLOCK_META_KEY, String(at)));
  }

  /** The venue's event time: the latest order, pushed price or advanceClock seen (0 before any). */
  clockMs(): number {
    return Number.isFinite(this.clock) ? this.clock : 0;
  }

  get orderCount(): number {
    return this.orders.size;
  }

  get fillCount(): number {
    return this.fillLog.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeChain;
    this.fillLog.complete();
    await this.store.close();
  }

  /** Books an order record in memory: sequence, clock, positions. */
  private apply(record: SimOrderRecord): void {
    this.nextSeq = record.seq + 1;
    this.clock = Math.max(this.clock, record.status.updatedAt);
    const book = this.books.get(record.request.market);
    for (const f of record.fills) {
      if (book === undefined) throw new Error(`sim venue: fill in unlisted market ${f.market}`);
      const lots = btcToLots(f.sizeBtc, this.config.lotSizeBtc);
      book.applyFill(f.side === 'buy' ? lots : -lots, f.priceUsd, f.at);
    }
  }

  private persist(record: SimOrderRecord): Promise<void> {
    const doc = { seq: record.seq, clientOrderId: record.request.clientOrderId, body: encodeOrderRecord(record) };
    return this.chain(() => this.store.appendOrder(doc)).then(() => this.fillLog.append(record.fills));
  }

  /** Store writes run one after another, so records land (and fills publish) in seq order. */
  private chain(write: () => Promise<void>): Promise<void> {
    const next = this.writeChain.then(write);
    this.writeChain = next.catch((err: unknown) => {
      this.broken ??= err; // a failed write: the venue's memory is ahead of its store; stop
    });
    return next;
  }

  private book(market: string): PositionBook {
    const book = this.books.get(market);
    if (book === undefined) throw new VenueRejectedError(`unknown market ${market}`);
    return book;
  }

  private assertUsable(): void {
    if (this.closed) throw new VenueUnavailableError('sim venue is closed');
    if (this.broken !== undefined) {
      throw new VenueUnavailableError(`sim venue store failed: ${this.broken instanceof Error ? this.broken.message : JSON.stringify(this.broken)}`);
    }
  }
}
