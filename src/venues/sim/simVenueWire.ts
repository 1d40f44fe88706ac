// The HTTP JSON wire of the simulated venue: request schemas (checked by the server) and the
// status codes that carry the typed venue errors (mapped back by HttpVenueClient).
import { z } from 'zod';

export const orderRequestSchema = z.object({
  clientOrderId: z.string().min(1).max(200),
  market: z.string().min(1).max(64),
  side: z.enum(['buy', 'sell']),
  sizeBtc: z.number(),
  limitPriceUsd: z.number(),
  reduceOnly: z.boolean(),
  at: z.number(),
});

export const pushPriceSchema = z.object({ at: z.number(), priceUsd: z.number() });
export const clockSchema = z.object({ at: z.number() });
export const adminFaultsSchema = z.object({
  rejectIds: z.array(z.string()).optional(),
  timeoutIds: z.array(z.string()).optional(),
  outages: z.array(z.object({ fromMs: z.number(), toMs: z.number() })).optional(),
});

/** Error bodies: `{ error, message }`; the status code alone decides the client's error type. */
export const HTTP_STATUS = {
  badRequest: 400,
  notFound: 404,
  conflict: 409,
  /** The venue refused (VenueRejectedError, e.g. unknown market). */
  rejected: 422,
  internal: 500,
  /** VenueUnavailableError: nothing was placed. */
  unavailable: 503,
  /** VenueTimeoutError: the outcome is unknown, look it up. */
  timeout: 504,
} as const;

export interface WireError {
  error: string;
  message: string;
}

const traded = { filledBtc: z.number(), avgPriceUsd: z.number(), feeUsd: z.number(), updatedAt: z.number() };
/** OrderStatus as the server sends it (the client checks answers, never trusts them blindly). */
export const orderStatusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('unknown') }),
  z.object({ status: z.literal('open'), ...traded }),
  z.object({ status: z.literal('filled'), ...traded }),
  z.object({ status: z.literal('cancelled'), ...traded }),
  z.object({ status: z.literal('rejected'), reason: z.string(), updatedAt: z.number() }),
]);
export const positionSchema = z.object({ market: z.string(), sizeBtc: z.number(), avgEntryUsd: z.number(), fundingPaidUsd: z.number() });
export const markSchema = z.object({ priceUsd: z.number(), at: z.number() });
export const fundingSchema = z.object({ ratePerHour: z.number(), at: z.number() });
export const marketInfoSchema = z.object({
  market: z.string(), minSizeBtc: z.number(), lotSizeBtc: z.number(), tickSizeUsd: z.number(), takerFeeBps: z.number(),
});
export const fillSchema = z.object({
  clientOrderId: z.string(), market: z.string(), side: z.enum(['buy', 'sell']), sizeBtc: z.number(),
  priceUsd: z.number(), feeUsd: z.number(), at: z.number(), fillId: z.string(),
});
