// The vault-vs-account comparison a Deribit restart halts on: options exactly (in any order,
// split or not), the USD perp within less than one contract; the reason names both books.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookMismatchReason, compareAccountBooks, type AccountBook } from '../../src/domain/accountBooks.ts';

const names = ['BTC-27JUN25-60000-C', 'BTC-27JUN25-50000-P', 'BTC-26SEP25-70000-C'];
const qty = fc.integer({ min: -500, max: 500 }).map((n) => n / 10); // contracts in 0.1 steps
const book: fc.Arbitrary<AccountBook> = fc.record({
  options: fc.array(fc.record({ instrument: fc.constantFrom(...names), qty }), { maxLength: 6 }),
  perpUsd: fc.integer({ min: -100_000, max: 100_000 }).map((n) => n * 10),
});

describe('compareAccountBooks', () => {
  it('a book equals itself shuffled, with zero legs added and the perp off by less than one contract', () => {
    fc.assert(fc.property(book, fc.double({ min: -9.99, max: 9.99, noNaN: true }), (b, dust) => {
      const other = { options: [...b.options].reverse().concat(names.map((n) => ({ instrument: n, qty: 0 }))), perpUsd: b.perpUsd + dust };
      expect(compareAccountBooks(b, other, 10).ok).toBe(true);
    }));
  });

  it('any option difference or a whole contract of perp is a mismatch, and the reason names both books', () => {
    fc.assert(fc.property(book, fc.constantFrom(...names), qty.filter((q) => q !== 0), (b, name, extra) => {
      const changed = { ...b, options: [...b.options, { instrument: name, qty: extra }] };
      const c = compareAccountBooks(changed, b, 10);
      expect(c.ok).toBe(false);
      expect(c.optionDiffs.map(([n]) => n)).toEqual([name]);
      expect(compareAccountBooks({ ...b, perpUsd: b.perpUsd + 10 }, b, 10).ok).toBe(false);
    }));
  });

  it('reads as both books, worked by hand', () => {
    const venue = { options: [{ instrument: names[0] as string, qty: -7 }, { instrument: names[1] as string, qty: 2.5 }], perpUsd: 110_830 };
    const vault = { options: [{ instrument: names[1] as string, qty: 2.5 }, { instrument: names[0] as string, qty: -6 }], perpUsd: 110_830 };
    expect(compareAccountBooks(venue, vault, 10)).toEqual({ ok: false, optionDiffs: [[names[0], -7, -6]], perpDiffUsd: 0 });
    expect(bookMismatchReason(venue, vault)).toBe(
      'reconcile: venue book {BTC-27JUN25-50000-P 2.5, BTC-27JUN25-60000-C -7; perp 110830 USD} vs vault book {BTC-27JUN25-50000-P 2.5, BTC-27JUN25-60000-C -6; perp 110830 USD}');
  });
});
