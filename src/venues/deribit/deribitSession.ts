// The one Deribit session an engine holds: a JSON-RPC WebSocket (JsonRpcSocket) kept
// authenticated and alive.
//
// Bring-up, on the first connect and after every reconnect, in this order:
//   public/auth (client_credentials) -> public/set_heartbeat -> private/enable_cancel_on_disconnect
//   (scope connection) -> resubscribe every channel -> ready -> `reconnected()` emits, so each
//   consumer reads what it missed (trades since its last one, open orders) over JSON-RPC.
// The access token is refreshed (grant refresh_token) before it expires; each test_request is
// answered with public/test; a socket silent for 2.5 heartbeat intervals is dropped. A dropped
// socket is reopened with capped exponential backoff.
//
// Requests: a request waits up to connectWaitMs for a ready connection, else fails as
// DeribitUnavailableError with nothing sent. Once sent, a lost answer (timeout, socket closed)
// is DeribitUnknownOutcomeError for writes (order-changing calls: look the order up) and
// DeribitUnavailableError for reads. Error answers are DeribitRpcError.
//
// Secrets: the client secret is revealed only into the public/auth request; tokens live here.
// Every error detail and event this session produces passes through redact().
import { Subject, filter, map, type Observable } from 'rxjs';
import { wsUrlOf, type DeribitConfig } from './config.ts';
import { CreditBucket } from './creditBucket.ts';
import { DeribitRpcError, DeribitUnavailableError, DeribitUnknownOutcomeError } from './errors.ts';
import { JsonRpcSocket, RpcErrorAnswer, SocketClosedError, SocketTimeoutError } from './jsonRpcSocket.ts';
import { parseAuth, type AuthTokens } from './parseAuth.ts';
import { isPrivateChannel } from './wire/channels.ts';

export type RequestKind = 'read' | 'write';

export interface SessionEvent {
  type: 'connected' | 'disconnected' | 'reconnect-scheduled' | 'reconnect-failed' | 'token-refreshed' | 'heartbeat-lost' | 'protocol-error';
  at: number;
  connectionId: number;
  delayMs?: number;
  detail?: string;
}

export interface Reconnected {
  connectionId: number;
  /** Wall-clock ms when the previous connection was lost: consumers backfill from before it. */
  downSinceMs: number;
  at: number;
}

export interface SessionCounters {
  connects: number;
  reconnects: number;
  requestTimeouts: number;
  tokenRefreshes: number;
  testRequestsAnswered: number;
}

export interface DeribitSessionDeps {
  /** Wall clock, unix ms. */
  now?: () => number;
  onEvent?: (e: SessionEvent) => void;
}

const LIVENESS_FACTOR = 2.5;
const MAX_REDACTED_TOKENS = 16;
const CLOSE_GRACE_MS = 1_000;

export class DeribitSession {
  readonly credits: CreditBucket;
  readonly counters: SessionCounters = { connects: 0, reconnects: 0, requestTimeouts: 0, tokenRefreshes: 0, testRequestsAnswered: 0 };
  private socket: JsonRpcSocket | null = null;
  private connectionSeq = 0;
  private waiters: (() => void)[] = [];
  private readonly channels = new Set<string>();
  private readonly notificationsSubject = new Subject<{ channel: string; data: unknown }>();
  private readonly reconnectedSubject = new Subject<Reconnected>();
  /** Secret and tokens: #private, so util.inspect and JSON never see them. */
  readonly #redactions: string[] = [];
  #tokens: AuthTokens | null = null;
  private refreshTimer: NodeJS.Timeout | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private background: Promise<void> = Promise.resolve();
  private attempt = 0;
  private lastLivenessCheck = 0;
  private downSinceMs = 0;
  private closing = false;
  private readonly now: () => number;

  private constructor(readonly cfg: DeribitConfig, private readonly deps: DeribitSessionDeps) {
    this.now = deps.now ?? Date.now;
    this.credits = new CreditBucket(cfg.credits.capacity, cfg.credits.refillPerSec, this.now);
    this.#redactions.push(cfg.clientSecret.reveal());
  }

  /** Connects and authenticates; throws (DeribitRpcError for bad credentials) if the first bring-up fails. */
  static async connect(cfg: DeribitConfig, deps: DeribitSessionDeps = {}): Promise<DeribitSession> {
    const s = new DeribitSession(cfg, deps);
    await s.establish();
    return s;
  }

  get ready(): boolean {
    return this.socket?.isOpen === true;
  }

  /** Increases by one with every connection made (tests and metrics). */
  get connectionId(): number {
    return this.connectionSeq;
  }

  async request(method: string, params: Record<string, unknown>, kind: RequestKind, timeoutMs = this.cfg.timeoutMs): Promise<unknown> {
    const socket = await this.whenReady(method);
    try {
      return await socket.call(method, params, timeoutMs);
    } catch (e) {
      throw this.mapError(method, kind, e);
    }
  }

