// Types of the quote publisher (quotePublisher.ts): what it needs of the engine, its options,
// what it hands on for MMP triggers, and its views and counters for the HTTP face.
import type { Observable } from 'rxjs';
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';
import type { Quote } from '../domain/quote.ts';
import type { QuoteCountersView } from '../server/engineView.ts';
import type { DesiredQuote, MmpSettings, OptionsBook, QuoteSkipReason, RestingQuote } from '../venues/optionsBook.ts';
import type { EngineEvent, Logger } from './engineTypes.ts';

/** What the publisher needs of the engine (Engine satisfies it). */
export interface CommittedQuotesSource {
  updates(): Observable<EngineEvent>;
  vaultIds(): string[];
  committedOf(vaultId: string): { state: VaultStateName; context: VaultContext } | undefined;
}

export interface MmpTriggered {
  vaultId: string;
  /** Wall clock when the trigger arrived, unix ms. */
  at: number;
  /** Quoting is frozen until this unix ms; null: until an operator resets MMP. */
  frozenUntil: number | null;
}

export interface QuotePublisherOptions {
  book: OptionsBook;
  engine: CommittedQuotesSource;
  /** Vaults quoting on this book (default: every vault of the engine). */
  vaultIds?: readonly string[];
  /** Market-maker protection set at start; null leaves the account's as it is. */
  mmp: MmpSettings | null;
  onMmpTrigger?: (t: MmpTriggered) => void;
  /** A failure outside the venue's typed errors: the composition root must stop. */
  onError: (err: unknown) => void;
  /** Wait before trying again what a passing reason left out, ms (default 1,000). */
  retryMs?: number;
  /**
   * Every vault's committed set is synced again this often even if no commit moved it, ms
   * (default 10,000; 0: never): the venue can drop quotes by itself (cancel-on-disconnect after a
   * reconnect, expiry); a sync that finds them resting sends nothing.
   */
  resyncEveryMs?: number;
  log?: Logger;
  /** Wall clock, unix ms (MMP frozen-until and sync times). */
  now?: () => number;
  /** The committed quotes of a vault (default: vaultQuotes, what the dashboard shows). */
  quotesOf?: (state: VaultStateName, ctx: VaultContext) => Quote[];
}

export interface VaultQuotingView {
  /** The committed quotes, BTC per contract (before the adapter's rounding). */
  wanted: DesiredQuote[];
  /** What rests on the venue after the last sync, as the adapter knows it. */
  resting: RestingQuote[];
  /** Quotes pulled (halted or stale feed). */
  pulled: boolean;
  /** Unix ms until which MMP freezes quoting; null: frozen until reset; undefined: not frozen. */
  mmpFrozenUntil?: number | null;
  syncedAt: number | null;
  /** Skipped sides of the last sync, by reason. */
  skipped: Partial<Record<QuoteSkipReason, number>>;
}

/** The book's order counters with the publisher's own (syncs, cancel-alls, retries, sides skipped by reason). */
export interface QuotePublisherCounters extends QuoteCountersView {
  retries: number;
  skipped: Partial<Record<QuoteSkipReason, number>>;
}
