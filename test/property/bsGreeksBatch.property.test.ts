// The greeks kernel against the validated six-greek pricer (its own code path: Math.exp and
// the split-exponential normalCdf), row by row, over books mixing every regime: deep ITM/OTM,
// hours to years, tiny and huge vol, expiry, non-zero rate and carry.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blackScholes } from '../../src/domain/blackScholes.ts';
import { bsGreeksBatch, newBsBatch } from '../../src/domain/bsGreeksBatch.ts';

const row = fc.record({
  isCall: fc.boolean(),
  spot: fc.double({ min: 1_000, max: 200_000, noNaN: true }),
  moneyness: fc.double({ min: 0.2, max: 5, noNaN: true }),
  years: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 5, noNaN: true })),
  vol: fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 4, noNaN: true })),
});
const market = fc.record({
  rate: fc.double({ min: -0.02, max: 0.15, noNaN: true }),
  carry: fc.oneof(fc.constant(0), fc.double({ min: -0.05, max: 0.1, noNaN: true })),
});

/** |a - b| within rel of the larger magnitude, or within abs (for values that are ~0). */
function close(a: number, b: number, rel: number, abs: number): boolean {
  return Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)));
}

describe('bsGreeksBatch', () => {
  it('agrees with blackScholes on every row, in any mix of regimes', () => {
    fc.assert(fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), market, (rows, { rate, carry }) => {
      const { input, output } = newBsBatch(rows.length + 3); // larger than count: tail untouched
      rows.forEach((r, i) => {
        input.isCall[i] = r.isCall ? 1 : 0;
        input.spot[i] = r.spot;
        input.strike[i] = r.spot * r.moneyness;
        input.years[i] = r.years;
        input.vol[i] = r.vol;
      });
      output.price.fill(-7, rows.length);
      bsGreeksBatch(rows.length, input, rate, carry, output);
      rows.forEach((r, i) => {
        const g = blackScholes(r.isCall ? 'call' : 'put', r.spot, r.spot * r.moneyness, r.years, r.vol, rate, carry);
        const where = `row ${i} ${JSON.stringify(r)} r=${rate} q=${carry}`;
        // Price to 1e-12 of spot: both sides round the same formula differently (d1 from
        // log(S/K)+(r-q)T here, from log(F/K) there), which moves deep-tail digits only.
        expect(close(output.price[i] as number, g.price, 1e-12, 1e-12 * r.spot), `price ${where}`).toBe(true);
        expect(close(output.delta[i] as number, g.delta, 1e-11, 1e-13), `delta ${where}`).toBe(true);
        expect(close(output.gamma[i] as number, g.gamma, 1e-9, 1e-13 / r.spot), `gamma ${where}`).toBe(true);
        expect(close(output.vega[i] as number, g.vega, 1e-9, 1e-12 * r.spot), `vega ${where}`).toBe(true);
        for (const v of [output.price[i], output.delta[i], output.gamma[i], output.vega[i]]) expect(Number.isFinite(v)).toBe(true);
      });
      expect([...output.price.subarray(rows.length)]).toEqual([-7, -7, -7]);
    }), { numRuns: 400 });
  });

  it('prices each row on its own: reordering the rows reorders the answers, nothing else', () => {
    fc.assert(fc.property(fc.array(row, { minLength: 2, maxLength: 20 }), market, (rows, { rate, carry }) => {
      const a = newBsBatch(rows.length), b = newBsBatch(rows.length);
      const fill = (batch: ReturnType<typeof newBsBatch>, order: number[]): void => order.forEach((src, i) => {
        const r = rows[src]!;
        batch.input.isCall[i] = r.isCall ? 1 : 0;
        batch.input.spot[i] = r.spot;
        batch.input.strike[i] = r.spot * r.moneyness;
        batch.input.years[i] = r.years;
        batch.input.vol[i] = r.vol;
      });
      const order = rows.map((_, i) => i);
      const reversed = [...order].reverse();
      fill(a, order);
      fill(b, reversed);
      bsGreeksBatch(rows.length, a.input, rate, carry, a.output);
      bsGreeksBatch(rows.length, b.input, rate, carry, b.output);
      for (let i = 0; i < rows.length; i++) {
        const j = rows.length - 1 - i;
        expect([b.output.price[j], b.output.delta[j], b.output.gamma[j], b.output.vega[j]])
          .toEqual([a.output.price[i], a.output.delta[i], a.output.gamma[i], a.output.vega[i]]);
      }
    }), { numRuns: 100 });
  });
});
