// The venue's fills as a stream: every trade the adapter reads while settling an order, plus,
// while someone listens, the trade history polled since the last trade seen (re-read from a
// lookback after every start, since streams miss fills). Each trade id is delivered once.
import { Observable, Subject } from 'rxjs';
import type { Trade } from 'ccxt';
import { VenueError, type VenueFill } from '../hedgeVenue.ts';
import type { CcxtProfile } from './ccxtProfile.ts';
import type { MarketSpec } from './contractMath.ts';
import { fillOf, sortTrades } from './parseTrades.ts';

/** How far back the history is read when the stream starts, ms. */
const LOOKBACK_MS = 10 * 60_000;
/** Trade ids remembered for de-duplication (oldest forgotten first). */
const MAX_SEEN = 50_000;
/**
 * A polled trade whose order is not known yet (Binance's trades carry no client id, and the
 * poll may read it before the order's answer names its order id) waits this long for the order
 * to be settled under its engine id, then goes out under the venue's order id, ms.
 */
const UNKNOWN_ORDER_GRACE_MS = 30_000;

export interface FillFeedOptions {
  symbol: string;
  spec: MarketSpec;
  pollMs: number;
  now: () => number;
  profile: Pick<CcxtProfile, 'tradeClientId'>;
  /** The account's trades on the symbol since a time, unix ms. */
  read: (since: number) => Promise<Trade[]>;
}

export class FillFeed {
  private readonly out = new Subject<VenueFill>();
  private readonly seen = new Set<string>();
  /** Venue client id -> engine id, and venue order id -> engine id. */
  private readonly byClientId = new Map<string, string>();
  private readonly byOrderId = new Map<string, string>();
  private listeners = 0;
  private timer: NodeJS.Timeout | undefined;
  private cursor = 0;
  private polling: Promise<void> = Promise.resolve();
  /** Polled trades of orders not known yet, with when they were first read. */
  private readonly waiting = new Map<string, { trade: Trade; since: number }>();

  constructor(private readonly o: FillFeedOptions) {}

  register(clientId: string, engineId: string): void {
    this.byClientId.set(clientId, engineId);
  }

  /** Trades of one order (engine id known) read while settling it. */
  push(trades: readonly Trade[], engineId: string): void {
    for (const t of sortTrades(trades)) {
      if (t.order) this.byOrderId.set(t.order, engineId);
      this.emit(t, engineId);
    }
  }

  /** The engine id of a trade's order, when this process knows the order. */
  private engineIdOf(t: Trade): string | undefined {
    const cid = this.o.profile.tradeClientId(t);
    return (cid !== undefined ? this.byClientId.get(cid) : undefined) ?? (t.order ? this.byOrderId.get(t.order) : undefined);
  }

  private fallbackId(t: Trade): string {
    return this.o.profile.tradeClientId(t) ?? `order:${t.order ?? '?'}`;
  }

  private emit(t: Trade, engineId: string): void {
    const id = String(t.id);
    this.waiting.delete(id);
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if (this.seen.size > MAX_SEEN) this.seen.delete(this.seen.values().next().value as string);
    this.cursor = Math.max(this.cursor, t.timestamp ?? 0);
    this.out.next(fillOf(t, this.o.spec, engineId, this.o.symbol));
  }

  stream(): Observable<VenueFill> {
    return new Observable<VenueFill>((sub) => {
      const inner = this.out.subscribe(sub);
      if (this.listeners++ === 0) this.start();
      return () => {
        inner.unsubscribe();
        if (--this.listeners === 0) this.stop();
      };
    });
  }

  private start(): void {
    this.cursor = Math.max(this.cursor, this.o.now() - LOOKBACK_MS);
    const tick = (): void => {
      this.polling = this.poll().finally(() => {
        if (this.listeners > 0) this.timer = setTimeout(tick, this.o.pollMs);
      });
    };
    tick();
  }

  private async poll(): Promise<void> {
    try {
      const now = this.o.now();
      for (const t of sortTrades(await this.o.read(this.cursor))) {
        const engineId = this.engineIdOf(t);
        if (engineId !== undefined) this.emit(t, engineId);
        else if (!this.seen.has(String(t.id)) && !this.waiting.has(String(t.id))) this.waiting.set(String(t.id), { trade: t, since: now });
      }
      for (const [, w] of this.waiting) {
        const engineId = this.engineIdOf(w.trade);
        if (engineId !== undefined) this.emit(w.trade, engineId);
        else if (now - w.since >= UNKNOWN_ORDER_GRACE_MS) this.emit(w.trade, this.fallbackId(w.trade));
      }
    } catch (e) {
      // An unreachable or slow venue is expected: the next round reads from the same cursor.
      if (!(e instanceof VenueError)) this.out.error(e);
    }
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    this.listeners = 0;
    this.out.complete();
  }

  /** Resolves when a poll in progress is done (tests, shutdown). */
  idle(): Promise<void> { return this.polling; }
}
