// Pure parse of a Mango v3 perp event queue account into the fills where our account was
// the taker. Events vanish from the ring once cranked and overwritten, so callers remember
// the last seqNum they saw and also confirm through the account's position.
import { PerpEventQueueLayout } from '@blockworks-foundation/mango-client';
import type BN from 'bn.js';

export interface TakerFill {
  /** Event queue sequence number (decimal string; unique per market). */
  seqNum: string;
  /** Taker's client order id, decimal u64 string. */
  takerClientOrderId: string;
  takerSide: 'buy' | 'sell';
  /** Price in price lots (quote lots per base lot). */
  priceLots: number;
  /** Size in base lots (> 0). */
  quantityLots: number;
  /** Taker fee as a fraction of notional (e.g. 0.0004). */
  takerFeeRate: number;
  /** Chain time of the fill, unix seconds. */
  timestampSec: number;
}

interface RawFill {
  takerSide: 'buy' | 'sell';
  timestamp: BN;
  seqNum: BN;
  taker: { toBase58(): string };
  takerClientOrderId: BN;
  takerFee: { toNumber(): number };
  price: BN;
  quantity: BN;
}

interface RawQueue {
  seqNum: BN;
  events: Array<{ fill?: RawFill }>;
}

export interface ParsedQueue {
  /** The queue's next sequence number (events so far). */
  queueSeqNum: string;
  fills: TakerFill[];
}

/**
 * Fills in `data` (the event queue account bytes) taken by `takerAccount` (base58), with
 * seqNum strictly greater than `afterSeqNum` when given, sorted by seqNum.
 */
export function parseFillEvents(data: Buffer, takerAccount: string, afterSeqNum?: bigint): ParsedQueue {
  const q = (PerpEventQueueLayout as { decode(b: Buffer): unknown }).decode(data) as RawQueue;
  const fills: TakerFill[] = [];
  for (const e of q.events) {
    const f = e.fill;
    // Zeroed slots decode as fills with timestamp 0: never written, skip.
    if (f === undefined || f.timestamp.isZero()) continue;
    if (f.taker.toBase58() !== takerAccount) continue;
    const seq = BigInt(f.seqNum.toString(10));
    if (afterSeqNum !== undefined && seq <= afterSeqNum) continue;
    fills.push({
      seqNum: seq.toString(10),
      takerClientOrderId: f.takerClientOrderId.toString(10),
      takerSide: f.takerSide,
      priceLots: f.price.toNumber(),
      quantityLots: f.quantity.toNumber(),
      takerFeeRate: f.takerFee.toNumber(),
      timestampSec: f.timestamp.toNumber(),
    });
  }
  fills.sort((a, b) => (BigInt(a.seqNum) < BigInt(b.seqNum) ? -1 : 1));
  return { queueSeqNum: q.seqNum.toString(10), fills };
}
