// The engine's HTTP face: liveness/readiness, Prometheus metrics, the dashboard and its
// JSON/SSE feeds, and the token-guarded control API. Plain node:http with a tiny router.
// Binds 127.0.0.1 unless told otherwise.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackConnections } from './connectionTracker.ts';
import { controlRoutes } from './controlRoutes.ts';
import type { EngineView } from './engineView.ts';
import { HttpError, sendJson, sendText } from './httpJson.ts';
import { parseLimit, thinPoints } from './historyLimits.ts';
import { machineSvg } from './machineSvg.ts';
import { createMetrics } from './metrics.ts';
import { createRouter, type Route } from './router.ts';
import { createSseHub, type SseOptions } from './sseStream.ts';
import { staticRoutes } from './staticAssets.ts';

export interface HttpServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  engine: EngineView;
  /** Bearer token for /control/*; undefined or '' disables control (503). */
  controlToken: string | undefined;
  /** Routes mounted next to ours (e.g. POST /fills); a clash with ours throws at start. */
  extraRoutes?: Route[];
  sse?: SseOptions;
  /** Process default metrics (event loop, heap, ...); default true. */
  defaultMetrics?: boolean;
  /** How long close() lets in-flight requests finish before cutting them, ms (default 2000). */
  closeGraceMs?: number;
  /** Called with errors thrown by handlers that are not HttpErrors (they answer 500). */
  onError?: (err: unknown, req: IncomingMessage) => void;
}

export interface RunningHttpServer {
  url: string;
  host: string;
  port: number;
  /** Ends SSE streams, stops metrics and closes the listener. */
  close(): Promise<void>;
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const { engine } = opts;
  const host = opts.host ?? '127.0.0.1';
  const metrics = createMetrics(engine, { defaultMetrics: opts.defaultMetrics ?? true });
  const sse = createSseHub(engine, opts.sse);

  const routes: Route[] = [
    { method: 'GET', path: '/health', handler: (_q, res) => sendJson(res, 200, { status: 'ok' }) },
    { method: 'GET', path: '/ready', handler: (_q, res) => {
      const r = engine.readiness();
      const ready = r.feedsFresh && r.venueReachable && r.recoveryDone;
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...r });
    } },
    { method: 'GET', path: '/metrics', handler: async (_q, res) => {
      sendText(res, 200, metrics.contentType, await metrics.render(), { 'cache-control': 'no-store' });
    } },
    { method: 'GET', path: '/api/vaults', handler: (_q, res) => sendJson(res, 200, { vaults: engine.vaults() }) },
    // Quotes on an options venue: each vault's wanted (committed) and resting quotes, MMP, and the counters (null: no options book quotes).
    { method: 'GET', path: '/api/quotes', handler: (_q, res) => sendJson(res, 200, {
      counters: engine.quoteCounters?.() ?? null,
      vaults: engine.vaults().flatMap((v) => (v.venueQuotes ? [{ vaultId: v.vaultId, ...v.venueQuotes }] : [])),
    }) },
    { method: 'GET', path: '/api/vaults/:id/history', handler: (req, res, p) => {
      const id = p.id as string;
      if (!engine.vaults().some((v) => v.vaultId === id)) throw new HttpError(404, 'not found', `unknown vault ${id}`);
      const q = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const maxPoints = parseLimit(q.get('maxPoints'), 2000);
      const maxRows = parseLimit(q.get('maxRows'), 200);
      const h = engine.history(id);
      sendJson(res, 200, { vaultId: id, points: thinPoints(h.points, maxPoints), transitions: h.transitions.slice(-maxRows), hedges: h.hedges.slice(-maxRows) });
    } },
    { method: 'GET', path: '/api/status', handler: (_q, res) => {
      const r = engine.readiness();
      sendJson(res, 200, { ready: r.feedsFresh && r.venueReachable && r.recoveryDone, readiness: r, feedAgeMs: engine.feedAgeMs(), rejected: engine.rejectedCounts() });
    } },
    { method: 'GET', path: '/api/machine', handler: (_q, res) => sendJson(res, 200, engine.machineGraph()) },
    { method: 'GET', path: '/api/machine.svg', handler: (_q, res) =>
      sendText(res, 200, 'image/svg+xml; charset=utf-8', machineSvg(engine.machineGraph()), { 'cache-control': 'no-store' }) },
    { method: 'GET', path: '/events', handler: (req, res) => {
      if (req.method === 'HEAD') { res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' }); res.end(); return; }
      sse.handle(req, res);
    } },
    ...controlRoutes(engine, opts.controlToken),
    ...staticRoutes(),
    ...(opts.extraRoutes ?? []),
  ];
  let router: ReturnType<typeof createRouter>;
  try {
    router = createRouter(routes);
  } catch (err) {
    metrics.stop();
    throw err;
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = router.match(req.method ?? 'GET', url.pathname);
    if (m.kind === 'notFound') { sendJson(res, 404, { error: 'not found', reason: `no route for ${url.pathname}` }); return; }
    if (m.kind === 'methodNotAllowed') {
      sendJson(res, 405, { error: 'method not allowed', reason: `use ${m.allowed.join(', ')}` }, { allow: m.allowed.join(', ') });
      return;
    }
    Promise.resolve()
      .then(() => m.handler(req, res, m.params))
      .catch((err: unknown) => answerError(err, req, res));
  });

  function answerError(err: unknown, req: IncomingMessage, res: ServerResponse): void {
    if (!(err instanceof HttpError)) opts.onError?.(err, req);
    if (res.headersSent) { res.destroy(); return; }
    if (err instanceof HttpError) {
      const headers: Record<string, string> = err.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      sendJson(res, err.status, { error: err.error, reason: err.reason }, headers);
    } else {
      sendJson(res, 500, { error: 'internal error', reason: err instanceof Error ? err.message : String(err) });
    }
  }

  const connections = trackConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address() as AddressInfo;
  const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${addr.port}`,
    host: addr.address,
    port: addr.port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        sse.closeAll();
        metrics.stop();
        // Idle sockets go now, busy ones when their response ends; past the grace, all of them.
        const hard = setTimeout(() => connections.destroyAll(), opts.closeGraceMs ?? 2000);
        server.close((err) => {
          clearTimeout(hard);
          if (err) reject(err); else resolve();
        });
        connections.drain();
      });
      return closing;
    },
  };
}
