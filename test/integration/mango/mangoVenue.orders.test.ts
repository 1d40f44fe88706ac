// The real MangoClient against the loopback fake cluster: every instruction the adapter sends
// is decoded with MangoInstructionLayout and checked; partial fills, rejects with program
// logs, and the effective position (basePosition + takerBase).
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstValueFrom, toArray, take } from 'rxjs';
import { MangoInstructionLayout } from '@blockworks-foundation/mango-client';
import { MangoVenue } from '../../../src/venues/mango/mangoVenue.ts';
import { clientOrderIdU64 } from '../../../src/venues/mango/clientOrderIdU64.ts';
import { startMangoHarness, type MangoHarness } from '../../fixtures/mango/mangoHarness.ts';
import type { DecodedPlace } from '../../fixtures/mango/mangoFillModel.ts';

const at = Date.parse('2023-03-01T00:00:00Z');

describe('MangoVenue orders (offline, real MangoClient)', () => {
  let h: MangoHarness;
  let venue: MangoVenue;
  beforeEach(async () => {
    // Settled position +0.5 BTC (5,000 lots); book around 25,000 USD, 1 BTC per side.
    h = await startMangoHarness({ world: { basePositionLots: 5_000 }, midLots: 250_000, depthLots: 10_000 });
    venue = await MangoVenue.connect(h.config);
  });
  afterEach(async () => {
    await venue.close();
    await h.close();
  });

  it('sends PlacePerpOrder2 ioc with lots, client id, expiry and account metas as specified', async () => {
    const before = Math.floor(Date.now() / 1000);
    const st = await venue.placeIoc({ clientOrderId: 'vault-a-7', market: 'BTC-PERP', side: 'buy', sizeBtc: 0.82, limitPriceUsd: 25_050.37, reduceOnly: false, at });
    expect(st.status).toBe('filled');
    expect(h.rpc.sent).toHaveLength(1);
    const sent = h.rpc.sent[0]!.tx;
    const keys = sent.message.staticAccountKeys.map((k) => k.toBase58());
    const ixs = sent.message.compiledInstructions.filter((ix) => keys[ix.programIdIndex] === h.world.programId.toBase58());
    expect(ixs).toHaveLength(1);
    const o = (MangoInstructionLayout.decode(Buffer.from(ixs[0]!.data), 0) as { PlacePerpOrder2: DecodedPlace }).PlacePerpOrder2;
    expect(o.price.toNumber()).toBe(250_503); // 25,050.37 USD rounded down to the 0.1 tick for a buy
    expect(o.maxBaseQuantity.toNumber()).toBe(8_200); // 0.82 BTC / 0.0001
    expect(o.maxQuoteQuantity.toString()).toBe(String(8_200 * 250_503));
    expect(o.clientOrderId.toString()).toBe(clientOrderIdU64('vault-a-7'));
    expect(o.side).toBe('buy');
    expect(o.orderType).toBe('ioc');
    expect(o.reduceOnly).toBe(false);
    expect(o.limit).toBe(20);
    expect(o.expiryType).toBe('absolute');
    expect(o.expiryTimestamp.toNumber()).toBeGreaterThanOrEqual(before + 60);
    expect(o.expiryTimestamp.toNumber()).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 60);
    const w = h.world;
    expect(h.model.placed[0]!.metas).toEqual([
      { pubkey: w.group.toBase58(), isSigner: false, isWritable: false },
      { pubkey: w.mangoAccount.toBase58(), isSigner: false, isWritable: true },
      { pubkey: w.owner.publicKey.toBase58(), isSigner: true, isWritable: true }, // fee payer is writable
      { pubkey: w.cache.toBase58(), isSigner: false, isWritable: false },
      { pubkey: w.perpMarket.toBase58(), isSigner: false, isWritable: true },
      { pubkey: w.bids.toBase58(), isSigner: false, isWritable: true },
      { pubkey: w.asks.toBase58(), isSigner: false, isWritable: true },
      { pubkey: w.eventQueue.toBase58(), isSigner: false, isWritable: true },
      { pubkey: w.mangoAccount.toBase58(), isSigner: false, isWritable: true }, // referrer slot = own account
    ]);
  });

  it('sends a reduce-only sell with the price rounded up and no quote cap', async () => {
    const st = await venue.placeIoc({ clientOrderId: 'vault-a-8', market: 'BTC-PERP', side: 'sell', sizeBtc: 0.3, limitPriceUsd: 24_980.01, reduceOnly: true, at });
    expect(st).toMatchObject({ status: 'filled', filledBtc: 0.3 });
    const o = h.model.placed[0]!.order;
    expect(o.price.toNumber()).toBe(249_801); // 24,980.01 USD rounded up to the tick for a sell
    expect(o.side).toBe('sell');
    expect(o.reduceOnly).toBe(true);
    expect(o.maxQuoteQuantity.toString()).toBe('9223372036854775807');
    expect((await venue.position('BTC-PERP')).sizeBtc).toBeCloseTo(0.2, 12);
  });

  it('partial fill: the IOC remainder is cancelled, fills add up, position = basePosition + takerBase', async () => {
    const fills = firstValueFrom(venue.fills().pipe(take(4), toArray()));
    const st = await venue.placeIoc({ clientOrderId: 'vault-a-9', market: 'BTC-PERP', side: 'buy', sizeBtc: 1.5, limitPriceUsd: 25_500, reduceOnly: false, at });
    expect(st.status).toBe('cancelled');
    if (st.status !== 'cancelled') return;
    expect(st.filledBtc).toBeCloseTo(1, 12); // all the depth there is
    const got = await fills;
    expect(got.map((f) => f.clientOrderId)).toEqual(['vault-a-9', 'vault-a-9', 'vault-a-9', 'vault-a-9']);
    expect(got.reduce((s, f) => s + f.sizeBtc, 0)).toBeCloseTo(st.filledBtc, 12);
    expect(got.reduce((s, f) => s + f.sizeBtc * f.priceUsd, 0) / st.filledBtc).toBeCloseTo(st.avgPriceUsd, 6);
    expect(new Set(got.map((f) => f.fillId)).size).toBe(4);
    // Settled 0.5 BTC + 1.0 BTC of taker fills not yet cranked.
    const pos = await venue.position('BTC-PERP');
    expect(pos.sizeBtc).toBeCloseTo(1.5, 12);
    expect(await venue.lookup('vault-a-9')).toEqual(st);
  });

  it('a program reject becomes a rejected status with the reason read from the program logs', async () => {
    h.model.rejectNext = {
      err: { InstructionError: [0, { Custom: 33 }] },
      logs: ['Program log: MangoErrorCode::InvalidOrderType; source: src/processor.rs:2371', `Program ${h.world.programId.toBase58()} failed: custom program error: 0x21`],
    };
    const st = await venue.placeIoc({ clientOrderId: 'vault-a-10', market: 'BTC-PERP', side: 'buy', sizeBtc: 0.1, limitPriceUsd: 25_100, reduceOnly: false, at });
    expect(st).toMatchObject({ status: 'rejected', reason: 'MangoErrorCode::InvalidOrderType; source: src/processor.rs:2371 (custom program error: 0x21)' });
    expect(h.rpc.count('getTransaction')).toBeGreaterThanOrEqual(1);
    expect(await venue.lookup('vault-a-10')).toEqual(st);
    expect(await venue.placeIoc({ clientOrderId: 'vault-a-10', market: 'BTC-PERP', side: 'buy', sizeBtc: 0.1, limitPriceUsd: 25_100, reduceOnly: false, at })).toEqual(st);
    expect(h.rpc.sent).toHaveLength(1);
    expect((await venue.position('BTC-PERP')).sizeBtc).toBeCloseTo(0.5, 12);
  });

  it('reads the oracle price, market info and an unknown market as a typed reject', async () => {
    expect(await venue.markPrice('BTC-PERP')).toMatchObject({ priceUsd: 25_000 });
    expect(await venue.marketInfo('BTC-PERP')).toEqual({ market: 'BTC-PERP', minSizeBtc: 0.0001, lotSizeBtc: 0.0001, tickSizeUsd: 0.1, takerFeeBps: 4 });
    expect(() => venue.position('ETH-PERP')).toThrow(/unknown market ETH-PERP/);
  });
});

