// The OptionsBook port: what the engine needs from an options venue on which a vault makes
// markets. Positions (options and the hedge perp) and equity, the vault's option trades as
// they happen and since a time, the venue's marks (price and IV per series) and index, and
// the vault's resting quotes kept equal to a desired set, with market-maker protection.
// Deribit implements it (src/venues/deribit/deribitOptionsBook.ts).
//
// Units are in the names. Option prices are BTC per contract (Deribit's BTC options are
// inverse: priced, margined and settled in BTC); one contract is 1 BTC of underlying; the
// index is USD per BTC. A vault's quotes in USD convert with priceBtc = priceUsd / indexUsd
// (quotePriceBtc below), taken from committed state so that a replay sends the same prices.
//
// How the engine uses it (part 2 of issue 19):
// - Quotes are effects from committed state: after each commit that changes a vault's quotes
//   (and once after recovery), call syncQuotes(vaultId, quotes) with the committed set. It
//   reads the venue's open orders on its first call and after every reconnect, so after a
//   crash the venue is brought to the committed quotes. Calls for one book are serialised.
// - Fills: journal each OptionTrade as a fill with fillId = tradeId (unique, counted once).
//   trades() is the live stream (it backfills itself after reconnects); on start, read
//   tradesSince(last journaled trade's `at`) as well, and let the fill-id key drop repeats.
// - Halt, stale feed, engine stop: cancelAllQuotes(). Cancel-on-disconnect is on for the
//   session, so a killed engine leaves no quote behind either.
// - MMP: configureMmp() from the vault's config at start; journal each mmpTriggers() event;
//   syncQuotes refuses to place or amend while frozen (it still cancels).
import type { Observable } from 'rxjs';

export type QuoteSide = 'bid' | 'ask';

/** One side of one series the vault wants resting on the book. */
export interface DesiredQuote {
  /** Series name, Deribit convention: BTC-27JUN25-60000-C. */
  instrument: string;
  side: QuoteSide;
  /** Limit price, BTC per contract. Rounded to the series' tick by the adapter: bids down, asks up (never more aggressive). */
  priceBtc: number;
  /** Size to rest, contracts. Rounded down to the venue's minimum step; 0 means no quote on this side. */
  amountContracts: number;
}

/** A quote resting on the venue, as the adapter last knew it. */
export interface RestingQuote {
  vaultId: string;
  instrument: string;
  side: QuoteSide;
  /** The venue label, `<vault>-<series>-<side>`: unique per vault, series and side. */
  label: string;
  orderId: string;
  priceBtc: number;
  /** Still resting (order amount less filled), contracts. */
  amountContracts: number;
  filledContracts: number;
  updatedAt: number;
}

export type QuoteActionKind = 'placed' | 'amended' | 'cancelled' | 'kept' | 'skipped';

export type QuoteSkipReason =
  /** The change did not fit the local credit budget (it refills; the next sync tries again). */
  | 'credit-budget'
  /** The venue answered too_many_requests (10028) recently: the book is backing off. */
  | 'rate-limited'
  /** Market-maker protection froze quoting. */
  | 'mmp-frozen'
  /** Post-only rejected twice (the second time one tick further away): not retried. */
  | 'post-only-rejected'
  /** A previous request's answer was lost and the venue has no trace of it yet. */
  | 'unknown-outcome'
  /** The venue does not list the series (expired, or a bad name). */
  | 'unknown-series'
  /** The session is down: nothing sent. */
  | 'unavailable'
  /** The venue refused it (reason in detail). */
  | 'rejected';

export interface QuoteAction {
  instrument: string;
  side: QuoteSide;
  label: string;
  kind: QuoteActionKind;
  /** What rests after the action (null and 0 when nothing does). */
  priceBtc: number | null;
  amountContracts: number;
  /** A post-only reject was repriced one tick away and then accepted. */
  repriced: boolean;
  reason?: QuoteSkipReason;
  detail?: string;
}

export interface QuoteSyncResult {
  vaultId: string;
  /** The caller's event time of the desired set (echoed for the journal). */
  at: number;
  actions: QuoteAction[];
  /** The vault's quotes resting after the sync, as the adapter knows them. */
  resting: RestingQuote[];
}

export interface OptionSeries {
  instrument: string;
  kind: 'call' | 'put';
  strikeUsd: number;
  expiryMs: number;
  /** Base tick, BTC; `tickSteps` raise it above given prices. */
  tickSizeBtc: number;
  tickSteps: readonly { abovePriceBtc: number; tickSizeBtc: number }[];
  minAmountContracts: number;
  /** Underlying per contract, BTC. */
  contractSizeBtc: number;
}

export interface OptionPosition {
  instrument: string;
  /** Signed: > 0 long. */
  sizeContracts: number;
  averagePriceBtc: number;
  markPriceBtc: number;
}

