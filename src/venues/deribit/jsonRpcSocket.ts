// One WebSocket carrying JSON-RPC 2.0: numbered requests matched to their answers, a timeout
// per request, and the server's notifications and heartbeats handed to callbacks. It knows
// nothing of auth or reconnects (DeribitSession does); when the socket closes, every request
// still waiting fails with SocketClosedError.
import { WebSocket, type RawData } from 'ws';
import { parseIncoming, type Incoming } from './parseFrame.ts';
import type { WireRequest } from './wire/envelope.ts';
import type { WireRpcError } from './wire/schemas.ts';

export class SocketTimeoutError extends Error {
  constructor(readonly method: string, readonly timeoutMs: number) {
    super(`no answer to ${method} within ${timeoutMs} ms`);
    this.name = 'SocketTimeoutError';
  }
}

export class SocketClosedError extends Error {
  constructor(readonly method: string, readonly sent: boolean) {
    super(sent ? `socket closed before the answer to ${method}` : `socket closed: ${method} not sent`);
    this.name = 'SocketClosedError';
  }
}

/** A JSON-RPC error answer, before the session turns it into a DeribitRpcError. */
export class RpcErrorAnswer extends Error {
  constructor(readonly method: string, readonly error: WireRpcError) {
    super(`${method}: ${error.message} (${error.code})`);
    this.name = 'RpcErrorAnswer';
  }
}

interface Pending {
  method: string;
  resolve: (result: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface SocketHandlers {
  onNotification: (channel: string, data: unknown) => void;
  onHeartbeat: (type: 'heartbeat' | 'test_request') => void;
  /** A frame that could not be parsed, or an error answer to no request of ours. */
  onProtocolError: (e: Error) => void;
  onClose: (code: number) => void;
}

export class JsonRpcSocket {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  /** Wall-clock ms of the last frame received (liveness). */
  lastFrameAt: number;

  private constructor(private readonly ws: WebSocket, private readonly h: SocketHandlers, private readonly now: () => number) {
    this.lastFrameAt = now();
    ws.on('message', (data: RawData, isBinary: boolean) => this.onFrame(isBinary ? '' : rawText(data)));
    ws.on('close', (code: number) => this.onClosed(code));
    ws.on('error', () => undefined); // 'close' follows every error; the close code tells the rest
  }

  /** Opens a socket; rejects (never hanging past timeoutMs) if the upgrade fails. */
  static open(url: string, timeoutMs: number, h: SocketHandlers, now: () => number): Promise<JsonRpcSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
      const fail = (why: string): void => {
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(new Error(`cannot connect to ${url}: ${why}`));
      };
      ws.once('open', () => {
        ws.removeAllListeners();
        resolve(new JsonRpcSocket(ws, h, now));
      });
      ws.once('unexpected-response', (_req, res) => fail(`HTTP ${res.statusCode ?? '?'}`));
      ws.once('error', (e: Error) => fail((e as NodeJS.ErrnoException).code ?? e.message));
    });
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  call(method: string, params: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    if (!this.isOpen) return Promise.reject(new SocketClosedError(method, false));
    const id = this.nextId++;
    const req: WireRequest = { jsonrpc: '2.0', id, method, params };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SocketTimeoutError(method, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      this.ws.send(JSON.stringify(req), (err) => {
        if (err && this.pending.delete(id)) {
          clearTimeout(timer);
          reject(new SocketClosedError(method, false));
        }
      });
    });
  }

  /** Sends without waiting for the answer (public/test replies to test_request). */
  notify(method: string, params: Record<string, unknown>): void {
    if (!this.isOpen) return;
    const req: WireRequest = { jsonrpc: '2.0', id: this.nextId++, method, params };
    this.ws.send(JSON.stringify(req));
  }

  /** Closes gracefully (code 1000); pending requests fail with SocketClosedError. */
  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
  }

  /** Drops the connection at once (a dead peer: no closing handshake to wait for). */
  terminate(): void {
    this.ws.terminate();
  }

  private onFrame(text: string): void {
    this.lastFrameAt = this.now();
    let msg: Incoming;
    try {
      msg = parseIncoming(text);
    } catch (e) {
      this.h.onProtocolError(e as Error);
      return;
    }
    switch (msg.kind) {
      case 'notification': this.h.onNotification(msg.channel, msg.data); return;
      case 'heartbeat': this.h.onHeartbeat(msg.type); return;
      case 'result': this.settle(msg.id, (p) => p.resolve(msg.result)); return;
      case 'error': {
        const id = msg.id;
        if (id === null || !this.pending.has(id)) {
          this.h.onProtocolError(new Error(`deribit error answer to no pending request: ${msg.error.message} (${msg.error.code})`));
          return;
        }
        this.settle(id, (p) => p.reject(new RpcErrorAnswer(p.method, msg.error)));
      }
    }
  }

  private settle(id: number, f: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return; // answered after its timeout: the caller was already told the outcome is unknown
    this.pending.delete(id);
    clearTimeout(p.timer);
    f(p);
  }

  private onClosed(code: number): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(new SocketClosedError(p.method, true));
    }
    this.h.onClose(code);
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
