// What the simulated venue stores per client order id: the request, its final outcome and
// its fills. Encoded as JSON for the store; decoding validates, so a damaged or foreign
// record stops the venue at open instead of being half-read.
import { z } from 'zod';
import type { IocOrderRequest, OrderStatus, VenueFill } from '../hedgeVenue.ts';

export type FinalOrderStatus = Extract<OrderStatus, { status: 'filled' | 'cancelled' | 'rejected' }>;

export interface SimOrderRecord {
  /** Venue order sequence, 1, 2, 3... */
  seq: number;
  request: IocOrderRequest;
  status: FinalOrderStatus;
  fills: VenueFill[];
  /** The placer was told VenueTimeoutError (injected fault); the order stands all the same. */
  toldTimeout: boolean;
}

const side = z.enum(['buy', 'sell']);
const fillSchema = z.object({
  clientOrderId: z.string(), market: z.string(), side, sizeBtc: z.number(), priceUsd: z.number(),
  feeUsd: z.number(), at: z.number(), fillId: z.string(),
});
const statusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('filled'), filledBtc: z.number(), avgPriceUsd: z.number(), feeUsd: z.number(), updatedAt: z.number() }),
  z.object({ status: z.literal('cancelled'), filledBtc: z.number(), avgPriceUsd: z.number(), feeUsd: z.number(), updatedAt: z.number() }),
  z.object({ status: z.literal('rejected'), reason: z.string(), updatedAt: z.number() }),
]);
const recordSchema = z.object({
  seq: z.number().int().positive(),
  request: z.object({
    clientOrderId: z.string(), market: z.string(), side, sizeBtc: z.number(), limitPriceUsd: z.number(),
    reduceOnly: z.boolean(), at: z.number(),
  }),
  status: statusSchema,
  fills: z.array(fillSchema),
  toldTimeout: z.boolean(),
});

export function encodeOrderRecord(rec: SimOrderRecord): string {
  return JSON.stringify(rec);
}

export function decodeOrderRecord(body: string): SimOrderRecord {
  return recordSchema.parse(JSON.parse(body));
}
