// The account's trades of one kind (option or future) as one stream with nothing lost and
// nothing twice: user.trades.{kind}.{currency}.raw while connected and, after every
// reconnect, the trade history from just before the newest trade seen (the stream says
// nothing of what happened while it was down). Trades are told apart by trade id.
import { Subject, map, type Observable, type Subscription } from 'rxjs';
import type { DeribitSession } from './deribitSession.ts';
import { DeribitRpcError, DeribitUnavailableError } from './errors.ts';
import { parseTrades, type DeribitTrade } from './parseOrders.ts';
import { compareTrades, tradesSince } from './tradeHistory.ts';
import { channels, type InstrumentKind } from './wire/channels.ts';

/** Backfill starts this long before the newest trade seen (late-stamped trades), ms. */
const BACKFILL_MARGIN_MS = 1_000;
/** Trade ids older than this behind the cursor are forgotten (backfills never reach them), ms. */
const SEEN_HORIZON_MS = 60_000;

export interface TradeFeedCounters {
  streamed: number;
  backfilled: number;
  duplicates: number;
  backfillFailures: number;
}

export class TradeFeed {
  readonly counters: TradeFeedCounters = { streamed: 0, backfilled: 0, duplicates: 0, backfillFailures: 0 };
  private readonly subject = new Subject<DeribitTrade>();
  private readonly seen = new Map<string, number>();
  private readonly subs: Subscription[] = [];
  private backfilling: Promise<void> = Promise.resolve();
  private closed = false;
  /** Newest trade time seen (or the start time): backfills read from here. */
  private cursorMs: number;

  private constructor(private readonly session: DeribitSession, private readonly currency: string, private readonly kind: InstrumentKind,
    private readonly now: () => number, private readonly startMs: number, private readonly retryMs: number) {
    this.cursorMs = startMs;
  }

  /** Subscribes; trades from `startMs` on are emitted (older ones are history, not news). */
  static async open(session: DeribitSession, o: { currency: string; kind: InstrumentKind; now: () => number; startMs: number; retryMs?: number }): Promise<TradeFeed> {
    const f = new TradeFeed(session, o.currency, o.kind, o.now, o.startMs, o.retryMs ?? 1_000);
    const channel = channels.userTrades(o.kind, o.currency);
    f.subs.push(session.channel(channel).pipe(map(parseTrades)).subscribe({
      next: (trades) => f.accept(trades, 'streamed'),
      error: (e: unknown) => f.subject.error(e),
    }));
    f.subs.push(session.reconnected().subscribe((r) => f.scheduleBackfill(Math.min(f.cursorMs, r.downSinceMs) - BACKFILL_MARGIN_MS)));
    await session.subscribe([channel]);
    return f;
  }

  trades(): Observable<DeribitTrade> {
    return this.subject.asObservable();
  }

  /** Emits the trades not seen before, oldest first; returns them. */
  accept(trades: readonly DeribitTrade[], how: 'streamed' | 'backfilled'): DeribitTrade[] {
    const fresh: DeribitTrade[] = [];
    for (const t of [...trades].sort(compareTrades)) {
      if (this.seen.has(t.tradeId)) {
        this.counters.duplicates++;
        continue;
      }
      this.seen.set(t.tradeId, t.at);
      if (t.at > this.cursorMs) this.cursorMs = t.at;
      if (t.at >= this.startMs) fresh.push(t);
    }
    this.counters[how] += fresh.length;
    this.forgetOld();
    for (const t of fresh) this.subject.next(t);
    return fresh;
  }

  /** Reads the history from `fromMs` and emits what the stream did not. */
  async backfill(fromMs: number): Promise<DeribitTrade[]> {
    const history = await tradesSince(this.session, { currency: this.currency, kind: this.kind, fromMs, now: this.now() });
    return this.accept(history, 'backfilled');
  }

  /** Waits for backfills under way (tests; close). */
  settled(): Promise<void> {
    return this.backfilling;
  }

  private scheduleBackfill(fromMs: number): void {
    const run = async (): Promise<void> => {
      while (!this.closed) {
        try {
          await this.backfill(fromMs);
          return;
        } catch (e) {
          // The session went down again or was busy: retry from the same cursor, so nothing is
          // skipped. Anything else (a malformed answer) ends the stream with the error.
          if (!(e instanceof DeribitUnavailableError) && !(e instanceof DeribitRpcError && e.notProcessed)) {
            this.subject.error(e);
            return;
          }
          this.counters.backfillFailures++;
          await new Promise((r) => setTimeout(r, this.retryMs));
        }
      }
    };
    this.backfilling = this.backfilling.then(run);
  }

  private forgetOld(): void {
    const horizon = this.cursorMs - SEEN_HORIZON_MS;
    if (this.seen.size < 1_000) return;
    for (const [id, at] of this.seen) if (at < horizon) this.seen.delete(id);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.subs) s.unsubscribe();
    await this.backfilling;
    this.subject.complete();
  }
}
