import { describe, expect, it } from 'vitest';
import { blackScholes } from '../../../src/domain/blackScholes.ts';
import { quoteBook, quotePrices, type QuoteBookInput, type SeriesFair } from '../../../src/domain/quoteBook.ts';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2023, 2, 1);
const quote = { halfSpreadBps: 100, minHalfSpreadUsd: 1, maxLeanBps: 50, baseSizeContracts: 10, leanMode: 'fixed' as const };
const call = { instrument: 'BTC-31MAR23-25000-C', kind: 'call' as const, strikeUsd: 25_000, expiryMs: NOW + 30 * DAY_MS, volPerYear: 0.6 };
const put = { ...call, instrument: 'BTC-31MAR23-25000-P', kind: 'put' as const };
/** A series' fair value for quotePrices: delta 0.5 at spot 24,000 unless given. */
const fair = (kind: 'call' | 'put', fairUsd: number, deltaBtc = kind === 'call' ? 0.5 : -0.5): SeriesFair => ({ kind, fairUsd, deltaBtc, spotUsd: 24_000 });

function given(patch: Partial<QuoteBookInput> = {}): QuoteBookInput {
  return { series: [call, put], spotUsd: 24_000, nowMs: NOW, ratePerYear: 0.03, netDeltaBtc: 0, bands: { hedgeBtc: 5 }, quote, halted: false, ...patch };
}

describe('quoteBook: flat vault', () => {
  it('given delta 0, quotes full size both sides at fair +/- half spread (1% of fair)', () => {
    const [c, p] = quoteBook(given());
    const fairC = blackScholes('call', 24_000, 25_000, 30 / 365, 0.6, 0.03).price;
    expect(c!.fairUsd).toBeCloseTo(fairC, 8);
    expect(c!.bidPriceUsd).toBeCloseTo(fairC * 0.99, 8);
    expect(c!.askPriceUsd).toBeCloseTo(fairC * 1.01, 8);
    expect([c!.bidSizeContracts, c!.askSizeContracts, p!.bidSizeContracts, p!.askSizeContracts]).toEqual([10, 10, 10, 10]);
  });

  it('given a tiny fair value, the half spread is floored at minHalfSpreadUsd and the bid at 0', () => {
    const deepOtm = { ...call, instrument: 'otm', strikeUsd: 200_000 };
    const [q] = quoteBook(given({ series: [deepOtm] }));
    expect(q!.fairUsd).toBeLessThan(1);
    expect(q!.askPriceUsd).toBeCloseTo(q!.fairUsd + 1, 12);
    expect(q!.bidPriceUsd).toBe(0);
    expect(q!.bidSizeContracts).toBe(0);
  });
});

describe('quoteBook: overexposed vault (delta > 0)', () => {
  it('given delta at half the hedge band, shrinks call bid and put ask to half size', () => {
    const [c, p] = quoteBook(given({ netDeltaBtc: 2.5 }));
    expect(c!.bidSizeContracts).toBeCloseTo(5, 12);
    expect(c!.askSizeContracts).toBe(10);
    expect(p!.bidSizeContracts).toBe(10);
    expect(p!.askSizeContracts).toBeCloseTo(5, 12);
  });

  it('leans the reducing side through mid: call ask below fair, put bid above fair, by 25 bps', () => {
    const [c, p] = quoteBook(given({ netDeltaBtc: 2.5 }));
    expect(c!.askPriceUsd).toBeCloseTo(c!.fairUsd * (1 - 0.0025), 8);
    expect(p!.bidPriceUsd).toBeCloseTo(p!.fairUsd * (1 + 0.0025), 8);
    // the other sides keep their normal spread here (lean 25 bps < half spread 100 bps)
    expect(c!.bidPriceUsd).toBeCloseTo(c!.fairUsd * 0.99, 8);
    expect(p!.askPriceUsd).toBeCloseTo(p!.fairUsd * 1.01, 8);
  });

  it('given delta at or beyond the hedge band, the increasing side is pulled and the lean capped', () => {
    for (const d of [5, 50]) {
      const [c, p] = quoteBook(given({ netDeltaBtc: d }));
      expect(c!.bidSizeContracts).toBe(0);
      expect(p!.askSizeContracts).toBe(0);
      expect(c!.askPriceUsd).toBeCloseTo(c!.fairUsd * (1 - 0.005), 8);
    }
  });
});

describe('quoteBook: underexposed vault (delta < 0)', () => {
  it('shrinks call ask and put bid, leans call bid up and put ask down', () => {
    const [c, p] = quoteBook(given({ netDeltaBtc: -1 }));
    expect(c!.askSizeContracts).toBeCloseTo(8, 12);
    expect(p!.bidSizeContracts).toBeCloseTo(8, 12);
    expect(c!.bidSizeContracts).toBe(10);
    expect(p!.askSizeContracts).toBe(10);
    expect(c!.bidPriceUsd).toBeCloseTo(c!.fairUsd * (1 + 0.001), 8);
    expect(p!.askPriceUsd).toBeCloseTo(p!.fairUsd * (1 - 0.001), 8);
  });
});

