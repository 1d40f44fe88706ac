import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { simulateTakerFills } from '../../../src/streams/simulatedTakers.ts';
import type { Quote } from '../../../src/domain/quote.ts';

const T0 = Date.UTC(2023, 2, 1);
const sym: Quote = { instrument: 'BTC-31MAR23-25000-C', bidPriceUsd: 990, bidSizeContracts: 5, askPriceUsd: 1010, askSizeContracts: 5, fairUsd: 1000 };
// An overexposed vault (long delta) leans its call ask through fair: takers buying calls get a better price.
const leaning: Quote = { ...sym, askPriceUsd: 985, bidPriceUsd: 970, bidSizeContracts: 1 };
const base = { seed: 42, vaultId: 'v1', arrivalsPerMinute: 3, buyShare: 0.5, meanSizeContracts: 0.5 };

function run(quotes: Quote[], minutes: number, extra: Partial<Parameters<typeof simulateTakerFills>[0]> = {}) {
  const out = [];
  for (let i = 0; i < minutes; i++) out.push(...simulateTakerFills({ ...base, at: T0 + i * 60_000, quotes, ...extra }));
  return out;
}

describe('simulateTakerFills', () => {
  it('is deterministic from seed + vault + time, with ids vault:at:k', () => {
    const a = simulateTakerFills({ ...base, at: T0, quotes: [sym], arrivalsPerMinute: 20 });
    const b = simulateTakerFills({ ...base, at: T0, quotes: [sym], arrivalsPerMinute: 20 });
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    for (const f of a) expect(f.fillId).toMatch(new RegExp(`^v1:${T0}:\\d+$`));
    const other = simulateTakerFills({ ...base, seed: 43, at: T0, quotes: [sym], arrivalsPerMinute: 20 });
    expect(other).not.toEqual(a);
  });

  it('arrival count averages arrivalsPerMinute per minute', () => {
    const fills = run([{ ...sym, bidSizeContracts: 1e9, askSizeContracts: 1e9 }], 2000);
    expect(fills.length / 2000).toBeGreaterThan(2.8);
    expect(fills.length / 2000).toBeLessThan(3.2);
  });

  it('trades at the vault price, vault side opposite to the taker, size capped by the quote', () => {
    const fills = run([sym], 500, { meanSizeContracts: 3 });
    for (const f of fills) {
      if (f.side === 'sell') expect(f.priceUsd).toBe(sym.askPriceUsd);
      else expect(f.priceUsd).toBe(sym.bidPriceUsd);
      expect(f.qty).toBeGreaterThan(0);
      expect(f.qty).toBeLessThanOrEqual(5);
    }
    const perStep = new Map<string, number>();
    for (const f of fills) perStep.set(`${f.at}:${f.side}`, (perStep.get(`${f.at}:${f.side}`) ?? 0) + f.qty);
    for (const q of perStep.values()) expect(q).toBeLessThanOrEqual(5 + 1e-9);
  });

  it('a side quoted with size 0 gets no trade', () => {
    const fills = run([{ ...sym, askSizeContracts: 0 }], 500);
    expect(fills.length).toBeGreaterThan(100);
    expect(fills.every((f) => f.side === 'buy')).toBe(true);
  });

  it('the lean draws flow: more vault sells when its ask is better than fair', () => {
    const share = (q: Quote): number => {
      const fills = run([{ ...q, bidSizeContracts: 1e6, askSizeContracts: 1e6 }], 3000);
      return fills.filter((f) => f.side === 'sell').length / fills.length;
    };
    const flat = share(sym);
    const leaned = share(leaning);
    expect(flat).toBeGreaterThan(0.45);
    expect(flat).toBeLessThan(0.55);
    // Edge difference 300 bps -> odds e^3 ~ 20:1.
    expect(leaned).toBeGreaterThan(0.9);
  });

  it('buyShare moves the side mix', () => {
    const fills = run([{ ...sym, bidSizeContracts: 1e6, askSizeContracts: 1e6 }], 2000, { buyShare: 0.8 });
    const sells = fills.filter((f) => f.side === 'sell').length / fills.length;
    expect(sells).toBeGreaterThan(0.75);
    expect(sells).toBeLessThan(0.85);
  });

  it('rejects bad parameters and returns nothing without quotes', () => {
    expect(() => simulateTakerFills({ ...base, at: T0, quotes: [sym], buyShare: 2 })).toThrow();
    expect(simulateTakerFills({ ...base, at: T0, quotes: [] })).toEqual([]);
  });

  it('property: fills never exceed quoted size per series and side, qty > 0, deterministic', () => {
    const quoteArb = fc.record({
      instrument: fc.constantFrom('A', 'B', 'C'),
      bidPriceUsd: fc.double({ min: 0, max: 2000, noNaN: true }),
      bidSizeContracts: fc.double({ min: 0, max: 10, noNaN: true }),
      askPriceUsd: fc.double({ min: 0.01, max: 2000, noNaN: true }),
      askSizeContracts: fc.double({ min: 0, max: 10, noNaN: true }),
      fairUsd: fc.double({ min: 0, max: 2000, noNaN: true }),
    });
    fc.assert(fc.property(fc.array(quoteArb, { minLength: 1, maxLength: 4 }), fc.integer(), fc.nat(1e9), (quotes, seed, t) => {
      const input = { seed, vaultId: 'v', at: t, quotes, arrivalsPerMinute: 30, buyShare: 0.5, meanSizeContracts: 2 };
      const fills = simulateTakerFills(input);
      expect(simulateTakerFills(input)).toEqual(fills);
      const used = new Map<string, number>();
      for (const f of fills) {
        expect(f.qty).toBeGreaterThan(0);
        expect(f.priceUsd).toBeGreaterThan(0);
        const idx = quotes.findIndex((q) => q.instrument === f.instrument && (f.side === 'sell' ? q.askPriceUsd : q.bidPriceUsd) === f.priceUsd);
        expect(idx).toBeGreaterThanOrEqual(0);
        const key = `${f.instrument}:${f.side}`;
        used.set(key, (used.get(key) ?? 0) + f.qty);
      }
      for (const [key, q] of used) {
        const [inst, side] = key.split(':');
        const cap = quotes.filter((x) => x.instrument === inst).reduce((s, x) => s + (side === 'sell' ? x.askSizeContracts : x.bidSizeContracts), 0);
        expect(q).toBeLessThanOrEqual(cap + 1e-9);
      }
    }), { numRuns: 300 });
  });
});

describe('size distributions', () => {
  const deep: Quote = { ...sym, bidSizeContracts: 1e9, askSizeContracts: 1e9 };
  const meanQty = (d: 'exponential' | 'fixed' | 'lognormal') => {
    const fills = run([deep], 3000, { sizeDistribution: d, meanSizeContracts: 2, sizeStepContracts: 1e-6 });
    return { mean: fills.reduce((a, f) => a + f.qty, 0) / fills.length, distinct: new Set(fills.map((f) => f.qty)).size };
  };
  it('each law keeps the configured mean; fixed is constant', () => {
    const fixed = meanQty('fixed');
    expect(fixed.distinct).toBe(1);
    expect(fixed.mean).toBeCloseTo(2, 6);
    for (const d of ['exponential', 'lognormal'] as const) {
      const m = meanQty(d);
      expect(m.mean).toBeGreaterThan(1.8);
      expect(m.mean).toBeLessThan(2.2);
      expect(m.distinct).toBeGreaterThan(1000);
    }
  });
});
