// Publishes vaults' committed quotes to an options book (the OptionsBook port), as an effect
// from committed state, like a hedge:
// - After each commit that changes a vault's quotes, and once at start (after recovery), the
//   book is told the committed set in BTC (desiredQuotes.ts) with syncQuotes. The book reads
//   the venue's open orders on its first call, so after a crash the venue is brought back to
//   the committed quotes, with no duplicate label.
// - One operation at a time per book, and bursts coalesce: each vault keeps only its latest
//   committed set; when the book is free the newest one goes, never an older one.
// - A vault that halts or whose feed goes stale pulls every quote of the book
//   (cancelAllQuotes: the venue's account-wide cancel). Other vaults on the same book are
//   synced again right after, from their own committed state. Once the halt or the stale feed
//   clears, the next commit's quotes are placed again.
// - Quotes left out for a passing reason (credit budget, rate limit, MMP frozen, session down,
//   an answer lost) and a cancel-all that failed are tried again after retryMs (wall clock):
//   paced, never in a loop. Every resyncEveryMs each vault's set is synced again anyway: the
//   venue may have dropped quotes by itself (cancel-on-disconnect during a reconnect).
// - stop() pulls every quote (call it before the venue session closes).
// - MMP: configureMmp at start from the config; each trigger of the book is handed to
//   onMmpTrigger for every vault on the book (the composition root journals it); the book
//   itself refuses to place or amend while frozen. A trigger also means the venue pulled the
//   quotes: every vault syncs again, and the paced retry restores them after the frozen time.
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';
import type { Quote } from '../domain/quote.ts';
import type { VenueQuotesSource } from '../server/engineView.ts';
import { VenueError } from '../venues/hedgeVenue.ts';
import type { DesiredQuote, QuoteSkipReason, QuoteSyncResult } from '../venues/optionsBook.ts';
import { desiredQuotes, sameDesired } from './desiredQuotes.ts';
import type { QuotePublisherCounters, QuotePublisherOptions, VaultQuotingView } from './quotePublisherTypes.ts';
import { vaultQuotes } from './vaultQuotes.ts';

export type { CommittedQuotesSource, MmpTriggered, QuotePublisherCounters, QuotePublisherOptions, VaultQuotingView } from './quotePublisherTypes.ts';

/** Skip reasons that pass: the same set is sent again after retryMs. */
const PASSING: ReadonlySet<QuoteSkipReason> = new Set(['credit-budget', 'rate-limited', 'mmp-frozen', 'unknown-outcome', 'unavailable']);

interface Wanted { desired: DesiredQuote[]; at: number; pulled: boolean }

interface VaultQuoting {
  wanted: Wanted | null;
  /** What the venue was last brought to; null: unknown, sync again. */
  sent: { desired: DesiredQuote[]; pulled: boolean } | null;
  last: QuoteSyncResult | null;
  /** Wall clock of the last sync or cancel-all that covered this vault. */
  syncedAt: number | null;
  retry: NodeJS.Timeout | null;
}

export class QuotePublisher implements VenueQuotesSource {
  private readonly vaults = new Map<string, VaultQuoting>();
  private readonly subs: Subscription[] = [];
  /** Vault ids whose venue side just changed (a sync or a cancel-all answered). */
  private readonly changed = new Subject<string>();
  /** The drain under way; `busy` is cleared synchronously when it finds nothing due, so a commit right after is never missed. */
  private running: Promise<void> = Promise.resolve();
  private busy = false;
  private stopped = false;
  private failed = false;
  private mmpFrozen: { until: number | null } | null = null;
  /** Counts the times the venue pulled our quotes by itself (MMP): a sync that straddles one is not trusted. */
  private venuePulls = 0;
  private resync: NodeJS.Timeout | null = null;
  private readonly tally: { syncs: number; cancelAlls: number; retries: number; skipped: Partial<Record<QuoteSkipReason, number>> } = { syncs: 0, cancelAlls: 0, retries: 0, skipped: {} };
  private readonly now: () => number;
  private readonly quotesOf: (state: VaultStateName, ctx: VaultContext) => Quote[];

