// Pure parsers of Binance USDS-M futures answers as ccxt hands them over (`order.info`: the
// raw order of GET/POST /fapi/v1/order), and the client id format. Tested against payloads
// copied from Binance's docs.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { PlaceAnswer, VenueOrderRecord } from './ccxtProfile.ts';

const decimal = z.union([z.string(), z.number()]).transform((v) => Number(v)).pipe(z.number().finite());

const orderSchema = z.object({
  orderId: z.union([z.number(), z.string()]).transform(String),
  status: z.string(),
  executedQty: decimal,
  time: decimal.optional(),
  updateTime: decimal,
});

/** newClientOrderId: at most 36 characters of [.A-Z:/a-z0-9_-] (Binance docs, New Order). */
const BINANCE_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/**
 * The engine's `<vault>-<hedgeSeq>` as is when Binance takes it (readable in Binance's UI), else
 * 36 hex characters of its SHA-256 (no "-", so never equal to an id taken as is).
 */
export function binanceClientId(engineId: string): string {
  return BINANCE_ID.test(engineId) ? engineId : createHash('sha256').update(engineId).digest('hex').slice(0, 36);
}

/**
 * Order statuses (Binance docs, "Order Status"): NEW, PARTIALLY_FILLED, FILLED, CANCELED,
 * REJECTED, EXPIRED, EXPIRED_IN_MATCH. An IOC that matched nothing (or only part) ends EXPIRED.
 */
export function binanceRecord(info: unknown): VenueOrderRecord {
  const r = orderSchema.parse(info);
  const base = { orderId: r.orderId, createdAt: r.time ?? r.updateTime, statusAt: r.updateTime, filledContracts: r.executedQty };
  switch (r.status) {
    case 'NEW':
    case 'PARTIALLY_FILLED': return { ...base, phase: 'open' };
    case 'FILLED': return { ...base, phase: 'filled' };
    case 'CANCELED':
    case 'EXPIRED':
    case 'EXPIRED_IN_MATCH': return { ...base, phase: 'cancelled' };
    case 'REJECTED': return { ...base, phase: 'rejected', reason: 'binanceusdm order status REJECTED' };
    default: throw new Error(`binanceusdm order ${r.orderId}: unknown order status "${r.status}"`);
  }
}

/** POST /fapi/v1/order's answer (newOrderRespType RESULT carries the matched state). */
export function binancePlaceAnswer(info: unknown): PlaceAnswer {
  const r = orderSchema.parse(info);
  return { orderId: r.orderId, filledContracts: r.executedQty, noMatch: r.status === 'EXPIRED' && r.executedQty === 0 };
}

/** A funding interval such as "8h" (ccxt's `interval`), hours; Binance's default is 8. */
export function fundingIntervalHours(interval: string | undefined): number {
  const m = /^(\d+)h$/.exec(interval ?? '');
  return m ? Number(m[1]) : 8;
}