  /** Subscribes (and re-subscribes after every reconnect) to the channels. */
  async subscribe(channels: readonly string[]): Promise<void> {
    const fresh = channels.filter((c) => !this.channels.has(c));
    for (const c of fresh) this.channels.add(c);
    if (fresh.length === 0 || !this.socket?.isOpen) return;
    await this.subscribeOn(this.socket, fresh);
  }

  /** Notifications of one channel (its `data`). */
  channel(name: string): Observable<unknown> {
    return this.notificationsSubject.pipe(filter((n) => n.channel === name), map((n) => n.data));
  }

  /** Emits after a reconnect is complete (authenticated, resubscribed): read what was missed. */
  reconnected(): Observable<Reconnected> {
    return this.reconnectedSubject.asObservable();
  }

  /** Replaces every secret and token in a text with [redacted]. */
  redact(text: string): string {
    let out = text;
    for (const s of this.#redactions) if (s.length > 0) out = out.split(s).join('[redacted]');
    return out;
  }

  toJSON(): { venue: string; connectionId: number; ready: boolean } {
    return { venue: 'deribit', connectionId: this.connectionSeq, ready: this.ready };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `DeribitSession { connection: ${this.connectionSeq}, ready: ${this.ready}, testnet: ${this.cfg.testnet} }`;
  }

  /** Drops the socket as a dead network would (tests; the session reconnects). */
  dropConnection(): void {
    this.socket?.terminate();
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.stopTimers();
    const socket = this.socket;
    if (socket) await new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      socket.close();
      // A peer that never completes the closing handshake is cut off.
      setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
    });
    await this.background;
    for (const w of this.waiters.splice(0)) w();
    this.notificationsSubject.complete();
    this.reconnectedSubject.complete();
  }

  private async establish(): Promise<void> {
    const id = ++this.connectionSeq;
    const t = this.cfg.timeoutMs;
    const socket = await JsonRpcSocket.open(wsUrlOf(this.cfg), t, {
      onNotification: (channel, data) => this.notificationsSubject.next({ channel, data }),
      onHeartbeat: (type) => {
        if (type !== 'test_request') return;
        socket.notify('public/test', {});
        this.counters.testRequestsAnswered++;
      },
      onProtocolError: (e) => this.emit({ type: 'protocol-error', connectionId: id, detail: e.message }),
      onClose: () => this.onClosed(id),
    }, this.now).catch((e: unknown) => {
      throw new DeribitUnavailableError('connect', (e as Error).message);
    });
    try {
      this.setTokens(parseAuth(await socket.call('public/auth', {
        grant_type: 'client_credentials', client_id: this.cfg.clientId, client_secret: this.cfg.clientSecret.reveal(),
      }, t)));
      await socket.call('public/set_heartbeat', { interval: this.cfg.heartbeatSec }, t);
      if (this.cfg.cancelOnDisconnect) await socket.call('private/enable_cancel_on_disconnect', { scope: 'connection' }, t);
      if (this.channels.size > 0) await this.subscribeOn(socket, [...this.channels]);
    } catch (e) {
      socket.terminate();
      throw this.mapError('connect', 'read', e);
    }
    if (this.closing) {
      socket.close();
      throw new DeribitUnavailableError('connect', 'session closed');
    }
    this.socket = socket;
    this.counters.connects++;
    this.scheduleRefresh();
    this.lastLivenessCheck = this.now();
    this.livenessTimer = setInterval(() => this.checkLiveness(socket, id), this.cfg.heartbeatSec * 1000);
    this.emit({ type: 'connected', connectionId: id });
    for (const w of this.waiters.splice(0)) w();
  }

  private async subscribeOn(socket: JsonRpcSocket, channels: readonly string[]): Promise<void> {
    const groups = [channels.filter(isPrivateChannel), channels.filter((c) => !isPrivateChannel(c))];
    for (const [i, group] of groups.entries()) {
      if (group.length === 0) continue;
      const method = i === 0 ? 'private/subscribe' : 'public/subscribe';
      const result = await socket.call(method, { channels: group }, this.cfg.timeoutMs);
      const got = new Set(Array.isArray(result) ? result.map(String) : []);
      const missing = group.filter((c) => !got.has(c));
      if (missing.length > 0) throw new Error(`deribit ${method} did not subscribe ${missing.join(', ')}`);
    }
  }

  private whenReady(method: string): Promise<JsonRpcSocket> {
    if (this.closing) return Promise.reject(new DeribitUnavailableError(method, 'session closed'));
    const s = this.socket;
    if (s?.isOpen) return Promise.resolve(s);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(new DeribitUnavailableError(method, `not connected within ${this.cfg.connectWaitMs} ms; not sent`));
      }, this.cfg.connectWaitMs);
      const wake = (): void => {
        clearTimeout(timer);
        const now = this.socket;
        if (now?.isOpen && !this.closing) resolve(now);
        else reject(new DeribitUnavailableError(method, 'session closed; not sent'));
      };
      this.waiters.push(wake);
    });
  }

  private mapError(method: string, kind: RequestKind, e: unknown): Error {
    if (e instanceof RpcErrorAnswer) {
      const data = e.error.data;
      const reason = data !== null && typeof data === 'object' && typeof (data as { reason?: unknown }).reason === 'string' ? (data as { reason: string }).reason : null;
      return new DeribitRpcError(method, e.error.code, this.redact(e.error.message), reason === null ? null : this.redact(reason));
    }
    if (e instanceof SocketTimeoutError) {
      this.counters.requestTimeouts++;
      return kind === 'write' ? new DeribitUnknownOutcomeError(method, e.message) : new DeribitUnavailableError(method, e.message);
    }
    if (e instanceof SocketClosedError) {
      return kind === 'write' && e.sent ? new DeribitUnknownOutcomeError(method, e.message) : new DeribitUnavailableError(method, e.message);
    }
    if (e instanceof Error) return new Error(this.redact(e.message));
    return new Error('deribit: unknown failure');
  }

  private setTokens(t: AuthTokens): void {
    this.#tokens = t;
    this.#redactions.push(t.accessToken, t.refreshToken);
    if (this.#redactions.length > 1 + MAX_REDACTED_TOKENS) this.#redactions.splice(1, 2);
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    const life = this.#tokens?.expiresInSec ?? 0;
    if (!(life > 0)) return;
    const margin = this.cfg.tokenRefreshMarginSec;
    const delaySec = life > 2 * margin ? life - margin : life / 2;
    this.refreshTimer = setTimeout(() => {
      this.background = this.background.then(() => this.refreshToken());
    }, delaySec * 1000);
  }

  /** Refreshes with the refresh token, else re-authenticates; drops the socket if both fail (a reconnect follows). */
  private async refreshToken(): Promise<void> {
    const socket = this.socket;
    const tokens = this.#tokens;
    if (!socket?.isOpen || !tokens || this.closing) return;
    const t = this.cfg.timeoutMs;
    try {
      this.setTokens(parseAuth(await socket.call('public/auth', { grant_type: 'refresh_token', refresh_token: tokens.refreshToken }, t)));
    } catch {
      try {
        this.setTokens(parseAuth(await socket.call('public/auth', {
          grant_type: 'client_credentials', client_id: this.cfg.clientId, client_secret: this.cfg.clientSecret.reveal(),
        }, t)));
      } catch (e) {
        this.emit({ type: 'reconnect-failed', connectionId: this.connectionSeq, detail: `token refresh failed: ${this.mapError('public/auth', 'read', e).message}` });
        socket.terminate();
        return;
      }
    }
    this.counters.tokenRefreshes++;
    this.emit({ type: 'token-refreshed', connectionId: this.connectionSeq });
    this.scheduleRefresh();
  }

  private checkLiveness(socket: JsonRpcSocket, id: number): void {
    const now = this.now();
    const intervalMs = this.cfg.heartbeatSec * 1000;
    // A check that runs late means this process stalled (GC, CPU): frames may be waiting
    // unread behind it, so silence proves nothing this time.
    const late = now - this.lastLivenessCheck > 1.5 * intervalMs;
    this.lastLivenessCheck = now;
    if (late || now - socket.lastFrameAt <= LIVENESS_FACTOR * intervalMs) return;
    this.emit({ type: 'heartbeat-lost', connectionId: id });
    socket.terminate();
  }

  private stopTimers(): void {
    clearTimeout(this.refreshTimer);
    clearInterval(this.livenessTimer);
  }

  private onClosed(id: number): void {
    if (id !== this.connectionSeq || this.socket === null) return;
    this.socket = null;
    this.stopTimers();
    this.downSinceMs = this.now();
    this.emit({ type: 'disconnected', connectionId: id });
    if (this.closing) {
      for (const w of this.waiters.splice(0)) w();
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const { minMs, maxMs } = this.cfg.reconnect;
    const delayMs = Math.min(maxMs, minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    this.emit({ type: 'reconnect-scheduled', connectionId: this.connectionSeq, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.background = this.background.then(() => this.reconnectOnce());
    }, delayMs);
  }

  private async reconnectOnce(): Promise<void> {
    if (this.closing) return;
    try {
      await this.establish();
    } catch (e) {
      this.emit({ type: 'reconnect-failed', connectionId: this.connectionSeq, detail: (e as Error).message });
      if (!this.closing) this.scheduleReconnect();
      return;
    }
    this.attempt = 0;
    this.counters.reconnects++;
    this.reconnectedSubject.next({ connectionId: this.connectionSeq, downSinceMs: this.downSinceMs, at: this.now() });
  }

  private emit(e: Omit<SessionEvent, 'at'>): void {
    const event: SessionEvent = { ...e, at: this.now() };
    if (event.detail !== undefined) event.detail = this.redact(event.detail);
    this.deps.onEvent?.(event);
  }
}
