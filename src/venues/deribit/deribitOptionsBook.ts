// OptionsBook on Deribit's BTC options, over the engine's one DeribitSession (shared with
// DeribitHedgeVenue). Series come from public/get_instruments (active inverse options of the
// currency); positions from private/get_positions with equity from get_account_summary;
// trades from user.trades.option.{currency}.raw with a backfill after every reconnect
// (TradeFeed) and from the paged history for tradesSince; marks from
// markprice.options.{index}; the index from deribit_price_index.{index}; MMP triggers from
// user.mmp_trigger.{index}; our resting quotes from get_open_orders_by_currency (kind option)
// and user.orders.option.{currency}.raw. Quote rules: quoteSync.ts. Mass quotes are not used:
// plain post-only orders work on every account (mass_quote needs Deribit to enable it).
import { Subject, map, mergeMap, type Observable, type Subscription } from 'rxjs';
import {
  type BookPositions, type DesiredQuote, type IndexPrice, type MarksUpdate, type MmpSettings, type MmpTrigger, type OptionSeries, type OptionTrade,
  type OptionsBook, type OptionsBookCounters, type QuoteSyncResult, type RestingQuote,
} from '../optionsBook.ts';
import { VenueTimeoutError, VenueUnavailableError } from '../hedgeVenue.ts';
import type { DeribitSession } from './deribitSession.ts';
import { DeribitRpcError, DeribitUnavailableError, DeribitUnknownOutcomeError } from './errors.ts';
import { parseInstruments, type DeribitInstrument } from './parseInstruments.ts';
import { parseIndexPrice, parseMarkPrices, parseMmpConfigs, parseMmpTrigger, parsePriceIndex } from './parseMarketData.ts';
import { parseOrderNotification, type DeribitTrade } from './parseOrders.ts';
import { parseAccountSummary, parsePositions } from './parsePositions.ts';
import { parseQuoteLabel } from './quoteLabels.ts';
import { QuoteSyncer } from './quoteSync.ts';
import { RestingOrders, toRestingQuote } from './restingOrders.ts';
import { TradeFeed } from './tradeFeed.ts';
import { tradesSince } from './tradeHistory.ts';
import { channels } from './wire/channels.ts';

export interface DeribitOptionsBookOptions {
  /** Wall clock, unix ms. */
  now?: () => number;
  /** Amend a resting quote when its price moves by more than this many ticks (default 0: any tick). */
  amendTicks?: number;
  /** Amend when the resting size changes by more than this share of it (default 0.1). */
  amendSizeShare?: number;
}

export class DeribitOptionsBook implements OptionsBook {
  readonly name = 'deribit-options';
  private readonly resting = new RestingOrders();
  private readonly counts: OptionsBookCounters = {
    placed: 0, amended: 0, cancelled: 0, postOnlyRepriced: 0, postOnlyGaveUp: 0, rateLimited: 0, creditRefusals: 0,
    mmpTriggers: 0, unknownOutcomes: 0, tradesStreamed: 0, tradesBackfilled: 0, duplicateTrades: 0, malformedFrames: 0,
  };
  private readonly syncer: QuoteSyncer;
  private readonly subs: Subscription[] = [];
  private readonly mmpSubject = new Subject<MmpTrigger>();
  private queue: Promise<unknown> = Promise.resolve();
  private mmpFrozenUntil: number | null = null;
  private mmpFrozenTimeSec: number | null = null;
  private readonly cfg: DeribitSession['cfg'];

  private constructor(private readonly session: DeribitSession, private readonly instruments: ReadonlyMap<string, DeribitInstrument>,
    private readonly feed: TradeFeed, private readonly now: () => number, o: DeribitOptionsBookOptions) {
    this.cfg = session.cfg;
    this.syncer = new QuoteSyncer({
      session, instruments, resting: this.resting, counters: this.counts, now,
      amendTicks: o.amendTicks ?? 0, amendSizeShare: o.amendSizeShare ?? 0.1,
      mmpFrozenUntil: () => this.mmpFrozenUntil,
      onVenueFrozen: () => {
        this.mmpFrozenUntil = this.mmpFrozenTimeSec === 0 ? 0 : now() + 1000 * (this.mmpFrozenTimeSec ?? 1);
        this.resting.stale = true;
      },
      onTrades: (trades) => feed.accept(trades, 'streamed'),
    });
    this.subs.push(session.channel(channels.userOrders('option', this.cfg.currency)).subscribe((d) => {
      for (const o of parseOrderNotification(d)) this.resting.apply(o);
    }));
    this.subs.push(session.channel(channels.mmpTrigger(this.cfg.indexName)).pipe(map(parseMmpTrigger)).subscribe((t) => {
      this.counts.mmpTriggers++;
      this.mmpFrozenUntil = t.frozenUntilMs;
      this.resting.stale = true; // the venue pulled our mmp quotes
      this.mmpSubject.next({ at: now(), frozenUntilMs: t.frozenUntilMs === 0 ? null : t.frozenUntilMs, indexName: t.indexName });
    }));
    this.subs.push(session.reconnected().subscribe(() => {
      this.resting.stale = true; // cancel-on-disconnect may have pulled them
    }));
  }

