// Maps what mango-client and web3.js throw onto the port's typed errors.
// - client TimeoutError (confirmation not seen in time) -> VenueTimeoutError: outcome unknown.
// - connection refused / DNS / unreachable before anything was sent -> VenueUnavailableError.
// - other transport failures once the transaction was signed -> VenueTimeoutError (it may
//   have reached the cluster).
// - MangoError ("Transaction failed", with txid) -> the caller fetches program logs and
//   throws VenueRejectedError with the reason.
import { VenueTimeoutError, VenueUnavailableError, type VenueError } from '../hedgeVenue.ts';

const UNREACHABLE_RE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/;
const TRANSPORT_RE = /fetch failed|ECONNRESET|socket hang up|ETIMEDOUT|EPIPE|UND_ERR|network|503|502|504/i;

/** Message and causes of an error, joined, for classification (never includes request bodies). */
export function errorText(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur !== undefined && cur !== null; depth++) {
    if (cur instanceof Error) {
      parts.push(cur.message);
      const code = (cur as NodeJS.ErrnoException).code;
      if (code) parts.push(code);
      cur = cur.cause;
    } else {
      parts.push(typeof cur === 'string' ? cur : JSON.stringify(cur));
      break;
    }
  }
  return parts.join(' | ');
}

export function isUnreachable(e: unknown): boolean {
  return UNREACHABLE_RE.test(errorText(e));
}

export function isTransportError(e: unknown): boolean {
  const t = errorText(e);
  return UNREACHABLE_RE.test(t) || TRANSPORT_RE.test(t);
}

/** mango-client's TimeoutError (or the raw `{ timeout: true }` its confirm loop rejects with). */
export function isClientTimeout(e: unknown): boolean {
  if (e !== null && typeof e === 'object' && (e as { timeout?: unknown }).timeout === true) return true;
  return e instanceof Error && e.message.startsWith('Timed out awaiting confirmation');
}

/** mango-client's MangoError: a landed transaction that failed; carries the txid. */
export function failedTxid(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const txid = (e as { txid?: unknown }).txid;
  return typeof txid === 'string' && !isClientTimeout(e) ? txid : undefined;
}

/** Classifies a failure of a read (no order involved). */
export function readFailure(e: unknown, what: string): VenueError {
  if (isTransportError(e)) return new VenueUnavailableError(`mango rpc unreachable while ${what}: ${errorText(e)}`);
  return new VenueUnavailableError(`mango rpc error while ${what}: ${errorText(e)}`);
}

/**
 * Classifies a send failure that is neither a timeout nor a landed failed transaction.
 * A JSON-RPC error answer to sendTransaction (web3.js SendTransactionError: node behind,
 * malformed or unsigned transaction) means the node did not take the transaction.
 */
export function sendFailure(e: unknown, signed: boolean): VenueError {
  const answered = e instanceof Error && e.name === 'SendTransactionError';
  if (!signed || answered || isUnreachable(e)) return new VenueUnavailableError(`mango order not sent: ${errorText(e)}`);
  return new VenueTimeoutError(`mango order outcome unknown after transport error: ${errorText(e)}`);
}
