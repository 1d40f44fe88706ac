// What the Deribit session throws. Expected venue answers (a rejected order) become values in
// the ports; these are the failures of a request itself:
// - DeribitRpcError: the venue answered with a JSON-RPC error (code, Deribit's message).
// - DeribitUnknownOutcomeError: an order-changing request was sent and its answer was lost
//   (timeout, socket closed): the venue may have acted. Look it up by label; never resend blindly.
// - DeribitUnavailableError: nothing was sent (not connected in time), or a read failed.
import { NOT_PROCESSED_CODES, OUTCOME_UNKNOWN_CODES } from './wire/errorCodes.ts';

export class DeribitRpcError extends Error {
  /** The request did not run (rate limit, maintenance, auth): nothing was done. */
  readonly notProcessed: boolean;
  /** The server failed while handling it: it may have acted. */
  readonly outcomeUnknown: boolean;

  constructor(readonly method: string, readonly code: number, readonly reason: string, detail: string | null) {
    super(`deribit ${method} failed: ${reason} (${code})${detail ? `: ${detail}` : ''}`);
    this.name = 'DeribitRpcError';
    this.notProcessed = NOT_PROCESSED_CODES.has(code);
    this.outcomeUnknown = OUTCOME_UNKNOWN_CODES.has(code);
  }
}

export class DeribitUnknownOutcomeError extends Error {
  constructor(readonly method: string, why: string) {
    super(`deribit ${method}: ${why}; outcome unknown`);
    this.name = 'DeribitUnknownOutcomeError';
  }
}

export class DeribitUnavailableError extends Error {
  constructor(readonly method: string, why: string) {
    super(`deribit ${method}: ${why}`);
    this.name = 'DeribitUnavailableError';
  }
}

export function isRpcError(e: unknown, code?: number): e is DeribitRpcError {
  return e instanceof DeribitRpcError && (code === undefined || e.code === code);
}