  static async open(session: DeribitSession, o: DeribitOptionsBookOptions = {}): Promise<DeribitOptionsBook> {
    const now = o.now ?? Date.now;
    const cfg = session.cfg;
    const all = parseInstruments(await session.request('public/get_instruments', { currency: cfg.currency, kind: 'option' }, 'read'));
    const options = all.filter((i) => i.kind === 'option' && i.active && i.inverse);
    const feed = await TradeFeed.open(session, { currency: cfg.currency, kind: 'option', now, startMs: now() });
    const book = new DeribitOptionsBook(session, new Map(options.map((i) => [i.name, i])), feed, now, o);
    await session.subscribe([
      channels.userOrders('option', cfg.currency), channels.mmpTrigger(cfg.indexName),
      channels.markPriceOptions(cfg.indexName), channels.priceIndex(cfg.indexName),
    ]);
    return book;
  }

  series(): readonly OptionSeries[] {
    return [...this.instruments.values()].map((i) => ({
      instrument: i.name, kind: i.optionKind!, strikeUsd: i.strikeUsd!, expiryMs: i.expiryMs, tickSizeBtc: i.tickSize,
      tickSteps: i.tickSteps.map((s) => ({ abovePriceBtc: s.abovePrice, tickSizeBtc: s.tickSize })), minAmountContracts: i.minTradeAmount, contractSizeBtc: i.contractSize,
    }));
  }