export interface PerpPosition {
  instrument: string;
  /** Signed USD notional (inverse perp); its BTC delta is sizeUsd / index (src/domain/inverseDelta.ts). */
  sizeUsd: number;
  /** Deribit's size / mark, BTC. */
  sizeBtcAtMark: number;
  averagePriceUsd: number;
  markPriceUsd: number;
}

export interface BookPositions {
  /** Wall clock of the read, unix ms. */
  at: number;
  indexPriceUsd: number;
  options: OptionPosition[];
  perp: PerpPosition | null;
  /** Account equity (cash + options at mark + perp unrealised PnL) and cash balance, BTC. */
  equityBtc: number;
  balanceBtc: number;
}

export interface OptionTrade {
  /** Venue trade id: use it as the fill id. */
  tradeId: string;
  /** Sequence of the trade within its series. */
  tradeSeq: number;
  at: number;
  instrument: string;
  /** The vault's side of the trade. */
  side: 'buy' | 'sell';
  amountContracts: number;
  priceBtc: number;
  /** Index at the trade, USD per BTC, and the price at it: priceBtc * indexPriceUsd. */
  indexPriceUsd: number;
  priceUsd: number;
  /** Fee paid (> 0) or rebate (< 0), BTC. */
  feeBtc: number;
  orderId: string;
  label: string | null;
  /** The vault and quote side the label names; null for trades not made by one of our quotes. */
  vaultId: string | null;
  quoteSide: QuoteSide | null;
  liquidity: 'maker' | 'taker' | null;
}

export interface SeriesMark {
  instrument: string;
  markPriceBtc: number;
  /** Mark implied volatility, annualised fraction (0.6 = 60%). */
  markIv: number;
}

export interface MarksUpdate {
  at: number;
  marks: SeriesMark[];
}

export interface IndexPrice {
  at: number;
  priceUsd: number;
  indexName: string;
}

export interface MmpSettings {
  /** Window over which trades are counted, seconds; 0 removes MMP. */
  intervalSec: number;
  /** How long quoting stays frozen after a trigger, seconds; 0 means until resetMmp(). */
  frozenTimeSec: number;
  /** Contracts traded in the window that trigger it. */
  quantityLimitContracts?: number;
  /** Absolute delta traded in the window that triggers it, BTC. */
  deltaLimitBtc?: number;
  vegaLimit?: number;
}

export interface MmpTrigger {
  /** Wall clock when the trigger arrived, unix ms. */
  at: number;
  /** Quoting is frozen until this unix ms; null means until resetMmp(). */
  frozenUntilMs: number | null;
  indexName: string;
}

export interface OptionsBookCounters {
  placed: number;
  amended: number;
  cancelled: number;
  postOnlyRepriced: number;
  postOnlyGaveUp: number;
  /** too_many_requests (10028) answers received. */
  rateLimited: number;
  /** Changes held back by the local credit budget. */
  creditRefusals: number;
  mmpTriggers: number;
  unknownOutcomes: number;
  tradesStreamed: number;
  tradesBackfilled: number;
  duplicateTrades: number;
  /** Market-data frames (index, marks) that did not parse: skipped. */
  malformedFrames: number;
}

export interface OptionsBook {
  readonly name: string;
  /** The venue's option series (read at open), with every number quotes are rounded by. */
  series(): readonly OptionSeries[];
  positions(): Promise<BookPositions>;
  /** The account's option trades as they happen (backfilled after reconnects, each once). */
  trades(): Observable<OptionTrade>;
  /** The account's option trades at or after fromMs, oldest first (paged; recent and historical). */
  tradesSince(fromMs: number): Promise<OptionTrade[]>;
  marks(): Observable<MarksUpdate>;
  index(): Observable<IndexPrice>;
  /** Makes the vault's resting quotes equal `desired` (see the DeribitOptionsBook notes for the rules). */
  syncQuotes(vaultId: string, desired: readonly DesiredQuote[], at: number): Promise<QuoteSyncResult>;
  /** Reads the venue's open option orders; the vault's quotes (all our quotes if no vault is given). */
  restingQuotes(vaultId?: string): Promise<RestingQuote[]>;
  /** Cancels every open option order of the account (all vaults): halts and stops. Returns how many. */
  cancelAllQuotes(): Promise<number>;
  configureMmp(settings: MmpSettings): Promise<MmpSettings>;
  resetMmp(): Promise<void>;
  mmpTriggers(): Observable<MmpTrigger>;
  counters(): OptionsBookCounters;
  close(): Promise<void>;
}

/** A USD option price as BTC per contract at the index (1 BTC contracts). */
export function quotePriceBtc(priceUsd: number, indexUsd: number): number {
  if (!(indexUsd > 0)) throw new Error(`indexUsd must be positive, got ${indexUsd}`);
  return priceUsd / indexUsd;
}
