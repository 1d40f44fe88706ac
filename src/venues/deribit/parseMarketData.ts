// Market data and MMP: markprice.options.* notifications, deribit_price_index.*, public/ticker,
// public/get_index_price, user.mmp_trigger.*, private/get_mmp_config.
import { z } from 'zod';
import { wireIndexPrice, wireMarkPrice, wireMmpConfig, wireMmpTrigger, wirePriceIndex, wireTicker } from './wire/schemas.ts';
import { parseWith } from './parseWith.ts';

export interface MarkPrice {
  instrument: string;
  /** Mark price, BTC per contract. */
  markPriceBtc: number;
  /** Mark implied vol, annualised fraction (0.9 = 90%), as the channel sends it. */
  iv: number;
  at: number;
}

export interface PriceIndex {
  indexName: string;
  priceUsd: number;
  at: number;
}

export interface Ticker {
  instrument: string;
  at: number;
  markPrice: number;
  indexPriceUsd: number;
  /** Perpetual funding over 8 hours, fraction; null for other instruments. */
  funding8h: number | null;
}

export interface MmpTrigger {
  indexName: string;
  /** Unix ms until which mmp orders are refused; 0 means until reset_mmp. */
  frozenUntilMs: number;
  mmpGroup: string | null;
}

export interface MmpConfigWire {
  indexName: string;
  intervalSec: number;
  frozenTimeSec: number;
  quantityLimit: number | null;
  deltaLimit: number | null;
  vegaLimit: number | null;
}

export function parseMarkPrices(raw: unknown): MarkPrice[] {
  return parseWith(z.array(wireMarkPrice), raw, 'mark prices').map((w) => ({ instrument: w.instrument_name, markPriceBtc: w.mark_price, iv: w.iv, at: w.timestamp }));
}

export function parsePriceIndex(raw: unknown): PriceIndex {
  const w = parseWith(wirePriceIndex, raw, 'price index');
  return { indexName: w.index_name, priceUsd: w.price, at: w.timestamp };
}

/** public/get_index_price has no timestamp: the caller stamps it. */
export function parseIndexPrice(raw: unknown): number {
  return parseWith(wireIndexPrice, raw, 'index price').index_price;
}

export function parseTicker(raw: unknown): Ticker {
  const w = parseWith(wireTicker, raw, 'ticker');
  return { instrument: w.instrument_name, at: w.timestamp, markPrice: w.mark_price, indexPriceUsd: w.index_price, funding8h: w.funding_8h ?? null };
}

export function parseMmpTrigger(raw: unknown): MmpTrigger {
  const w = parseWith(wireMmpTrigger, raw, 'mmp trigger');
  return { indexName: w.index_name, frozenUntilMs: w.frozen_until, mmpGroup: w.mmp_group ?? null };
}

function toMmpConfig(w: z.infer<typeof wireMmpConfig>): MmpConfigWire {
  return {
    indexName: w.index_name, intervalSec: w.interval, frozenTimeSec: w.frozen_time,
    quantityLimit: w.quantity_limit ?? null, deltaLimit: w.delta_limit ?? null, vegaLimit: w.vega_limit ?? null,
  };
}

/** set_mmp_config answers one config; get_mmp_config a list. */
export function parseMmpConfigs(raw: unknown): MmpConfigWire[] {
  return Array.isArray(raw) ? parseWith(z.array(wireMmpConfig), raw, 'mmp configs').map(toMmpConfig) : [toMmpConfig(parseWith(wireMmpConfig, raw, 'mmp config'))];
}
