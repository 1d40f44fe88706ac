// Pure parsing of a legacy Pyth push price account (on-chain, e.g. BTC/USD
// GVXRSBjFk6e6J3NbVPXohDJetcTjaeeuykUpbQF8UoMU, the Mango v3 BTC oracle) with
// @pythnetwork/client's parsePriceData. The aggregate is Trading only while its publish
// slot is within 25 slots of the current slot; otherwise the price is unusable.
import { PriceStatus, parsePriceData } from '@pythnetwork/client';

export interface PythAccountPrice {
  priceUsd: number;
  confUsd: number;
  /** Account `timestamp` (unix s) * 1000. */
  publishTimeMs: number;
  publishSlot: number;
}

export type PythAccountParse =
  | { ok: true; price: PythAccountPrice }
  | { ok: false; reason: 'malformed-account' | 'not-trading'; detail: string; publishTimeMs: number | null; publishSlot: number | null };

export function parsePythPriceAccount(data: Buffer, currentSlot: number): PythAccountParse {
  let d: ReturnType<typeof parsePriceData>;
  try {
    if (data.length < 240 || data.readUInt32LE(0) !== 0xa1b2c3d4 || data.readUInt32LE(8) !== 3) {
      return { ok: false, reason: 'malformed-account', detail: `not a Pyth price account (${data.length} bytes)`, publishTimeMs: null, publishSlot: null };
    }
    d = parsePriceData(data, currentSlot);
  } catch (e) {
    return { ok: false, reason: 'malformed-account', detail: e instanceof Error ? e.message : String(e), publishTimeMs: null, publishSlot: null };
  }
  const publishTimeMs = Number(d.timestamp) * 1000;
  const publishSlot = d.aggregate.publishSlot;
  if (d.status !== PriceStatus.Trading || d.price === undefined || d.confidence === undefined) {
    return {
      ok: false, reason: 'not-trading', publishTimeMs, publishSlot,
      detail: `status ${PriceStatus[d.status] ?? String(d.status)} (aggregate status ${PriceStatus[d.aggregate.status] ?? d.aggregate.status}, publish slot ${publishSlot}, current slot ${currentSlot})`,
    };
  }
  return { ok: true, price: { priceUsd: d.price, confUsd: d.confidence, publishTimeMs, publishSlot } };
}
