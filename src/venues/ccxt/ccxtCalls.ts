// Every read the adapter makes goes through readCall: rate-limit answers back off (capped,
// counted) and try again; other failures become the port's typed errors, with the venue's own
// words and never a credential.
import { VenueTimeoutError, VenueUnavailableError } from '../hedgeVenue.ts';
import { classify, venueText } from './ccxtErrors.ts';

export interface CallContext {
  exchange: string;
  redact: (text: string) => string;
  sleep: (ms: number) => Promise<void>;
  backoffBaseMs: number;
  backoffCapMs: number;
  maxBackoffs: number;
  /** Told of every rate-limit backoff (metrics). */
  onBackoff: () => void;
}

/** Backoff before the n-th retry (n from 0), ms: doubling from the base, capped. */
export function backoffMs(ctx: Pick<CallContext, 'backoffBaseMs' | 'backoffCapMs'>, n: number): number {
  return Math.min(ctx.backoffCapMs, ctx.backoffBaseMs * 2 ** n);
}

/** A ccxt failure as the error the adapter throws (typed for the venue's answers, plain otherwise). */
export function mapFailure(ctx: CallContext, what: string, e: unknown): Error {
  const text = ctx.redact(`${ctx.exchange} ${what}: ${venueText(e)}`);
  switch (classify(e)) {
    case 'unknown': return new VenueTimeoutError(`${text} (no usable answer)`);
    case 'unreachable':
    case 'unavailable':
    case 'rateLimited':
    case 'refused':
    case 'notFound': return new VenueUnavailableError(text);
    case 'auth': return new Error(ctx.redact(`${ctx.exchange} refused the credentials (${what}): ${venueText(e)}`));
    case 'bug': return new Error(ctx.redact(`${ctx.exchange} ${what}: ${e instanceof Error ? e.message : String(e)}`));
  }
}

/** Runs a read; OrderNotFound is the caller's to handle (fn catches it). */
export async function readCall<T>(ctx: CallContext, what: string, fn: () => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await fn();
    } catch (e) {
      if (classify(e) === 'rateLimited' && n < ctx.maxBackoffs) {
        ctx.onBackoff();
        await ctx.sleep(backoffMs(ctx, n));
        continue;
      }
      throw mapFailure(ctx, what, e);
    }
  }
}
