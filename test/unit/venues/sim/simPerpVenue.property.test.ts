// Invariants of the simulated venue over random order sequences (ids repeated, reduce-only,
// limits that cut the book, injected faults): fills add up per order and per position, a
// repeated id never trades again, reduce-only never grows the position.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderStatus, VenueFill } from '../../../../src/venues/hedgeVenue.ts';
import { btcToLots } from '../../../../src/venues/sim/lots.ts';
import { PushedPriceReference } from '../../../../src/venues/sim/priceReference.ts';
import { SimPerpVenue } from '../../../../src/venues/sim/simPerpVenue.ts';

const LOT = 0.0001;
const orderArb = fc.record({
  id: fc.integer({ min: 0, max: 15 }),
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  sizeBtc: fc.double({ min: 0.00001, max: 8, noNaN: true }),
  limitBps: fc.integer({ min: -20, max: 200 }),
  reduceOnly: fc.boolean(),
});

describe('SimPerpVenue invariants', () => {
  it('fills add up, repeats never trade, reduce-only never grows the position', async () => {
    await fc.assert(fc.asyncProperty(fc.array(orderArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 1e6 }), async (orders, seed) => {
      const prices = new PushedPriceReference();
      prices.push(0, 30_000);
      const venue = await SimPerpVenue.open({ prices, config: { seed, depth: { depthBtcPerLevel: 0.5, levels: 6 }, faults: { rejectProb: 0.1, timeoutProb: 0.1 } } });
      const fills: VenueFill[] = [];
      const sub = venue.fills().subscribe((f) => fills.push(f));
      const first = new Map<string, OrderStatus>();
      let at = 1_000;
      for (const o of orders) {
        const id = `v-${o.id}`;
        const before = btcToLots((await venue.position('BTC-PERP')).sizeBtc, LOT);
        const limit = 30_000 * (1 + ((o.side === 'buy' ? 1 : -1) * o.limitBps) / 10_000);
        at += 1_000;
        const got = await venue.placeIoc({ clientOrderId: id, market: 'BTC-PERP', side: o.side, sizeBtc: o.sizeBtc, limitPriceUsd: limit, reduceOnly: o.reduceOnly, at })
          .catch((e: unknown) => (e instanceof Error ? e.name : 'error'));
        const truth = await venue.lookup(id);
        expect(truth.status).not.toBe('unknown');
        const seen = first.get(id);
        if (seen !== undefined) expect(truth).toEqual(seen);
        else first.set(id, truth);
        if (typeof got !== 'string') expect(got).toEqual(truth);
        else expect(got).toBe('VenueTimeoutError');
        const after = btcToLots((await venue.position('BTC-PERP')).sizeBtc, LOT);
        if (seen !== undefined) expect(after).toBe(before);
        if (o.reduceOnly && seen === undefined) {
          expect(Math.abs(after)).toBeLessThanOrEqual(Math.abs(before));
          expect(after === 0 || Math.sign(after) === Math.sign(before)).toBe(true);
        }
      }
      sub.unsubscribe();
      for (const [id, s] of first) {
        const lots = fills.filter((f) => f.clientOrderId === id).reduce((n, f) => n + btcToLots(f.sizeBtc, LOT), 0);
        expect(lots).toBe(s.status === 'rejected' || s.status === 'unknown' ? 0 : btcToLots(s.filledBtc, LOT));
      }
      const signed = fills.reduce((n, f) => n + (f.side === 'buy' ? 1 : -1) * btcToLots(f.sizeBtc, LOT), 0);
      expect(btcToLots((await venue.position('BTC-PERP')).sizeBtc, LOT)).toBe(signed);
      await venue.close();
    }), { numRuns: 60 });
  });
});
