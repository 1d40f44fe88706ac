import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blackScholes } from '../../src/domain/blackScholes.ts';
import { LEAN_DEFAULTS, quoteBook, type QuoteBookInput } from '../../src/domain/quoteBook.ts';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2023, 2, 1);

const seriesArb = fc.record({
  instrument: fc.constant('S'),
  kind: fc.constantFrom('call' as const, 'put' as const),
  strikeUsd: fc.double({ min: 5_000, max: 100_000, noNaN: true }),
  expiryMs: fc.integer({ min: 1, max: 400 }).map((d) => NOW + d * DAY_MS / 4),
  volPerYear: fc.double({ min: 0.05, max: 2, noNaN: true }),
});

const inputArb = fc.record({
  series: fc.array(seriesArb, { minLength: 1, maxLength: 6 }),
  spotUsd: fc.double({ min: 10_000, max: 80_000, noNaN: true }),
  nowMs: fc.constant(NOW),
  ratePerYear: fc.double({ min: -0.01, max: 0.1, noNaN: true }),
  netDeltaBtc: fc.double({ min: -50, max: 50, noNaN: true }),
  bands: fc.record({ hedgeBtc: fc.double({ min: 0.01, max: 20, noNaN: true }) }),
  quote: fc.record({
    halfSpreadBps: fc.double({ min: 0, max: 500, noNaN: true }),
    minHalfSpreadUsd: fc.double({ min: 0.01, max: 50, noNaN: true }),
    maxLeanBps: fc.double({ min: 0, max: 2000, noNaN: true }),
    baseSizeContracts: fc.double({ min: 0.1, max: 100, noNaN: true }),
    leanMode: fc.constantFrom('off' as const, 'fixed' as const, 'costBounded' as const, undefined),
    perpTakerFeeBps: fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: undefined }),
    perpSlippageBps: fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: undefined }),
  }),
  halted: fc.boolean(),
}) satisfies fc.Arbitrary<QuoteBookInput>;

/** For delta d: [size on the delta-increasing side, on the reducing side] of a quote. */
function sides(kind: 'call' | 'put', d: number, q: { bidSizeContracts: number; askSizeContracts: number }): [number, number] {
  const bidAdds = kind === 'call';
  return bidAdds === d >= 0 ? [q.bidSizeContracts, q.askSizeContracts] : [q.askSizeContracts, q.bidSizeContracts];
}

