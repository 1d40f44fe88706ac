// What ccxt throws, sorted into what the adapter does about it:
// - notFound (OrderNotFound): the venue never saw the id.
// - rateLimited (RateLimitExceeded, DDoSProtection): the venue refused to process the request;
//   back off (capped, counted) and try again.
// - unreachable (a NetworkError for a refused connection or an unknown host): nothing was sent.
// - unavailable (ExchangeNotAvailable, OnMaintenance, InvalidNonce): the venue answered that it
//   cannot serve the request now.
// - unknown (RequestTimeout, other NetworkError, other OperationFailed such as BadResponse): no
//   usable answer; an order's outcome is unknown until a lookup by client id settles it.
// - refused (InvalidOrder, InsufficientFunds, other ExchangeError): the venue said no, in its
//   own words.
// - auth (AuthenticationError and subclasses): the credentials do not work.
// - bug (ArgumentsRequired, BadSymbol, NotSupported, anything not from ccxt): ours to fix.
import {
  ArgumentsRequired, AuthenticationError, BadResponse, BadSymbol, DDoSProtection, ExchangeError, ExchangeNotAvailable,
  InvalidNonce, NetworkError, NotSupported, OperationFailed, OrderNotFound, RateLimitExceeded,
} from 'ccxt';

export type FailureKind = 'notFound' | 'rateLimited' | 'unreachable' | 'unavailable' | 'unknown' | 'refused' | 'auth' | 'bug';

/** Transport failures before anything was sent (ccxt keeps the system error's code in its message). */
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ConnectionRefused|DNSError/;

export function classify(e: unknown): FailureKind {
  if (e instanceof OrderNotFound) return 'notFound';
  if (e instanceof RateLimitExceeded || e instanceof DDoSProtection) return 'rateLimited';
  if (e instanceof ExchangeNotAvailable || e instanceof InvalidNonce) return 'unavailable';
  if (e instanceof NetworkError && UNREACHABLE.test(e.message)) return 'unreachable';
  if (e instanceof NetworkError || e instanceof BadResponse || e instanceof OperationFailed) return 'unknown';
  if (e instanceof AuthenticationError) return 'auth';
  if (e instanceof ArgumentsRequired || e instanceof BadSymbol || e instanceof NotSupported) return 'bug';
  if (e instanceof ExchangeError) return 'refused';
  return 'bug';
}

function textIn(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  // Hyperliquid: {"status":"ok","response":{"type":"order","data":{"statuses":[{"error":"..."}]}}} or {"status":"err","response":"..."}
  const statuses = ((b.response as { data?: { statuses?: unknown } } | undefined)?.data?.statuses);
  if (Array.isArray(statuses)) {
    for (const s of statuses) {
      const err = (s as { error?: unknown } | null)?.error;
      if (typeof err === 'string') return err;
    }
  }
  if (typeof b.response === 'string') return b.response;
  // Binance: {"code":-2010,"msg":"..."}
  if (typeof b.msg === 'string') return typeof b.code === 'number' ? `${b.msg} (code ${b.code})` : b.msg;
  if (typeof b.error === 'string') return b.error;
  return undefined;
}

/**
 * The venue's own words in a ccxt error: ccxt puts the answer's body after the exchange id (and
 * for HTTP errors after the method, URL and status). Falls back to the message without URLs
 * (a signed URL carries a signature and a timestamp, which a reason has no use for).
 */
export function venueText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const brace = msg.indexOf('{');
  if (brace >= 0) {
    try {
      const t = textIn(JSON.parse(msg.slice(brace)));
      if (t) return t;
    } catch {
      // not JSON after all: fall through to the cleaned message
    }
  }
  return msg.replace(/\b(https?|wss?):\/\/\S+/g, '<url>').trim();
}