  constructor(private readonly o: QuotePublisherOptions) {
    this.now = o.now ?? Date.now;
    this.quotesOf = o.quotesOf ?? vaultQuotes;
    for (const id of o.vaultIds ?? o.engine.vaultIds()) this.vaults.set(id, { wanted: null, sent: null, last: null, syncedAt: null, retry: null });
  }

  /** Sets MMP, then follows commits; every vault's committed quotes go out once now. */
  async start(): Promise<void> {
    const { book, mmp } = this.o;
    if (mmp) await book.configureMmp(mmp);
    this.subs.push(book.mmpTriggers().subscribe((t) => {
      this.mmpFrozen = { until: t.frozenUntilMs };
      for (const vaultId of this.vaults.keys()) this.o.onMmpTrigger?.({ vaultId, at: t.at, frozenUntil: t.frozenUntilMs });
      // The venue pulled every mmp quote: sync again (skipped while frozen, retried after retryMs,
      // so the committed quotes come back once the frozen time has passed, commits or not).
      this.venuePulls++;
      for (const v of this.vaults.values()) if (v.sent?.pulled !== true) v.sent = null;
      this.kick();
    }));
    this.subs.push(this.o.engine.updates().subscribe({
      next: (e) => { if (e.kind === 'committed') this.onCommitted(e.vaultId, e.state, e.context); },
      // The engine stopped on a failed commit (it logged why and the service stops): committed
      // state no longer moves; the quotes stay as committed until stop() pulls them.
      error: () => undefined,
    }));
    for (const id of this.vaults.keys()) {
      const c = this.o.engine.committedOf(id);
      if (c) this.onCommitted(id, c.state, c.context);
    }
    const every = this.o.resyncEveryMs ?? 10_000;
    if (every > 0) {
      this.resync = setInterval(() => {
        // A pulled vault stays pulled (a cancel-all answered): pulling again would also pull every other vault's quotes.
        for (const v of this.vaults.values()) if (v.retry === null && v.sent?.pulled !== true) v.sent = null;
        this.kick();
      }, every);
      this.resync.unref();
    }
  }

  private onCommitted(vaultId: string, state: VaultStateName, ctx: VaultContext): void {
    const v = this.vaults.get(vaultId);
    if (!v || this.stopped) return;
    const pulled = state === 'halted' || ctx.feedStale;
    v.wanted = { desired: pulled ? [] : desiredQuotes(this.quotesOf(state, ctx), ctx.spotUsd), at: ctx.lastAt, pulled };
    this.kick();
  }

  private kick(): void {
    if (this.busy || this.stopped || this.failed) return;
    this.busy = true;
    this.running = this.drain();
  }

  /** The next vault whose venue side differs from its committed set. */
  private nextDue(): [string, VaultQuoting, Wanted] | null {
    for (const [id, v] of this.vaults) {
      const w = v.wanted;
      if (!w || (v.sent === null && v.retry !== null)) continue; // the venue failed it: wait for the retry
      if (v.sent === null || v.sent.pulled !== w.pulled || (!w.pulled && !sameDesired(v.sent.desired, w.desired))) return [id, v, w];
    }
    return null;
  }

