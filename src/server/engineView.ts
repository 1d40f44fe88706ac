// The read/control face of the running engine, as the HTTP server sees it. The engine
// implements this port; the server (and its tests, with a fake) only ever talk to it.
// Units: times unix epoch ms (UTC), prices USD, sizes/deltas BTC, fees USD.
import type { Observable } from 'rxjs';
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';
import type { BookRisk } from '../domain/bookRisk.ts';
import type { PnlSplit } from '../domain/pnlSplit.ts';
import type { Quote } from '../domain/quote.ts';

/** A vault's PnL since its first price, USD: the option / hedge split of the backtest (pnlSplit). */
export interface VaultPnlView extends PnlSplit {
  /** Hedge fees so far (inside hedgeUsd). */
  feesUsd: number;
  /** Funding paid so far (> 0 paid, inside hedgeUsd); null when the venue's funding is not modelled. */
  fundingUsd: number | null;
  /** Event time and spot the PnL counts from. */
  sinceAt: number;
  sinceSpotUsd: number;
}

export interface VaultView {
  vaultId: string;
  state: VaultStateName;
  /** delta: context.greeks.netBtc; bands: context.bands; perp: context.perpBtc */
  context: VaultContext;
  quotes: Quote[];
  /** PnL split, null before the vault's first price. */
  pnl: VaultPnlView | null;
  /** The book's gamma, vega and theta (model and trader's units), null before the first price. */
  risk: BookRisk | null;
  /** The vault's quotes on an options venue (wanted beside resting, MMP); absent when no options book is quoting. */
  venueQuotes?: VenueQuotesView | null;
  /** seq (optional) is the TransitionEntry.seq of this transition; the page uses it to order transitions against views. */
  lastTransition: { at: number; from: string; to: string; event: string; reason: string; seq?: number } | null;
}

/** One side of one series on an options venue: BTC per contract, contracts. */
export interface VenueQuoteSide {
  instrument: string;
  side: 'bid' | 'ask';
  priceBtc: number;
  amountContracts: number;
}

export interface VenueQuotesView {
  /** The committed quotes in BTC at the vault's spot (before the venue's tick and lot rounding); size 0: no quote. */
  wanted: VenueQuoteSide[];
  /** What rests on the venue after the last sync, as the adapter knows it. */
  resting: VenueQuoteSide[];
  /** Every quote pulled: the vault is halted or its feed is stale. */
  pulled: boolean;
  /** Unix ms until which market-maker protection freezes quoting; null: until reset; absent: not frozen. */
  mmpFrozenUntil?: number | null;
  /** Wall clock of the last sync, unix ms. */
  syncedAt: number | null;
  /** Sides the last sync left out, by reason (credit-budget, rate-limited, mmp-frozen, ...). */
  skipped: Partial<Record<string, number>>;
}

/** Counters of the quote publisher and its options book since start (orders, not contracts). */
export interface QuoteCountersView {
  placed: number;
  amended: number;
  cancelled: number;
  postOnlyRepriced: number;
  /** too_many_requests (10028) answers the book backed off from. */
  rateLimited: number;
  creditRefusals: number;
  mmpTriggers: number;
  syncs: number;
  cancelAlls: number;
  /** Sides skipped by the book, by reason. */
  skipped: Partial<Record<string, number>>;
}

/** Where the engine view reads venue quotes from (the quote publisher). */
export interface VenueQuotesSource {
  view(vaultId: string): VenueQuotesView | null;
  counters(): QuoteCountersView;
  /** Vault ids whose resting quotes just changed: the view pushes them (quotes rest after the commit that wanted them). */
  changes?(): Observable<string>;
}

export interface HistoryPoint {
  at: number;
  priceUsd: number;
  deltaBtc: number;
  perpBtc: number;
  hedgeBandBtc: number;
  quoteBandBtc: number;
  state: VaultStateName;
}

export interface TransitionEntry { vaultId: string; seq: number; at: number; from: string; to: string; event: string; reason: string }

export interface HedgeEntry {
  vaultId: string;
  clientOrderId: string;
  at: number;
  side: 'buy' | 'sell';
  sizeBtc: number;
  filledBtc: number;
  avgPriceUsd: number;
  status: string;
  feeUsd: number;
  slippageBps?: number;
  /** Trigger (hedge decided) to fill, ms. */
  latencyMs?: number;
}

export type EngineUpdate =
  | { kind: 'vault'; vault: VaultView; point: HistoryPoint }
  | { kind: 'transition'; entry: TransitionEntry }
  | { kind: 'hedge'; entry: HedgeEntry }
  | { kind: 'rejected'; source: string; reason: string }
  | { kind: 'commit'; rows: number; latencyMs: number };

/** The machine as the dashboard draws it (machines/vault.graph.ts builds it): leaf states; groups are compound states whose own edges start at the group. */
export interface MachineGraph {
  states: string[];
  initial: string;
  /** States passed through, never rested in: not drawn (an edge into one enters its group). */
  transient?: string[];
  groups?: { name: string; states: string[] }[];
  edges: { from: string; to: string; event: string; guard?: string }[];
}

export type ControlCommand =
  | { type: 'pause' | 'resume' | 'flatten'; /** all vaults when absent */ vaultId?: string }
  | { type: 'kill' };

export interface EngineView {
  vaults(): VaultView[];
  history(vaultId: string): { points: HistoryPoint[]; transitions: TransitionEntry[]; hedges: HedgeEntry[] };
  updates(): Observable<EngineUpdate>;
  machineGraph(): MachineGraph;
  readiness(): { feedsFresh: boolean; venueReachable: boolean; recoveryDone: boolean; detail: Record<string, string> };
  /** Per price source, wall-clock age of the last valid tick, ms. */
  feedAgeMs(): Record<string, number>;
  /** Resolves after the control events are committed to the journal. */
  control(cmd: ControlCommand): Promise<{ journaled: number }>;
  /** Rejected inputs so far, per reason. */
  rejectedCounts(): Record<string, number>;
  /** The venue adapter's counters (e.g. rateLimitBackoffs), when it keeps any. */
  venueCounters?(): Record<string, number>;
  /** The quote publisher's and its options book's counters, when an options book quotes. */
  quoteCounters?(): QuoteCountersView | null;
}