  private async read(method: string, params: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.session.request(method, params, 'read');
    } catch (e) {
      if (e instanceof DeribitUnavailableError || (e instanceof DeribitRpcError && e.notProcessed)) throw new VenueUnavailableError(e.message);
      throw e;
    }
  }

  async positions(): Promise<BookPositions> {
    const at = this.now();
    const positions = parsePositions(await this.read('private/get_positions', { currency: this.cfg.currency }));
    const summary = parseAccountSummary(await this.read('private/get_account_summary', { currency: this.cfg.currency }));
    const indexPriceUsd = parseIndexPrice(await this.read('public/get_index_price', { index_name: this.cfg.indexName }));
    const perp = positions.find((p) => p.instrument === this.cfg.perpInstrument && p.size !== 0);
    return {
      at, indexPriceUsd, equityBtc: summary.equity, balanceBtc: summary.balance,
      options: positions.filter((p) => p.kind === 'option' && p.size !== 0).map((p) => ({ instrument: p.instrument, sizeContracts: p.size, averagePriceBtc: p.averagePrice, markPriceBtc: p.markPrice })),
      perp: perp ? { instrument: perp.instrument, sizeUsd: perp.size, sizeBtcAtMark: perp.sizeBtcAtMark ?? perp.size / perp.markPrice, averagePriceUsd: perp.averagePrice, markPriceUsd: perp.markPrice } : null,
    };
  }

  private toOptionTrade(t: DeribitTrade): OptionTrade {
    const q = t.label === null ? null : parseQuoteLabel(t.label);
    return {
      tradeId: t.tradeId, tradeSeq: t.tradeSeq, at: t.at, instrument: t.instrument, side: t.side, amountContracts: t.amount,
      priceBtc: t.price, indexPriceUsd: t.indexPriceUsd, priceUsd: t.price * t.indexPriceUsd, feeBtc: t.fee, orderId: t.orderId,
      label: t.label, vaultId: q?.vaultId ?? null, quoteSide: q?.side ?? null, liquidity: t.liquidity,
    };
  }

  trades(): Observable<OptionTrade> {
    return this.feed.trades().pipe(map((t) => this.toOptionTrade(t)));
  }

  async tradesSince(fromMs: number): Promise<OptionTrade[]> {
    try {
      return (await tradesSince(this.session, { currency: this.cfg.currency, kind: 'option', fromMs, now: this.now() })).map((t) => this.toOptionTrade(t));
    } catch (e) {
      if (e instanceof DeribitUnavailableError || (e instanceof DeribitRpcError && e.notProcessed)) throw new VenueUnavailableError(e.message);
      throw e;
    }
  }

  marks(): Observable<MarksUpdate> {
    return this.session.channel(channels.markPriceOptions(this.cfg.indexName)).pipe(this.parsed((d) => {
      const marks = parseMarkPrices(d);
      return { at: Math.max(0, ...marks.map((m) => m.at)), marks: marks.map((m) => ({ instrument: m.instrument, markPriceBtc: m.markPriceBtc, markIv: m.iv })) };
    }));
  }

  index(): Observable<IndexPrice> {
    return this.session.channel(channels.priceIndex(this.cfg.indexName)).pipe(this.parsed((d) => {
      const p = parsePriceIndex(d);
      return { at: p.at, priceUsd: p.priceUsd, indexName: p.indexName };
    }));
  }

  /**
   * Market data parsed frame by frame: a frame that does not parse is skipped and counted
   * (malformedFrames), never the end of the stream (an ended index stream would stop the run's
   * price feed; the next good frame carries on, and a feed left without good frames goes stale).
   */
  private parsed<T>(parse: (d: unknown) => T): (src: Observable<unknown>) => Observable<T> {
    return mergeMap((d: unknown) => {
      try {
        return [parse(d)];
      } catch {
        this.counts.malformedFrames++;
        return [];
      }
    });
  }

  /** Serialises book operations: one sync (or cancel-all) at a time. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  syncQuotes(vaultId: string, desired: readonly DesiredQuote[], at: number): Promise<QuoteSyncResult> {
    return this.serial(() => this.syncer.sync(vaultId, desired, at));
  }

  restingQuotes(vaultId?: string): Promise<RestingQuote[]> {
    return this.serial(async () => {
      if (!(await this.syncer.reload())) throw new VenueUnavailableError('deribit session down: open orders not read');
      return this.resting.forVault(vaultId).map(toRestingQuote);
    });
  }

  cancelAllQuotes(): Promise<number> {
    return this.serial(async () => {
      this.session.credits.take(this.cfg.credits.orderCost);
      let n: unknown;
      try {
        n = await this.session.request('private/cancel_all_by_currency', { currency: this.cfg.currency, kind: 'option' }, 'write');
      } catch (e) {
        this.resting.stale = true;
        if (e instanceof DeribitUnknownOutcomeError || (e instanceof DeribitRpcError && e.outcomeUnknown)) throw new VenueTimeoutError(e.message);
        if (e instanceof DeribitUnavailableError || (e instanceof DeribitRpcError && e.notProcessed)) throw new VenueUnavailableError(e.message);
        throw e;
      }
      this.resting.clear();
      if (typeof n !== 'number') throw new Error('deribit cancel_all_by_currency answered a non-number');
      this.counts.cancelled += n;
      return n;
    });
  }

  async configureMmp(s: MmpSettings): Promise<MmpSettings> {
    const params: Record<string, unknown> = { index_name: this.cfg.indexName, interval: s.intervalSec, frozen_time: s.frozenTimeSec };
    if (s.quantityLimitContracts !== undefined) params.quantity_limit = s.quantityLimitContracts;
    if (s.deltaLimitBtc !== undefined) params.delta_limit = s.deltaLimitBtc;
    if (s.vegaLimit !== undefined) params.vega_limit = s.vegaLimit;
    const [c] = parseMmpConfigs(await this.read('private/set_mmp_config', params));
    if (!c) throw new Error('deribit set_mmp_config answered no config');
    this.mmpFrozenTimeSec = c.frozenTimeSec;
    return {
      intervalSec: c.intervalSec, frozenTimeSec: c.frozenTimeSec,
      ...(c.quantityLimit !== null ? { quantityLimitContracts: c.quantityLimit } : {}),
      ...(c.deltaLimit !== null ? { deltaLimitBtc: c.deltaLimit } : {}),
      ...(c.vegaLimit !== null ? { vegaLimit: c.vegaLimit } : {}),
    };
  }

  /** The account's MMP settings for the index as the venue holds them (private/get_mmp_config); null: none set. */
  async mmpConfig(): Promise<MmpSettings | null> {
    const [c] = parseMmpConfigs(await this.read('private/get_mmp_config', { index_name: this.cfg.indexName }));
    if (!c) return null;
    return {
      intervalSec: c.intervalSec, frozenTimeSec: c.frozenTimeSec,
      ...(c.quantityLimit !== null ? { quantityLimitContracts: c.quantityLimit } : {}),
      ...(c.deltaLimit !== null ? { deltaLimitBtc: c.deltaLimit } : {}),
      ...(c.vegaLimit !== null ? { vegaLimit: c.vegaLimit } : {}),
    };
  }

  async resetMmp(): Promise<void> {
    await this.read('private/reset_mmp', { index_name: this.cfg.indexName });
    this.mmpFrozenUntil = null;
  }

  mmpTriggers(): Observable<MmpTrigger> {
    return this.mmpSubject.asObservable();
  }

  counters(): OptionsBookCounters {
    const f = this.feed.counters;
    return { ...this.counts, tradesStreamed: f.streamed, tradesBackfilled: f.backfilled, duplicateTrades: f.duplicates };
  }

  /** Stops this book's streams; quotes stay (cancelAllQuotes first to pull them). The session is the composition root's. */
  async close(): Promise<void> {
    await this.queue;
    for (const s of this.subs) s.unsubscribe();
    await this.feed.close();
    this.mmpSubject.complete();
  }
}
