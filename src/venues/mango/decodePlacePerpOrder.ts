// Pure decode of a PlacePerpOrder2 instruction's data (for recovery from transaction history).
import { MangoInstructionLayout } from '@blockworks-foundation/mango-client';
import type BN from 'bn.js';

export interface PlacePerpOrder2Fields {
  priceLots: number;
  maxBaseLots: number;
  maxQuoteLots: string;
  clientOrderId: string;
  expiryTimestampSec: number;
  side: 'buy' | 'sell';
  orderType: string;
  reduceOnly: boolean;
}

interface RawPlace {
  price: BN; maxBaseQuantity: BN; maxQuoteQuantity: BN; clientOrderId: BN; expiryTimestamp: BN;
  side: 'buy' | 'sell'; orderType: string; reduceOnly: boolean;
}

/** The order's fields, or undefined if `data` is not a PlacePerpOrder2 instruction. */
export function decodePlacePerpOrder2(data: Uint8Array): PlacePerpOrder2Fields | undefined {
  let decoded: Record<string, unknown>;
  try {
    decoded = MangoInstructionLayout.decode(Buffer.from(data), 0) as Record<string, unknown>;
  } catch {
    return undefined; // another program's instruction, or another Mango instruction it cannot size
  }
  const o = decoded.PlacePerpOrder2 as RawPlace | undefined;
  if (!o) return undefined;
  return {
    priceLots: o.price.toNumber(), maxBaseLots: o.maxBaseQuantity.toNumber(), maxQuoteLots: o.maxQuoteQuantity.toString(10),
    clientOrderId: o.clientOrderId.toString(10), expiryTimestampSec: o.expiryTimestamp.toNumber(), side: o.side,
    orderType: o.orderType, reduceOnly: o.reduceOnly,
  };
}
