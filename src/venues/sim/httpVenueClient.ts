// HedgeVenue over HTTP to `omm-hedger sim-venue` (or any server speaking its wire). node:http
// with a keep-alive agent keeps a loopback round trip well under a millisecond. Failures map
// to the port's typed errors: nothing reached the venue (connection refused) ->
// VenueUnavailableError; no answer in time or a connection lost mid-placement ->
// VenueTimeoutError (look the id up, never blindly re-place); a refused order -> a
// `rejected` status with the venue's reason.
import { Agent, request } from 'node:http';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import {
  VenueRejectedError, VenueTimeoutError, VenueUnavailableError,
  type HedgeVenue, type IocOrderRequest, type MarketInfo, type OrderStatus, type VenueFill, type VenuePosition,
} from '../hedgeVenue.ts';
import { sseFillStream } from './sseFillStream.ts';
import { HTTP_STATUS, fundingSchema, markSchema, marketInfoSchema, orderStatusSchema, positionSchema } from './simVenueWire.ts';

export interface HttpVenueClientOptions {
  /** e.g. 'http://127.0.0.1:7070' */
  baseUrl: string;
  /** Per-request deadline, ms (default 2000). */
  timeoutMs?: number;
  /** Reported as HedgeVenue.name (default 'sim-http'). */
  name?: string;
  /** fills() delivers fills with venue sequence > this (default 0: every fill, then live ones). */
  fillsSinceSeq?: number;
  /** Wait before the fill stream reconnects, ms (default 250). */
  reconnectMs?: number;
}

interface HttpAnswer {
  status: number;
  body: unknown;
}

/** Connection errors that prove the request never reached a server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export class HttpVenueClient implements HedgeVenue {
  readonly name: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  /** The long-lived fill stream gets its own sockets, so they never return to the request pool. */
  private readonly streamAgent = new Agent({ keepAlive: false });
  private readonly options: HttpVenueClientOptions;

  constructor(options: HttpVenueClientOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.name = options.name ?? 'sim-http';
  }

  async placeIoc(req: IocOrderRequest): Promise<OrderStatus> {
    const ans = await this.call('POST', '/orders', req, true);
    if (ans.status === HTTP_STATUS.badRequest || ans.status === HTTP_STATUS.rejected) {
      return { status: 'rejected', reason: errorMessage(ans.body), updatedAt: req.at };
    }
    return this.parse(ans, orderStatusSchema, true);
  }

  async lookup(clientOrderId: string): Promise<OrderStatus> {
    return this.parse(await this.call('GET', `/orders/${encodeURIComponent(clientOrderId)}`), orderStatusSchema);
  }

  async position(market: string): Promise<VenuePosition> {
    return this.parse(await this.call('GET', `/position/${encodeURIComponent(market)}`), positionSchema);
  }

  async markPrice(market: string): Promise<{ priceUsd: number; at: number }> {
    return this.parse(await this.call('GET', `/mark/${encodeURIComponent(market)}`), markSchema);
  }

  /** Not in the port: the reference price at event time `at` (lockstep engines, tests). */
  async markPriceAt(market: string, at: number): Promise<{ priceUsd: number; at: number }> {
    return this.parse(await this.call('GET', `/mark/${encodeURIComponent(market)}?at=${at}`), markSchema);
  }

  async fundingRate(market: string): Promise<{ ratePerHour: number; at: number }> {
    return this.parse(await this.call('GET', `/funding/${encodeURIComponent(market)}`), fundingSchema);
  }

  async marketInfo(market: string): Promise<MarketInfo> {
    return this.parse(await this.call('GET', `/market/${encodeURIComponent(market)}`), marketInfoSchema);
  }

  fills(): Observable<VenueFill> {
    return sseFillStream({
      baseUrl: this.baseUrl, agent: this.streamAgent,
      sinceSeq: this.options.fillsSinceSeq ?? 0, reconnectMs: this.options.reconnectMs ?? 250,
    });
  }

  close(): Promise<void> {
    this.agent.destroy();
    this.streamAgent.destroy();
    return Promise.resolve();
  }

  /** Status 200 -> the checked body; the typed error otherwise. */
  private parse<T>(ans: HttpAnswer, schema: z.ZodType<T>, placing = false): T {
    if (ans.status === 200) {
      const parsed = schema.safeParse(ans.body);
      if (parsed.success) return parsed.data;
      // An unreadable answer to a placement leaves its outcome unknown.
      if (placing) throw new VenueTimeoutError('venue answered a placement with an unreadable body: outcome unknown');
      throw new VenueUnavailableError(`venue answered with an unreadable body: ${parsed.error.message}`);
    }
    const msg = errorMessage(ans.body);
    if (ans.status === HTTP_STATUS.timeout) throw new VenueTimeoutError(msg);
    if (ans.status === HTTP_STATUS.unavailable) throw new VenueUnavailableError(msg);
    if (ans.status === HTTP_STATUS.rejected || ans.status === HTTP_STATUS.badRequest || ans.status === HTTP_STATUS.notFound) throw new VenueRejectedError(msg);
    if (placing) throw new VenueTimeoutError(`venue error ${ans.status} on a placement: outcome unknown (${msg})`);
    throw new VenueUnavailableError(`venue error ${ans.status}: ${msg}`);
  }

  /**
   * One request. A keep-alive socket the server closed while it sat idle fails with
   * ECONNRESET before any answer; that request is sent again once on a fresh socket (safe for
   * placements too: the venue is idempotent by client order id).
   */
  private call(method: 'GET' | 'POST', path: string, body?: unknown, placing = false, retried = false): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string | number> = { accept: 'application/json' };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      }
      let settled = false;
      const req = request(`${this.baseUrl}${path}`, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = { message: text.slice(0, 200) };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        req.destroy();
        reject(new VenueTimeoutError(`venue did not answer ${method} ${path} within ${this.timeoutMs} ms: outcome unknown`));
      }, this.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (req.reusedSocket && err.code === 'ECONNRESET' && !retried) {
          this.call(method, path, body, placing, true).then(resolve, reject);
          return;
        }
        if (err.code !== undefined && NOT_SENT.has(err.code)) reject(new VenueUnavailableError(`venue unreachable at ${this.baseUrl}: ${err.code}`));
        else if (placing) reject(new VenueTimeoutError(`connection to the venue lost during placement (${err.code ?? err.message}): outcome unknown`));
        else reject(new VenueUnavailableError(`venue request failed: ${err.code ?? err.message}`));
      });
      req.end(payload);
    });
  }
}

function errorMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') return body.message;
  return 'no reason given';
}