describe('quoteBook: crossing, halting and expiry', () => {
  it('when the lean exceeds the half spread, the other side moves too and stays minHalfSpreadUsd away', () => {
    const wide = { ...quote, halfSpreadBps: 10, maxLeanBps: 500 };
    const r = quotePrices(fair('call', 1000), 5, 5, wide); // lean 5% = 50 USD > half 1 USD
    expect(r.askPriceUsd).toBeCloseTo(950, 10);
    expect(r.bidPriceUsd).toBeCloseTo(949, 10);
    const p = quotePrices(fair('put', 1000), 5, 5, wide);
    expect(p.bidPriceUsd).toBeCloseTo(1050, 10);
    expect(p.askPriceUsd).toBeCloseTo(1051, 10);
  });

  it('given a zero fair value and an overexposed vault, still quotes an uncrossed market', () => {
    const r = quotePrices(fair('call', 0, 0), 3, 5, quote);
    expect(r.bidPriceUsd).toBe(0);
    expect(r.askPriceUsd).toBe(1);
  });

  it('given a zero hedge band, a flat vault quotes both sides and any delta pulls the increasing side', () => {
    const [flatC] = quoteBook(given({ bands: { hedgeBtc: 0 } }));
    expect([flatC!.bidSizeContracts, flatC!.askSizeContracts]).toEqual([10, 10]);
    const [c, p] = quoteBook(given({ bands: { hedgeBtc: 0 }, netDeltaBtc: 0.001 }));
    expect(c!.bidSizeContracts).toBe(0);
    expect(p!.askSizeContracts).toBe(0);
    expect(c!.askPriceUsd).toBeCloseTo(c!.fairUsd * (1 - 0.005), 8);
  });

  it('given halted, every size is 0 (prices still computed)', () => {
    const qs = quoteBook(given({ halted: true, netDeltaBtc: 1 }));
    for (const q of qs) {
      expect(q.bidSizeContracts).toBe(0);
      expect(q.askSizeContracts).toBe(0);
      expect(q.bidPriceUsd).toBeLessThan(q.askPriceUsd);
    }
  });

  it('given an expired series, its sizes are 0', () => {
    const [q] = quoteBook(given({ series: [{ ...call, expiryMs: NOW }] }));
    expect(q!.bidSizeContracts).toBe(0);
    expect(q!.askSizeContracts).toBe(0);
  });

  it('rejects broken inputs', () => {
    expect(() => quoteBook(given({ bands: { hedgeBtc: -1 } }))).toThrow(/hedgeBtc/);
    expect(() => quoteBook(given({ netDeltaBtc: Number.NaN }))).toThrow(/netDeltaBtc/);
    expect(() => quoteBook(given({ quote: { ...quote, minHalfSpreadUsd: 0 } }))).toThrow(/minHalfSpreadUsd/);
    expect(() => quoteBook(given({ quote: { ...quote, maxLeanBps: 10_000 } }))).toThrow(/maxLeanBps/);
  });
});

describe('quoteBook: lean modes (issue 17: the lean never pays more than the perp hedge it sources)', () => {
  // The case: a call at fair 3,409.85 with delta ~0.5 at spot 24,000, underexposed
  // vault at the hedge band: the fixed 100 bps lean bids 3,443.95 (34.10 past fair) while
  // hedging 0.5 BTC on the perp costs 0.5 * 24,000 * 6 bps = 7.20 USD.
  const q = { halfSpreadBps: 150, minHalfSpreadUsd: 5, maxLeanBps: 100, baseSizeContracts: 2 };
  const atm = fair('call', 3_409.85, 0.5);

  it('given costBounded (the default), the reducing bid is at most |delta| x spot x (fee + slippage) past fair', () => {
    const r = quotePrices(atm, -2.5, 2.5, q);
    expect(r.bidPriceUsd - 3_409.85).toBeCloseTo(0.5 * 24_000 * 6e-4, 9);
  });

  it('given costBounded and a lean below the cap, the fixed lean stands', () => {
    const r = quotePrices(atm, -0.25, 2.5, { ...q, leanMode: 'costBounded' }); // x 0.1: 3.41 USD < 7.20
    expect(r.bidPriceUsd - 3_409.85).toBeCloseTo(3.40985, 9);
  });

  it('the cap follows the configured perp fee and slippage', () => {
    const r = quotePrices(atm, -2.5, 2.5, { ...q, perpTakerFeeBps: 2, perpSlippageBps: 3 });
    expect(r.bidPriceUsd - 3_409.85).toBeCloseTo(0.5 * 24_000 * 5e-4, 9);
  });

  it('given fixed, the lean is maxLeanBps x band fraction of fair', () => {
    const r = quotePrices(atm, -2.5, 2.5, { ...q, leanMode: 'fixed' });
    expect(r.bidPriceUsd - 3_409.85).toBeCloseTo(34.0985, 9);
  });

  it('given off, both sides keep the flat spread: no lean through fair', () => {
    const r = quotePrices(atm, -2.5, 2.5, { ...q, leanMode: 'off' });
    expect(r.bidPriceUsd).toBeCloseTo(3_409.85 * 0.985, 9);
    expect(r.askPriceUsd).toBeCloseTo(3_409.85 * 1.015, 9);
  });

  it('sizes still skew with the lean off', () => {
    const [c] = quoteBook(given({ netDeltaBtc: 2.5, quote: { ...quote, leanMode: 'off' } }));
    expect(c!.bidSizeContracts).toBeCloseTo(5, 12);
    expect(c!.askSizeContracts).toBe(10);
  });

  it('rejects an unknown lean mode and negative perp costs', () => {
    expect(() => quoteBook(given({ quote: { ...quote, leanMode: 'wide' as never } }))).toThrow(/leanMode/);
    expect(() => quoteBook(given({ quote: { ...quote, perpSlippageBps: -1 } }))).toThrow(/perpSlippageBps/);
  });
});
