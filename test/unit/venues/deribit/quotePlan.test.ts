import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planQuotes, type PlannedQuote, type RestingState } from '../../../../src/venues/deribit/quotePlan.ts';
import { parseQuoteLabel, quoteLabel } from '../../../../src/venues/deribit/quoteLabels.ts';

const TICK = 0.0005;
const ticks = (_: string, a: number, b: number): number => Math.abs(Math.round(a / TICK) - Math.round(b / TICK));
const S = 'BTC-27JUN25-60000-C';
const want = (side: 'bid' | 'ask', priceBtc: number, amountContracts: number): PlannedQuote => ({ label: `v-${S}-${side}`, instrument: S, side, priceBtc, amountContracts });
const rest = (side: 'bid' | 'ask', priceBtc: number, remainingContracts: number): RestingState => ({ label: `v-${S}-${side}`, instrument: S, side, priceBtc, remainingContracts, filledContracts: 0 });

describe('planQuotes', () => {
  it('cancels first, then amends, then places; keeps what moved less than the thresholds', () => {
    const plan = planQuotes(
      [want('bid', 0.031, 1), { ...want('ask', 0.04, 2), label: `v-${S}-ask`, instrument: S }],
      [rest('bid', 0.03, 1), { ...rest('ask', 0.04, 2), label: 'v-BTC-27JUN25-70000-C-ask', instrument: 'BTC-27JUN25-70000-C' }],
      { amendTicks: 1, amendSizeShare: 0.1 }, ticks,
    );
    expect(plan.map((c) => c.kind)).toEqual(['cancel', 'amend', 'place']);
    expect(planQuotes([want('bid', 0.0305, 1.05)], [rest('bid', 0.03, 1)], { amendTicks: 1, amendSizeShare: 0.1 }, ticks).map((c) => c.kind)).toEqual(['keep']);
    expect(planQuotes([want('bid', 0.03, 0)], [rest('bid', 0.03, 1)], { amendTicks: 1, amendSizeShare: 0.1 }, ticks).map((c) => c.kind)).toEqual(['cancel']);
    expect(() => planQuotes([want('bid', 0.03, 1), want('bid', 0.031, 1)], [], { amendTicks: 0, amendSizeShare: 0 }, ticks)).toThrow(/two desired/);
  });

  it('property: after the plan, what would rest is exactly the desired non-zero set', () => {
    const side = fc.constantFrom<'bid' | 'ask'>('bid', 'ask');
    const q = fc.record({ side, strike: fc.integer({ min: 1, max: 4 }), price: fc.integer({ min: 1, max: 100 }), amount: fc.integer({ min: 0, max: 5 }) });
    fc.assert(fc.property(fc.uniqueArray(q, { selector: (x) => `${x.strike}${x.side}` }), fc.uniqueArray(q, { selector: (x) => `${x.strike}${x.side}` }), (ds, rs) => {
      const name = (k: number): string => `BTC-27JUN25-${k}0000-C`;
      const desired = ds.map((d) => ({ label: `v-${name(d.strike)}-${d.side}`, instrument: name(d.strike), side: d.side, priceBtc: d.price * TICK, amountContracts: d.amount }));
      const resting = rs.filter((r) => r.amount > 0).map((r) => ({ label: `v-${name(r.strike)}-${r.side}`, instrument: name(r.strike), side: r.side, priceBtc: r.price * TICK, remainingContracts: r.amount, filledContracts: 0 }));
      const book = new Map(resting.map((r) => [r.label, r.remainingContracts]));
      for (const c of planQuotes(desired, resting, { amendTicks: 0, amendSizeShare: 0 }, ticks)) {
        if (c.kind === 'cancel') book.delete(c.label);
        else book.set(c.want.label, c.want.amountContracts);
      }
      expect(new Map([...book].sort())).toEqual(new Map(desired.filter((d) => d.amountContracts > 0).map((d) => [d.label, d.amountContracts] as const).sort()));
    }));
  });
});

describe('quote labels', () => {
  it('round-trips vault ids with dashes and refuses labels over 64 characters', () => {
    const l = quoteLabel('fund-a', S, 'bid');
    expect(l).toBe('fund-a-BTC-27JUN25-60000-C-bid');
    expect(parseQuoteLabel(l)).toEqual({ vaultId: 'fund-a', instrument: S, side: 'bid' });
    expect(parseQuoteLabel('vault-7')).toBeNull();
    expect(parseQuoteLabel(`v-${S}-mid`)).toBeNull();
    expect(quoteLabel('x'.repeat(40), S, 'ask')).toHaveLength(64);
    expect(() => quoteLabel('x'.repeat(41), S, 'ask')).toThrow(/longer than 64/);
  });
});
