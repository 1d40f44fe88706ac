// Serves a SimPerpVenue over HTTP JSON on 127.0.0.1 (node:http, keep-alive), so the venue
// lives in its own process and survives the engine's crash. Routes:
//   POST /orders (placeIoc)   GET /orders/:id   GET /position/:market   GET /mark/:market?at=
//   GET /funding/:market      GET /market/:market   GET /fills?since=SEQ (SSE)   GET /health
//   POST /price {at, priceUsd} (pushed-price mode)   POST /clock {at}
//   POST /admin/faults {rejectIds?, timeoutIds?, outages?}   (test and operator controls)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Subscription } from 'rxjs';
import { VenueError } from '../hedgeVenue.ts';
import type { SimPerpVenue } from './simPerpVenue.ts';
import { HTTP_STATUS, adminFaultsSchema, clockSchema, orderRequestSchema, pushPriceSchema } from './simVenueWire.ts';

export interface SimVenueServerOptions {
  /** 0 picks a free port. */
  port: number;
  /**
   * Wall-clock ms to hold each placement's answer after the order is executed and stored
   * (default 0). Widens the window in which a chaos test can kill the engine with a hedge in
   * flight; outcomes do not depend on it.
   */
  answerDelayMs?: number;
  /** Called with unexpected errors (answered 500); default: write to stderr. */
  onError?: (err: unknown) => void;
  /**
   * Reads a request body as UTF-8 text, failing past maxBytes: the project's one body reader
   * (src/server/httpJson.ts), passed in by the composition root since a venue does not import
   * the server.
   */
  readBody: (req: IncomingMessage, maxBytes: number) => Promise<string>;
}

export interface SimVenueServerHandle {
  port: number;
  url: string;
  /** Stops listening and drops open connections and fill streams; does not close the venue. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const SSE_HEARTBEAT_MS = 15_000;

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function startSimVenueServer(venue: SimPerpVenue, options: SimVenueServerOptions): Promise<SimVenueServerHandle> {
  const onError = options.onError ?? ((err: unknown) => process.stderr.write(`sim-venue: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`));
  const answerDelayMs = options.answerDelayMs ?? 0;
  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    let text: string;
    try {
      text = await options.readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      throw new HttpError(HTTP_STATUS.badRequest, 'bad-request', `unreadable body: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new HttpError(HTTP_STATUS.badRequest, 'bad-request', 'body is not JSON');
    }
  };
  const streams = new Set<{ res: ServerResponse; sub: Subscription; timer: NodeJS.Timeout }>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
    const [head, arg] = parts;
    const method = req.method ?? 'GET';
    if (method === 'POST' && head === 'orders' && parts.length === 1) {
      const body = orderRequestSchema.safeParse(await readJson(req));
      if (!body.success) throw new HttpError(HTTP_STATUS.badRequest, 'bad-request', `bad order: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const status = await venue.placeIoc(body.data);
      if (answerDelayMs > 0) await new Promise((r) => setTimeout(r, answerDelayMs));
      return sendJson(res, 200, status);
    }
    if (method === 'GET' && parts.length === 2 && arg !== undefined) {
      if (head === 'orders') return sendJson(res, 200, await venue.lookup(arg));
      if (head === 'position') return sendJson(res, 200, await venue.position(arg));
      if (head === 'funding') return sendJson(res, 200, await venue.fundingRate(arg));
      if (head === 'market') return sendJson(res, 200, await venue.marketInfo(arg));
      if (head === 'mark') {
        const atParam = url.searchParams.get('at');
        const at = atParam === null ? venue.clockMs() : Number(atParam);
        if (!Number.isFinite(at)) throw new HttpError(HTTP_STATUS.badRequest, 'bad-request', `bad at ${atParam}`);
        return sendJson(res, 200, venue.markPriceAt(arg, at));
      }
    }
    if (method === 'GET' && head === 'health' && parts.length === 1) {
      return sendJson(res, 200, { ok: true, name: venue.name, clockMs: venue.clockMs(), orders: venue.orderCount, fills: venue.fillCount });
    }
    if (method === 'GET' && head === 'fills' && parts.length === 1) return openFillStream(req, res, url);
    if (method === 'POST' && parts.length === 1 && head === 'price') {
      const body = pushPriceSchema.safeParse(await readJson(req));
      if (!body.success) throw new HttpError(HTTP_STATUS.badRequest, 'bad-request', 'price body must be {at, priceUsd}');
      try {
        await venue.pushPrice(body.data.at, body.data.priceUsd);
      } catch (err) {
        if (err instanceof RangeError) throw new HttpError(HTTP_STATUS.conflict, 'conflict', err.message);
        throw err;
      }
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && parts.length === 1 && head === 'clock') {
      const body = clockSchema.safeParse(await readJson(req));
      if (!body.success) throw new HttpError(HTTP_STATUS.badRequest, 'bad-request', 'clock body must be {at}');
      await venue.advanceClock(body.data.at);
      return sendJson(res, 200, { ok: true, clockMs: venue.clockMs() });
    }
    if (method === 'POST' && parts.length === 2 && head === 'admin' && arg === 'faults') {
      const body = adminFaultsSchema.safeParse(await readJson(req));
      if (!body.success) throw new HttpError(HTTP_STATUS.badRequest, 'bad-request', 'faults body must be {rejectIds?, timeoutIds?, outages?}');
      for (const id of body.data.rejectIds ?? []) venue.faults.scriptReject(id);
      for (const id of body.data.timeoutIds ?? []) venue.faults.scriptTimeout(id);
      for (const w of body.data.outages ?? []) venue.faults.addOutage(w);
      return sendJson(res, 200, { ok: true });
    }
    throw new HttpError(HTTP_STATUS.notFound, 'not-found', `no route ${method} ${url.pathname}`);
  };

  const openFillStream = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const since = Number(url.searchParams.get('since') ?? req.headers['last-event-id'] ?? 0);
    if (!(Number.isInteger(since) && since >= 0)) throw new HttpError(HTTP_STATUS.badRequest, 'bad-request', 'since must be a fill sequence number >= 0');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': fills\n\n');
    const sub = venue.fillsSince(since).subscribe({
      next: (s) => res.write(`id: ${s.seq}\ndata: ${JSON.stringify(s.fill)}\n\n`),
      complete: () => res.end(),
    });
    const timer = setInterval(() => res.write(': heartbeat\n\n'), SSE_HEARTBEAT_MS);
    const entry = { res, sub, timer };
    streams.add(entry);
    res.on('close', () => {
      sub.unsubscribe();
      clearInterval(timer);
      streams.delete(entry);
    });
  };

  const server: Server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) return sendJson(res, err.status, { error: err.code, message: err.message });
      if (err instanceof VenueError) {
        const status = err.kind === 'rejected' ? HTTP_STATUS.rejected : err.kind === 'timeout' ? HTTP_STATUS.timeout : HTTP_STATUS.unavailable;
        const message = 'reason' in err && typeof err.reason === 'string' ? err.reason : err.message;
        return sendJson(res, status, { error: err.kind, message });
      }
      onError(err);
      sendJson(res, HTTP_STATUS.internal, { error: 'internal', message: err instanceof Error ? err.message : String(err) });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => {
      for (const s of streams) {
        s.sub.unsubscribe();
        clearInterval(s.timer);
        s.res.end();
      }
      streams.clear();
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
