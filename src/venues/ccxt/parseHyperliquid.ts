// Pure parsers of Hyperliquid's answers as ccxt hands them over (`order.info`, `trade.info`,
// `position.info`): the orderStatus record, the order action's per-order status, and the
// 5-significant-figure price grid. Tested against payloads copied from Hyperliquid's docs.
import { z } from 'zod';
import type { PlaceAnswer, VenueOrderRecord } from './ccxtProfile.ts';

const decimal = z.union([z.string(), z.number()]).transform((v) => Number(v)).pipe(z.number().finite());

/** `orderStatus` answer's `order` field: {order: {...}, status, statusTimestamp}. */
const orderStatusSchema = z.object({
  order: z.object({
    oid: z.union([z.number(), z.string()]).transform(String),
    timestamp: decimal,
    origSz: decimal,
    sz: decimal,
    cloid: z.string().nullable().optional(),
  }).passthrough(),
  status: z.string(),
  statusTimestamp: decimal,
}).passthrough();

/**
 * The venue's record of an order. Statuses (Hyperliquid docs, "order status"): open, filled,
 * canceled, triggered, rejected, and the *Canceled / *Rejected reasons. `iocCancelRejected` is
 * an IOC that found nothing to match: a cancel with nothing traded, not a refusal.
 */
export function hyperliquidRecord(info: unknown): VenueOrderRecord {
  const r = orderStatusSchema.parse(info);
  const s = r.status;
  const base = { orderId: r.order.oid, createdAt: r.order.timestamp, statusAt: r.statusTimestamp };
  if (s === 'open' || s === 'triggered') return { ...base, phase: 'open' };
  if (s === 'filled') return { ...base, phase: 'filled', filledContracts: r.order.origSz };
  if (s === 'iocCancelRejected') return { ...base, phase: 'cancelled', filledContracts: 0 };
  if (s === 'canceled' || s === 'scheduledCancel' || s.endsWith('Canceled')) return { ...base, phase: 'cancelled' };
  if (s === 'rejected' || s.endsWith('Rejected')) return { ...base, phase: 'rejected', reason: `hyperliquid order status ${s}` };
  throw new Error(`hyperliquid order ${r.order.oid}: unknown order status "${s}"`);
}

const oid = z.union([z.number(), z.string()]).transform(String);
const placeStatusSchema = z.object({
  filled: z.object({ totalSz: decimal, avgPx: decimal, oid }).optional(),
  resting: z.object({ oid }).optional(),
});

/** One entry of the order action's `statuses` (errors never get here: ccxt throws on them). */
export function hyperliquidPlaceAnswer(info: unknown): PlaceAnswer {
  const r = placeStatusSchema.parse(info);
  if (r.filled) return { orderId: r.filled.oid, filledContracts: r.filled.totalSz, noMatch: false };
  if (r.resting) return { orderId: r.resting.oid, filledContracts: 0, noMatch: false };
  throw new Error(`hyperliquid order answer without filled or resting: ${JSON.stringify(info)}`);
}

/**
 * Price step at a price (Hyperliquid docs, "tick and lot size"): at most 5 significant figures
 * and at most 6 - szDecimals decimals for perps; integer prices are always valid.
 */
export function hyperliquidPriceStep(priceUsd: number, szDecimals: number): number {
  if (!(priceUsd > 0)) throw new Error(`price must be > 0, got ${priceUsd}`);
  const digits = Math.floor(Math.log10(priceUsd)) + 1;
  if (digits >= 5) return 1;
  return Math.max(10 ** (digits - 5), 10 ** -(6 - szDecimals));
}

/** Funding paid since the position opened (clearinghouseState position.cumFunding.sinceOpen), USD. */
export function hyperliquidFundingPaid(info: unknown): number {
  const r = z.object({ position: z.object({ cumFunding: z.object({ sinceOpen: decimal }).passthrough().optional() }).passthrough() }).passthrough().safeParse(info);
  return r.success ? r.data.position.cumFunding?.sinceOpen ?? 0 : 0;
}
