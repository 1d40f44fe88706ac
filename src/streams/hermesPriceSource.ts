// Live Pyth prices through Hermes (`@pythnetwork/hermes-client` 2.x, Node 20): the latest
// price on connect, then the SSE stream (getPriceUpdatesStream with parsed: true). On an
// error, an ended stream or no message for idleTimeoutMs, the stream is closed and reopened
// after a capped exponential backoff: min(maxBackoffMs, initialBackoffMs * 2^(attempt-1)),
// attempt reset by the first message after a reconnect.
// Ticks: at = publish_time (ms), priceUsd/confUsd = value * 10^expo, offset = publish_time
// in seconds (deterministic across restarts). Updates that repeat an already emitted
// publish_time (Hermes sends one per slot, publish_time is whole seconds, and a reconnect
// re-sends the latest) are skipped as not new, not rejected. Everything else goes through
// the TickValidator, so a bad print is rejected with a reason like any other source.
import { HermesClient } from '@pythnetwork/hermes-client';
import { Observable } from 'rxjs';
import { BTC_USD_FEED_ID, parseHermesUpdate } from './hermesParse.ts';
import { reject } from './inputTypes.ts';
import type { PriceTickInput, Validated } from './inputTypes.ts';
import { TickValidator } from './tickValidator.ts';
import type { TickValidatorConfig } from './tickValidator.ts';

export interface HermesSourceStatus {
  type: 'connecting' | 'connected' | 'disconnected';
  attempt: number;
  /** For 'disconnected': delay before the next attempt, ms, and why. */
  retryInMs?: number;
  reason?: string;
}

export interface HermesPriceSourceOptions {
  /** Hermes base URL, e.g. https://hermes.pyth.network */
  endpoint: string;
  feedId?: string;
  source?: string;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Reconnect when no message arrived for this long, ms (default 30_000). */
  idleTimeoutMs?: number;
  /** Fetch getLatestPriceUpdates before streaming (default true). */
  fetchLatest?: boolean;
  validator?: Partial<TickValidatorConfig>;
  onStatus?: (s: HermesSourceStatus) => void;
  /** Request timeout of the REST call, ms (default 5_000). */
  timeoutMs?: number;
}

interface StreamLike {
  onmessage: ((ev: { data: string }) => unknown) | null;
  onerror: ((ev: unknown) => unknown) | null;
  onopen: ((ev: unknown) => unknown) | null;
  close(): void;
}

export function backoffMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

export function hermesPriceSource(opts: HermesPriceSourceOptions): Observable<Validated<PriceTickInput>> {
  const feedId = opts.feedId ?? BTC_USD_FEED_ID;
  const source = opts.source ?? `hermes:${feedId.slice(0, 10)}`;
  const initial = opts.initialBackoffMs ?? 500;
  const maxB = opts.maxBackoffMs ?? 30_000;
  const idleMs = opts.idleTimeoutMs ?? 30_000;
  return new Observable<Validated<PriceTickInput>>((sub) => {
    const client = new HermesClient(opts.endpoint, { timeout: opts.timeoutMs ?? 5_000, httpRetries: 0 });
    const validator = new TickValidator(opts.validator);
    let closed = false;
    let es: StreamLike | null = null;
    let attempt = 0;
    let lastPublishMs = Number.NEGATIVE_INFINITY;
    let retryTimer: NodeJS.Timeout | null = null;
    let idleTimer: NodeJS.Timeout | null = null;

    const handle = (body: unknown): void => {
      const parsed = parseHermesUpdate(body, feedId);
      if (!Array.isArray(parsed)) {
        sub.next(reject(source, parsed.reason, parsed.error, body, null, null));
        return;
      }
      for (const p of parsed) {
        if (p.publishTimeMs === lastPublishMs) continue; // same second again: not new
        const v = validator.check({ at: p.publishTimeMs, priceUsd: p.priceUsd, confUsd: p.confUsd, source, offset: p.publishTimeMs / 1000 }, body);
        if (v.ok) lastPublishMs = p.publishTimeMs;
        sub.next(v);
      }
    };
    const armIdle = (): void => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => reconnect(`no message for ${idleMs} ms`), idleMs);
    };
    const reconnect = (reason: string): void => {
      if (closed) return;
      es?.close();
      es = null;
      if (idleTimer) clearTimeout(idleTimer);
      attempt++;
      const wait = backoffMs(attempt, initial, maxB);
      opts.onStatus?.({ type: 'disconnected', attempt, retryInMs: wait, reason });
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = setTimeout(() => { connect().catch((e: unknown) => reconnect(e instanceof Error ? e.message : String(e))); }, wait);
    };
    const connect = async (): Promise<void> => {
      retryTimer = null;
      opts.onStatus?.({ type: 'connecting', attempt });
      if (opts.fetchLatest ?? true) {
        // The latest price is a head start, not a precondition: if it fails (no price yet, a
        // REST hiccup) the stream still opens and brings the next update.
        try {
          const latest = await client.getLatestPriceUpdates([feedId], { parsed: true });
          if (closed) return;
          handle(latest);
        } catch (e) {
          if (closed) return;
          opts.onStatus?.({ type: 'connecting', attempt, reason: `latest price unavailable: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
      const stream = (await client.getPriceUpdatesStream([feedId], { parsed: true })) as unknown as StreamLike;
      if (closed) {
        stream.close();
        return;
      }
      es = stream;
      armIdle();
      stream.onopen = () => opts.onStatus?.({ type: 'connected', attempt });
      stream.onmessage = (ev) => {
        if (es !== stream) return;
        attempt = 0;
        armIdle();
        handle(ev.data);
      };
      stream.onerror = () => {
        if (es === stream) reconnect('stream error or end');
      };
    };
    connect().catch((e: unknown) => reconnect(e instanceof Error ? e.message : String(e)));
    return () => {
      closed = true;
      es?.close();
      if (retryTimer) clearTimeout(retryTimer);
      if (idleTimer) clearTimeout(idleTimer);
    };
  });
}
