import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BandProximity, type ProximityInput } from '../../../src/engine/bandProximity.ts';
import { rankFromContexts } from '../../fixtures/rankFromContexts.ts';

const ctx = (netBtc: number, gamma: number, hedgeBtc: number, inFlight = false, spotUsd = 100): ProximityInput => ({
  greeks: { netBtc, gamma }, bands: { hedgeBtc }, spotUsd, inFlight: inFlight ? ({} as ProximityInput['inFlight']) : null,
});

describe('BandProximity', () => {
  it('orders vaults by predicted distance past their band (delta + gamma x move); vaults with an order in flight last', () => {
    const p = new BandProximity();
    p.set('far', ctx(0.1, 0, 2)); // 0.1 - 2 = -1.9
    p.set('busy', ctx(5, 0, 2, true));
    p.set('near', ctx(1.8, 0, 2)); // -0.2
    p.set('gammaPushed', ctx(1, -0.02, 2)); // |1 - 0.02 * -100| - 2 = +1
    expect(p.rank(0)).toEqual({ order: ['gammaPushed', 'near', 'far', 'busy'], likely: 1 });
  });

  it('a vault updated again keeps its slot and ranks by its latest numbers; no spot yet means no move', () => {
    const p = new BandProximity();
    p.set('a', ctx(3, 0, 2));
    p.set('b', ctx(0, 1, 1, false, 0)); // no spot: gamma x move is 0
    expect(p.rank(1_000)).toEqual({ order: ['a', 'b'], likely: 1 });
    p.set('a', ctx(0, 0, 2));
    p.set('b', ctx(-4, 0, 1));
    expect(p.rank(1_000)).toEqual({ order: ['b', 'a'], likely: 1 });
  });

  it('equals the ranking read from the contexts, for any numbers and any number of vaults (grows past its first array)', () => {
    const finite = fc.double({ min: -50, max: 50, noNaN: true });
    const entry = fc.record({ net: finite, gamma: fc.double({ min: -0.01, max: 0.01, noNaN: true }), band: fc.double({ min: 0, max: 10, noNaN: true }), busy: fc.boolean(), spot: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1e5, noNaN: true })) });
    fc.assert(fc.property(fc.array(entry, { maxLength: 60 }), fc.array(fc.nat(59), { maxLength: 30 }), fc.double({ min: 1, max: 1e5, noNaN: true }), (rows, updates, price) => {
      const p = new BandProximity();
      const latest = new Map<string, ProximityInput>();
      rows.forEach((r, i) => {
        const c = ctx(r.net, r.gamma, r.band, r.busy, r.spot);
        p.set(`v${i}`, c);
        latest.set(`v${i}`, c);
      });
      // Re-set some vaults with other numbers: the copy must follow.
      for (const u of updates) {
        if (u >= rows.length) continue;
        const r = rows[(u * 7) % rows.length] as (typeof rows)[number];
        const c = ctx(-r.net, r.gamma, r.band, !r.busy, r.spot);
        p.set(`v${u}`, c);
        latest.set(`v${u}`, c);
      }
      expect(p.rank(price)).toEqual(rankFromContexts([...latest], price));
    }), { numRuns: 300 });
  });
});
