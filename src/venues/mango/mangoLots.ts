// Lot maths for a Mango v3 perp market, computed with explicit rounding.
// mango-client's uiToNativePriceQuantity truncates floats (8.2 BTC -> 81999 lots), so the
// adapter never passes UI floats to the client: it computes integer lots here and builds the
// PlacePerpOrder2 instruction from them.
//
// Units: a base lot is `baseLotSize` native base units (10^-baseDecimals BTC each); a price
// lot is quote lots per base lot. BTC-PERP mainnet.1: baseLotSize 100, quoteLotSize 10,
// baseDecimals 6, quoteDecimals 6 -> 1 base lot = 0.0001 BTC, 1 price lot = 0.1 USD.
import { roundExplicit } from '../../domain/roundExplicit.ts';

// Re-exported: callers and tests import it from here; the one implementation lives in the domain.
export { roundExplicit };

export interface LotSpec {
  baseLotSize: number;
  quoteLotSize: number;
  baseDecimals: number;
  quoteDecimals: number;
}

function checkSpec(spec: LotSpec): void {
  if (!(spec.baseLotSize > 0 && spec.quoteLotSize > 0) || !Number.isInteger(spec.baseLotSize) || !Number.isInteger(spec.quoteLotSize)) {
    throw new Error(`invalid lot sizes: base ${spec.baseLotSize}, quote ${spec.quoteLotSize}`);
  }
}

/** BTC per base lot. */
export function lotSizeBtc(spec: LotSpec): number {
  checkSpec(spec);
  return spec.baseLotSize / 10 ** spec.baseDecimals;
}

/** USD per price lot (the tick size). */
export function tickSizeUsd(spec: LotSpec): number {
  checkSpec(spec);
  return (spec.quoteLotSize * 10 ** spec.baseDecimals) / (spec.baseLotSize * 10 ** spec.quoteDecimals);
}

/** Size in BTC -> base lots, rounded to the nearest lot (never truncated). */
export function sizeBtcToBaseLots(sizeBtc: number, spec: LotSpec): number {
  if (!(sizeBtc >= 0)) throw new Error(`sizeBtc must be >= 0, got ${sizeBtc}`);
  const lots = roundExplicit(sizeBtc / lotSizeBtc(spec), 'nearest');
  if (!Number.isSafeInteger(lots)) throw new Error(`size out of range: ${sizeBtc} BTC`);
  return lots === 0 ? 0 : lots; // never -0
}

/**
 * Protective limit price in USD -> price lots, rounded so the order never trades worse than
 * the caller's limit: a buy rounds down, a sell rounds up.
 */
export function limitPriceUsdToPriceLots(priceUsd: number, side: 'buy' | 'sell', spec: LotSpec): number {
  if (!(priceUsd > 0)) throw new Error(`limitPriceUsd must be > 0, got ${priceUsd}`);
  const lots = roundExplicit(priceUsd / tickSizeUsd(spec), side === 'buy' ? 'down' : 'up');
  if (!Number.isSafeInteger(lots) || lots < 1) throw new Error(`limit price out of range: ${priceUsd} USD`);
  return lots;
}

// Multiply first, divide last: one correctly rounded division (250001 lots -> 25000.1, not
// 25000.100000000002).
export function baseLotsToBtc(lots: number, spec: LotSpec): number {
  checkSpec(spec);
  return (lots * spec.baseLotSize) / 10 ** spec.baseDecimals;
}

export function priceLotsToUsd(priceLots: number, spec: LotSpec): number {
  checkSpec(spec);
  return (priceLots * spec.quoteLotSize * 10 ** spec.baseDecimals) / (spec.baseLotSize * 10 ** spec.quoteDecimals);
}

/** i64::MAX: "no quote limit" for PlacePerpOrder2. */
export const NO_QUOTE_LIMIT = '9223372036854775807';

/**
 * maxQuoteQuantity for an IOC, quote lots (decimal string). A buy may spend at most its size
 * at the protective price (fees excluded). For a sell the cap would bound the quote received,
 * so fills above the limit would be cut short: no cap, the limit price protects it.
 */
export function maxQuoteLots(baseLots: number, priceLots: number, side: 'buy' | 'sell'): string {
  if (side === 'sell') return NO_QUOTE_LIMIT;
  const q = baseLots * priceLots;
  if (!Number.isSafeInteger(q)) throw new Error(`quote quantity out of range: ${baseLots} x ${priceLots} lots`);
  return String(q);
}

/** Native quote units (e.g. USDC 10^-6) -> USD. */
export function quoteNativeToUsd(native: number, spec: LotSpec): number {
  return native / 10 ** spec.quoteDecimals;
}
