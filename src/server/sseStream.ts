// GET /events: Server-Sent Events of EngineUpdate, batched so a max-speed replay cannot
// flood the browser. Per client, every flushMs at most one message goes out: the latest
// `vault` update per vault (older points of that window are dropped: the chart samples),
// transitions and hedges in order (capped per flush; the oldest beyond the cap are
// dropped and counted), rejected inputs summed per source/reason. `commit` updates are
// metrics-only and never sent. A slow client (socket buffer full) is skipped until it drains.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import type { VaultContext } from '../../machines/vault.types.ts';
import type { EngineUpdate, EngineView, HistoryPoint, VaultView } from './engineView.ts';

export interface SseOptions {
  /** Batch window per client, ms (default 250 -> at most 4 messages a second). */
  flushMs?: number;
  /** Comment line sent this often to keep proxies and the browser from timing out, ms. */
  heartbeatMs?: number;
  /** Transitions + hedges kept per batch; older ones beyond it are dropped. */
  maxEventsPerFlush?: number;
}

/** A vault update as sent to browsers: the option book is left out (it can be large and the page reads it from /api/vaults). */
export interface SseVaultUpdate {
  kind: 'vault';
  vault: Omit<VaultView, 'context'> & { context: Omit<VaultContext, 'book'> };
  point: HistoryPoint;
}

/** What one SSE message carries: `data: <JSON of SseBatch>`. */
export interface SseBatch {
  vaults: SseVaultUpdate[];
  events: Extract<EngineUpdate, { kind: 'transition' | 'hedge' }>[];
  rejected: { source: string; reason: string; count: number }[];
  /** Transitions/hedges dropped in this window because of the cap. */
  dropped: number;
}

export interface SseHub {
  handle(req: IncomingMessage, res: ServerResponse): void;
  clientCount(): number;
  /** Ends every open stream (server shutdown). */
  closeAll(): void;
}

export function createSseHub(engine: EngineView, opts: SseOptions = {}): SseHub {
  const flushMs = opts.flushMs ?? 250;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const maxEvents = opts.maxEventsPerFlush ?? 500;
  const clients = new Set<() => void>();

  function handle(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');

    const latestVault = new Map<string, Extract<EngineUpdate, { kind: 'vault' }>>();
    const slim = (u: Extract<EngineUpdate, { kind: 'vault' }>): SseVaultUpdate => {
      const { book: _book, ...context } = u.vault.context;
      return { kind: 'vault', vault: { ...u.vault, context }, point: u.point };
    };
    let events: SseBatch['events'] = [];
    let dropped = 0;
    const rejected = new Map<string, { source: string; reason: string; count: number }>();
    let blocked = false;

    const onUpdate = (u: EngineUpdate): void => {
      switch (u.kind) {
        case 'vault': latestVault.set(u.vault.vaultId, u); break;
        case 'transition':
        case 'hedge':
          events.push(u);
          if (events.length > maxEvents * 2) { dropped += events.length - maxEvents; events = events.slice(-maxEvents); }
          break;
        case 'rejected': {
          const key = `${u.source}\u0000${u.reason}`;
          const r = rejected.get(key);
          if (r) r.count++; else rejected.set(key, { source: u.source, reason: u.reason, count: 1 });
          break;
        }
        case 'commit': break;
      }
    };

    const flush = (): void => {
      if (blocked || (latestVault.size === 0 && events.length === 0 && rejected.size === 0)) return;
      if (events.length > maxEvents) { dropped += events.length - maxEvents; events = events.slice(-maxEvents); }
      const batch: SseBatch = { vaults: [...latestVault.values()].map(slim), events, rejected: [...rejected.values()], dropped };
      latestVault.clear();
      events = [];
      rejected.clear();
      dropped = 0;
      if (!res.write(`data: ${JSON.stringify(batch)}\n\n`)) {
        blocked = true;
        res.once('drain', () => { blocked = false; });
      }
    };

    const flushTimer = setInterval(flush, flushMs);
    const beatTimer = setInterval(() => { if (!blocked) res.write(': ping\n\n'); }, heartbeatMs);
    let done = false;
    let sub: Subscription | null = null;
    clients.add(cleanup);
    req.on('close', cleanup);
    res.on('error', cleanup);
    sub = engine.updates().subscribe({
      next: onUpdate,
      // The engine's stream ending means the engine stopped: end the stream so the browser shows it.
      complete: () => cleanup(),
      error: () => cleanup(),
    });
    if (done) sub.unsubscribe();

    function cleanup(): void {
      if (done) return;
      done = true;
      clearInterval(flushTimer);
      clearInterval(beatTimer);
      sub?.unsubscribe();
      sub = null;
      clients.delete(cleanup);
      if (!res.writableEnded) res.end();
    }
  }

  return {
    handle,
    clientCount: () => clients.size,
    closeAll: () => { for (const c of [...clients]) c(); },
  };
}