describe('quoteBook properties', () => {
  it('never NaN, never negative, bid < ask, sizes within [0, base]', () => {
    fc.assert(fc.property(inputArb, (input) => {
      for (const q of quoteBook(input)) {
        for (const v of [q.bidPriceUsd, q.askPriceUsd, q.bidSizeContracts, q.askSizeContracts, q.fairUsd]) {
          expect(Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
        }
        expect(q.bidPriceUsd).toBeLessThan(q.askPriceUsd);
        expect(q.bidSizeContracts).toBeLessThanOrEqual(input.quote.baseSizeContracts);
        expect(q.askSizeContracts).toBeLessThanOrEqual(input.quote.baseSizeContracts);
      }
    }), { numRuns: 300 });
  });

  it('halted pulls every size', () => {
    fc.assert(fc.property(inputArb, (input) => {
      for (const q of quoteBook({ ...input, halted: true })) {
        expect(q.bidSizeContracts + q.askSizeContracts).toBe(0);
      }
    }), { numRuns: 100 });
  });

  it('the delta-increasing size shrinks monotonically with |delta|, same direction; the reducing size does not', () => {
    fc.assert(fc.property(inputArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      (input, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const sign = input.netDeltaBtc >= 0 ? 1 : -1;
        const scale = 2 * input.bands.hedgeBtc;
        const base = { ...input, halted: false };
        const small = quoteBook({ ...base, netDeltaBtc: sign * lo * scale });
        const large = quoteBook({ ...base, netDeltaBtc: sign * hi * scale });
        input.series.forEach((s, i) => {
          const [incS, redS] = sides(s.kind, sign, small[i]!);
          const [incL, redL] = sides(s.kind, sign, large[i]!);
          expect(incL).toBeLessThanOrEqual(incS + 1e-12);
          // once the vault is off zero, the reducing side keeps its size
          if (lo * scale !== 0) expect(redL).toBe(redS);
        });
      }), { numRuns: 300 });
  });

  it('at and beyond the hedge band the delta-increasing side is not quoted', () => {
    fc.assert(fc.property(inputArb, fc.double({ min: 1, max: 10, noNaN: true }), (input, k) => {
      const d = (input.netDeltaBtc >= 0 ? 1 : -1) * k * input.bands.hedgeBtc;
      const qs = quoteBook({ ...input, netDeltaBtc: d });
      input.series.forEach((s, i) => expect(sides(s.kind, d, qs[i]!)[0]).toBe(0));
    }), { numRuns: 200 });
  });

  it('with |delta| > 0 and not halted, the reducing side is strictly better than mid for the taker, by at most maxLeanBps', () => {
    // Below ~1e-9 of the band the lean is under one ulp of the price (not representable).
    const offZero = fc.tuple(inputArb, fc.double({ min: 1e-9, max: 10, noNaN: true }), fc.boolean(),
      fc.double({ min: 0.01, max: 2000, noNaN: true }))
      .map(([input, k, neg, maxLeanBps]) => ({
        ...input,
        netDeltaBtc: (neg ? -k : k) * input.bands.hedgeBtc,
        quote: { ...input.quote, maxLeanBps, leanMode: 'fixed' as const },
      }));
    fc.assert(fc.property(offZero, (input) => {
      const qs = quoteBook({ ...input, halted: false });
      input.series.forEach((s, i) => {
        const q = qs[i]!;
        if (!(q.fairUsd > 1e-6)) return; // nothing can be better than a zero mid
        const vaultSells = (input.netDeltaBtc > 0) === (s.kind === 'call');
        const improvement = vaultSells ? q.fairUsd - q.askPriceUsd : q.bidPriceUsd - q.fairUsd;
        expect(improvement).toBeGreaterThan(0);
        expect(improvement).toBeLessThanOrEqual((input.quote.maxLeanBps * q.fairUsd) / 1e4 + 8 * Number.EPSILON * q.fairUsd);
      });
    }), { numRuns: 300 });
  });

  it('costBounded: the lean in USD never exceeds |option delta| x spot x (perp fee + slippage), and is the fixed lean below that', () => {
    fc.assert(fc.property(inputArb, fc.double({ min: 1e-6, max: 10, noNaN: true }), fc.boolean(), (input, k, neg) => {
      const netDeltaBtc = (neg ? -k : k) * input.bands.hedgeBtc;
      const q = { ...input.quote, leanMode: 'costBounded' as const };
      const qs = quoteBook({ ...input, netDeltaBtc, quote: q });
      const costBps = (q.perpTakerFeeBps ?? LEAN_DEFAULTS.perpTakerFeeBps) + (q.perpSlippageBps ?? LEAN_DEFAULTS.perpSlippageBps);
      const x = Math.min(1, k);
      input.series.forEach((s, i) => {
        const quote = qs[i]!;
        const years = (s.expiryMs - input.nowMs) / (365 * DAY_MS);
        const delta = blackScholes(s.kind, input.spotUsd, s.strikeUsd, years, s.volPerYear, input.ratePerYear).delta;
        const vaultSells = (netDeltaBtc > 0) === (s.kind === 'call');
        const lean = vaultSells ? quote.fairUsd - quote.askPriceUsd : quote.bidPriceUsd - quote.fairUsd;
        const cap = (Math.abs(delta) * input.spotUsd * costBps) / 1e4;
        const tol = 1e-9 * Math.max(1, quote.fairUsd);
        // A zero fair leaves the ask at the price floor (minHalfSpreadUsd): no lean through fair at all.
        if (quote.fairUsd > 0) expect(lean).toBeLessThanOrEqual(cap + tol);
        expect(lean).toBeLessThanOrEqual(Math.max(0, (q.maxLeanBps * x * quote.fairUsd) / 1e4) + tol);
      });
    }), { numRuns: 300 });
  });

  it('the lean grows with |delta| up to the hedge band', () => {
    fc.assert(fc.property(inputArb, fc.double({ min: 0.01, max: 1, noNaN: true }), (input, f) => {
      const d1 = f * 0.5 * input.bands.hedgeBtc;
      const d2 = f * input.bands.hedgeBtc;
      const q1 = quoteBook({ ...input, netDeltaBtc: d1 });
      const q2 = quoteBook({ ...input, netDeltaBtc: d2 });
      input.series.forEach((s, i) => {
        if (s.kind === 'call') expect(q2[i]!.askPriceUsd).toBeLessThanOrEqual(q1[i]!.askPriceUsd);
        else expect(q2[i]!.bidPriceUsd).toBeGreaterThanOrEqual(q1[i]!.bidPriceUsd);
      });
    }), { numRuns: 200 });
  });
});