describe('MangoVenue setup options (offline, real MangoClient)', () => {
  it('finds the owner\'s only Mango account without mangoAccountPubkey, adds the priority fee, never prints the key', async () => {
    const h = await startMangoHarness({ config: { mangoAccountPubkey: undefined, prioritizationFee: 5_000 } });
    const venue = await MangoVenue.connect(h.config);
    try {
      expect(h.rpc.count('getProgramAccounts')).toBe(1);
      const st = await venue.placeIoc({ clientOrderId: 'vault-b-1', market: 'BTC-PERP', side: 'buy', sizeBtc: 0.01, limitPriceUsd: 25_100, reduceOnly: false, at });
      expect(st.status).toBe('filled');
      const msg = h.rpc.sent[0]!.tx.message;
      const programs = msg.compiledInstructions.map((ix) => msg.staticAccountKeys[ix.programIdIndex]!.toBase58());
      expect(programs).toEqual(['ComputeBudget111111111111111111111111111111', h.world.programId.toBase58()]);
      const secret = Array.from(h.world.owner.secretKey.slice(0, 8)).join(',');
      expect(JSON.stringify(venue)).not.toContain(secret);
      expect(inspect(venue, { depth: 10 })).not.toContain(secret);
      expect(inspect(venue)).toContain(h.world.mangoAccount.toBase58());
    } finally {
      await venue.close();
      await h.close();
    }
  });
});
