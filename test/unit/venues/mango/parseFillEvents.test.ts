import { describe, expect, it } from 'vitest';
import BN from 'bn.js';
import type { PublicKey } from '@solana/web3.js';
import { I80F48, PerpEventLayout, PerpEventQueueHeaderLayout, makePlacePerpOrder2Instruction } from '@blockworks-foundation/mango-client';
import { buildMangoWorld, EVENT_SIZE, labelKeypair } from '../../../fixtures/mango/mangoWorld.ts';
import { parseFillEvents } from '../../../../src/venues/mango/parseFillEvents.ts';
import { decodePlacePerpOrder2 } from '../../../../src/venues/mango/decodePlacePerpOrder.ts';
import { iocStatus } from '../../../../src/venues/mango/mangoOrderStatus.ts';

const SPEC = { baseLotSize: 100, quoteLotSize: 10, baseDecimals: 6, quoteDecimals: 6 };

/** An event queue with `events` written at consecutive slots from `head`, built with mango-client's layouts. */
function queueBytes(capacity: number, head: number, events: Array<{ taker: PublicKey; clientId: string; side: 'buy' | 'sell'; price: number; qty: number; ts: number }>): Buffer {
  const hs = PerpEventQueueHeaderLayout.span as number;
  const buf = Buffer.alloc(hs + capacity * EVENT_SIZE);
  events.forEach((e, k) => {
    const fill = PerpEventLayout.decode(Buffer.alloc(EVENT_SIZE)).fill;
    Object.assign(fill, {
      takerSide: e.side, timestamp: new BN(e.ts), seqNum: new BN(100 + k), maker: labelKeypair('m').publicKey, taker: e.taker,
      takerClientOrderId: new BN(e.clientId, 10), takerFee: I80F48.fromNumber(0.0004), price: new BN(e.price), quantity: new BN(e.qty),
      makerFee: I80F48.fromNumber(-0.0001), makerOrderId: new BN(1), takerOrderId: new BN(2), makerClientOrderId: new BN(0),
      bestInitial: new BN(0), makerTimestamp: new BN(e.ts),
    });
    PerpEventLayout.encode({ fill }, buf, hs + ((head + k) % capacity) * EVENT_SIZE);
  });
  const h = PerpEventQueueHeaderLayout.decode(buf);
  Object.assign(h, { head: new BN(head), count: new BN(events.length), seqNum: new BN(100 + events.length) });
  PerpEventQueueHeaderLayout.encode(h, buf);
  return buf;
}

describe('parseFillEvents', () => {
  const w = buildMangoWorld();
  const me = w.mangoAccount;
  const other = labelKeypair('someone-else').publicKey;
  const bigId = '18446744073709551615'; // u64::MAX survives as a decimal string

  it('keeps only our taker fills, in seqNum order, across the ring wrap', () => {
    const data = queueBytes(4, 3, [
      { taker: me, clientId: '11', side: 'buy', price: 250_001, qty: 2_500, ts: 1_700_000_000 },
      { taker: other, clientId: '11', side: 'buy', price: 250_002, qty: 10, ts: 1_700_000_001 },
      { taker: me, clientId: bigId, side: 'sell', price: 249_990, qty: 7, ts: 1_700_000_002 },
    ]);
    const q = parseFillEvents(data, me.toBase58());
    expect(q.queueSeqNum).toBe('103');
    expect(q.fills.map((f) => [f.seqNum, f.takerClientOrderId, f.takerSide, f.priceLots, f.quantityLots, f.timestampSec])).toEqual([
      ['100', '11', 'buy', 250_001, 2_500, 1_700_000_000],
      ['102', bigId, 'sell', 249_990, 7, 1_700_000_002],
    ]);
    expect(q.fills[0]!.takerFeeRate).toBeCloseTo(0.0004, 12);
    expect(parseFillEvents(data, me.toBase58(), 100n).fills.map((f) => f.seqNum)).toEqual(['102']);
  });

  it('skips never-written (zeroed) slots', () => {
    expect(parseFillEvents(queueBytes(8, 0, []), me.toBase58()).fills).toEqual([]);
  });

  it('iocStatus: partial fills add up; updatedAt is the last fill chain time', () => {
    const data = queueBytes(8, 0, [
      { taker: me, clientId: '5', side: 'buy', price: 300_030, qty: 2_500, ts: 1_700_000_000 },
      { taker: me, clientId: '5', side: 'buy', price: 300_180, qty: 2_500, ts: 1_700_000_001 },
    ]);
    const fills = parseFillEvents(data, me.toBase58()).fills;
    const partial = iocStatus(fills, 20_000, SPEC, 0);
    expect(partial).toMatchObject({ status: 'cancelled', filledBtc: 0.5, updatedAt: 1_700_000_001_000 });
    if (partial.status === 'cancelled') {
      expect(partial.avgPriceUsd).toBeCloseTo(30_010.5, 9);
      expect(partial.feeUsd).toBeCloseTo(0.0004 * 0.5 * 30_010.5, 9);
    }
    expect(iocStatus(fills, 5_000, SPEC, 0).status).toBe('filled');
    expect(iocStatus(fills, undefined, SPEC, 0).status).toBe('filled');
    expect(iocStatus([], 5_000, SPEC, 42)).toEqual({ status: 'cancelled', filledBtc: 0, avgPriceUsd: 0, feeUsd: 0, updatedAt: 42 });
    expect(() => iocStatus(fills, 4_000, SPEC, 0)).toThrow(/collision/);
  });
});

describe('decodePlacePerpOrder2', () => {
  it('round-trips the instruction mango-client builds', () => {
    const w = buildMangoWorld();
    const ix = makePlacePerpOrder2Instruction(
      w.programId, w.group, w.mangoAccount, w.owner.publicKey, w.cache, w.perpMarket, w.bids, w.asks, w.eventQueue, [],
      new BN(250_001), new BN(82_000), new BN('20500082000'), new BN('13077761780992737833'), 'sell', new BN(20), 'ioc', true,
      undefined, new BN(1_800_000_000), 'absolute',
    );
    expect(decodePlacePerpOrder2(ix.data)).toEqual({
      priceLots: 250_001, maxBaseLots: 82_000, maxQuoteLots: '20500082000', clientOrderId: '13077761780992737833',
      expiryTimestampSec: 1_800_000_000, side: 'sell', orderType: 'ioc', reduceOnly: true,
    });
  });

  it('returns undefined for data that is not PlacePerpOrder2', () => {
    expect(decodePlacePerpOrder2(Uint8Array.from([2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined(); // Deposit
    expect(decodePlacePerpOrder2(Uint8Array.from([1, 2]))).toBeUndefined();
  });
});
