import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  baseLotsToBtc, limitPriceUsdToPriceLots, lotSizeBtc, maxQuoteLots, NO_QUOTE_LIMIT, priceLotsToUsd, roundExplicit,
  sizeBtcToBaseLots, tickSizeUsd, type LotSpec,
} from '../../../../src/venues/mango/mangoLots.ts';

/** BTC-PERP on mainnet.1. */
const BTC: LotSpec = { baseLotSize: 100, quoteLotSize: 10, baseDecimals: 6, quoteDecimals: 6 };

describe('mango lot maths (BTC-PERP mainnet.1)', () => {
  it('derives 0.0001 BTC lots and 0.1 USD ticks from the market, not constants', () => {
    expect(lotSizeBtc(BTC)).toBe(0.0001);
    expect(tickSizeUsd(BTC)).toBe(0.1);
    expect(lotSizeBtc({ ...BTC, baseLotSize: 10, baseDecimals: 8 })).toBe(1e-7);
  });

  it('rounds 8.2 BTC to 82000 lots where the client truncates to 81999', () => {
    expect(8.2 * 1e6 / 100).toBeLessThan(82000); // the float the client truncates
    expect(sizeBtcToBaseLots(8.2, BTC)).toBe(82_000);
    expect(sizeBtcToBaseLots(0.00014, BTC)).toBe(1);
    expect(sizeBtcToBaseLots(0.00016, BTC)).toBe(2);
    expect(sizeBtcToBaseLots(0.000025, BTC)).toBe(0);
    expect(sizeBtcToBaseLots(-0, BTC)).toBe(0);
    expect(() => sizeBtcToBaseLots(-0.1, BTC)).toThrow(/>= 0/);
  });

  it('rounds a protective price towards the safe side: buys down, sells up', () => {
    expect(limitPriceUsdToPriceLots(25_000.17, 'buy', BTC)).toBe(250_001);
    expect(limitPriceUsdToPriceLots(25_000.17, 'sell', BTC)).toBe(250_002);
    // Exactly on a tick (within float noise) stays on it either way.
    expect(limitPriceUsdToPriceLots(30_600.3, 'buy', BTC)).toBe(306_003);
    expect(limitPriceUsdToPriceLots(30_600.3, 'sell', BTC)).toBe(306_003);
    expect(() => limitPriceUsdToPriceLots(0, 'buy', BTC)).toThrow(/> 0/);
  });

  it('converts lots back without float dust', () => {
    expect(priceLotsToUsd(250_001, BTC)).toBe(25_000.1);
    expect(baseLotsToBtc(82_000, BTC)).toBe(8.2);
  });

  it('caps a buy at size x limit and leaves a sell uncapped', () => {
    expect(maxQuoteLots(5_000, 250_001, 'buy')).toBe('1250005000');
    expect(maxQuoteLots(5_000, 250_001, 'sell')).toBe(NO_QUOTE_LIMIT);
  });

  it('property: size rounding is within half a lot and never truncates a whole lot away', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.double({ min: -0.49, max: 0.49, noNaN: true }), (lots, frac) => {
      const sizeBtc = (lots + (lots === 0 ? Math.abs(frac) : frac)) / 10_000;
      const got = sizeBtcToBaseLots(sizeBtc, BTC);
      expect(got).toBe(lots);
      expect(Math.abs(baseLotsToBtc(got, BTC) - sizeBtc)).toBeLessThanOrEqual(0.5 * lotSizeBtc(BTC) + 1e-12);
    }));
  });

  it('property: a buy never pays above its limit, a sell never receives below it', () => {
    fc.assert(fc.property(fc.double({ min: 1, max: 1_000_000, noNaN: true }), (priceUsd) => {
      const buy = priceLotsToUsd(limitPriceUsdToPriceLots(priceUsd, 'buy', BTC), BTC);
      const sell = priceLotsToUsd(limitPriceUsdToPriceLots(priceUsd, 'sell', BTC), BTC);
      expect(buy).toBeLessThanOrEqual(priceUsd * (1 + 1e-9));
      expect(priceUsd - buy).toBeLessThan(0.1 + 1e-6);
      expect(sell).toBeGreaterThanOrEqual(priceUsd * (1 - 1e-9));
      expect(sell - priceUsd).toBeLessThan(0.1 + 1e-6);
    }));
  });

  it('roundExplicit snaps float noise to the integer before rounding directionally', () => {
    expect(roundExplicit(81_999.99999999999, 'down')).toBe(82_000);
    expect(roundExplicit(2.5000001, 'down')).toBe(2);
    expect(roundExplicit(2.4999999, 'up')).toBe(3);
    expect(() => roundExplicit(Number.NaN, 'nearest')).toThrow();
  });
});