  private async drain(): Promise<void> {
    // The finally runs synchronously at the return that finds nothing due (no await between).
    try {
      for (;;) {
        if (this.stopped || this.failed) return;
        const due = this.nextDue();
        if (!due) return;
        const [id, v, w] = due;
        try {
          if (w.pulled) await this.pullAll();
          else await this.sync(id, v, w);
        } catch (err) {
          if (err instanceof VenueError && err.kind !== 'rejected') {
            this.o.log?.warn({ vault: id, err: err.message, pulled: w.pulled }, 'quotes: venue did not answer; trying again later');
            v.sent = null;
            this.retryLater(v);
            continue;
          }
          this.failed = true;
          this.o.onError(err);
          return;
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private async sync(id: string, v: VaultQuoting, w: Wanted): Promise<void> {
    const pulls = this.venuePulls;
    const r = await this.o.book.syncQuotes(id, w.desired, w.at);
    this.tally.syncs++;
    v.sent = pulls === this.venuePulls ? { desired: w.desired, pulled: false } : null;
    v.last = r;
    v.syncedAt = this.now();
    let passing = false;
    for (const a of r.actions) {
      if (a.kind !== 'skipped' || a.reason === undefined) continue;
      this.tally.skipped[a.reason] = (this.tally.skipped[a.reason] ?? 0) + 1;
      if (PASSING.has(a.reason)) passing = true;
    }
    if (passing) this.retryLater(v);
    this.changed.next(id);
  }

  /** Cancels every quote of the book; vaults not pulled are synced again after it. */
  private async pullAll(): Promise<void> {
    await this.o.book.cancelAllQuotes();
    this.tally.cancelAlls++;
    const at = this.now();
    for (const v of this.vaults.values()) {
      const pulled = v.wanted?.pulled ?? false;
      v.sent = pulled ? { desired: [], pulled: true } : null;
      if (v.last) v.last = { ...v.last, resting: [] };
      if (pulled) v.syncedAt = at;
    }
    for (const id of this.vaults.keys()) this.changed.next(id);
  }

  private retryLater(v: VaultQuoting): void {
    if (v.retry || this.stopped) return;
    v.retry = setTimeout(() => {
      v.retry = null;
      this.tally.retries++;
      if (v.sent?.pulled !== true) v.sent = null;
      this.kick();
    }, this.o.retryMs ?? 1_000);
    v.retry.unref();
  }

  /** Resolves once every vault's committed set has been handed to the book (retries aside). */
  async settle(): Promise<void> {
    while (this.busy) await this.running;
  }

  view(vaultId: string): VaultQuotingView | null {
    const v = this.vaults.get(vaultId);
    if (!v) return null;
    const skipped: Partial<Record<QuoteSkipReason, number>> = {};
    for (const a of v.last?.actions ?? []) if (a.kind === 'skipped' && a.reason) skipped[a.reason] = (skipped[a.reason] ?? 0) + 1;
    const f = this.mmpFrozen;
    const frozen = f !== null && (f.until === null || this.now() < f.until);
    return {
      wanted: v.wanted?.desired ?? [], resting: v.last?.resting ?? [], pulled: v.wanted?.pulled ?? false, syncedAt: v.syncedAt, skipped,
      ...(frozen ? { mmpFrozenUntil: f.until } : {}),
    };
  }

  /** Each vault whose resting quotes just changed (for views that show them). */
  changes(): Observable<string> {
    return this.changed.asObservable();
  }

  counters(): QuotePublisherCounters {
    const b = this.o.book.counters();
    return {
      placed: b.placed, amended: b.amended, cancelled: b.cancelled, postOnlyRepriced: b.postOnlyRepriced, rateLimited: b.rateLimited,
      creditRefusals: b.creditRefusals, mmpTriggers: b.mmpTriggers, ...this.tally, skipped: { ...this.tally.skipped },
    };
  }

  /**
   * Stops following commits, waits for the operation under way, then pulls every quote of the
   * book. Returns how many orders the venue cancelled, or null if it did not answer (the
   * session's cancel-on-disconnect pulls them when it closes). `pull: false` leaves them resting
   * (a test playing a crash; an operator handing the account over).
   */
  async stop(o: { pull?: boolean } = {}): Promise<number | null> {
    this.stopped = true;
    for (const s of this.subs.splice(0)) s.unsubscribe();
    for (const v of this.vaults.values()) if (v.retry) { clearTimeout(v.retry); v.retry = null; }
    if (this.resync) clearInterval(this.resync);
    await this.settle();
    if (o.pull === false) {
      this.changed.complete();
      return null;
    }
    try {
      const n = await this.o.book.cancelAllQuotes();
      this.tally.cancelAlls++;
      for (const v of this.vaults.values()) if (v.last) v.last = { ...v.last, resting: [] };
      this.changed.complete();
      return n;
    } catch (err) {
      if (!(err instanceof VenueError) || err.kind === 'rejected') throw err;
      this.o.log?.warn({ err: err.message }, 'quotes: cancel-all at stop not answered; cancel-on-disconnect pulls them when the session closes');
      return null;
    }
  }
}
