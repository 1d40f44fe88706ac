// Deribit API v2 JSON shapes, as zod schemas (types by z.infer). Only the fields the adapter
// reads are declared; everything else is stripped. Field names are Deribit's. This folder is
// the wire layer: only src/venues/deribit and the test double in test/fixtures/deribit import
// it (.dependency-cruiser.cjs).
//
// Units as Deribit sends them (see INVERSE.md): option prices BTC per contract; perp prices
// USD; perp amounts USD (multiples of contract_size); option amounts contracts of 1 BTC;
// fees and commissions in fee_currency (BTC here); timestamps unix ms.
import { z } from 'zod';

export const wireTickSizeStep = z.object({ above_price: z.number(), tick_size: z.number().positive() });

export const wireInstrument = z.object({
  instrument_name: z.string().min(1),
  kind: z.string().min(1),
  base_currency: z.string(),
  quote_currency: z.string(),
  counter_currency: z.string().optional(),
  settlement_currency: z.string().optional(),
  settlement_period: z.string().optional(),
  instrument_type: z.string().optional(),
  future_type: z.string().optional(),
  contract_size: z.number().positive(),
  min_trade_amount: z.number().positive(),
  tick_size: z.number().positive(),
  tick_size_steps: z.array(wireTickSizeStep).optional(),
  expiration_timestamp: z.number().int(),
  creation_timestamp: z.number().int().optional(),
  strike: z.number().positive().optional(),
  option_type: z.enum(['call', 'put']).optional(),
  is_active: z.boolean(),
  taker_commission: z.number(),
  maker_commission: z.number(),
  price_index: z.string().optional(),
});
export type WireInstrument = z.infer<typeof wireInstrument>;

export const wireDirection = z.enum(['buy', 'sell']);

export const wireOrder = z.object({
  order_id: z.string().min(1),
  order_state: z.string().min(1),
  label: z.string().optional(),
  instrument_name: z.string().min(1),
  direction: wireDirection,
  amount: z.number().nonnegative(),
  filled_amount: z.number().nonnegative(),
  average_price: z.number().nonnegative(),
  /** A number, or 'market_price' for market orders. */
  price: z.union([z.number(), z.string()]),
  post_only: z.boolean().optional(),
  reduce_only: z.boolean().optional(),
  time_in_force: z.string().optional(),
  mmp: z.boolean().optional(),
  commission: z.number().optional(),
  cancel_reason: z.string().optional(),
  creation_timestamp: z.number().int(),
  last_update_timestamp: z.number().int(),
});
export type WireOrder = z.infer<typeof wireOrder>;

export const wireTrade = z.object({
  trade_id: z.string().min(1),
  trade_seq: z.number().int(),
  timestamp: z.number().int(),
  instrument_name: z.string().min(1),
  direction: wireDirection,
  amount: z.number().positive(),
  price: z.number(),
  index_price: z.number().positive(),
  mark_price: z.number().optional(),
  fee: z.number(),
  fee_currency: z.string(),
  order_id: z.string().min(1),
  label: z.string().optional(),
  liquidity: z.enum(['M', 'T']).optional(),
  iv: z.number().optional(),
  mmp: z.boolean().optional(),
});
export type WireTrade = z.infer<typeof wireTrade>;

/** The result of private/buy, private/sell, private/edit, private/edit_by_label. */
export const wireOrderWithTrades = z.object({ order: wireOrder, trades: z.array(wireTrade) });
export type WireOrderWithTrades = z.infer<typeof wireOrderWithTrades>;

export const wireTradesPage = z.object({ trades: z.array(wireTrade), has_more: z.boolean() });
export type WireTradesPage = z.infer<typeof wireTradesPage>;

export const wirePosition = z.object({
  instrument_name: z.string().min(1),
  kind: z.string().min(1),
  /** Futures: USD (signed); options: contracts (signed). */
  size: z.number(),
  /** Futures only: size in BTC at the mark (size / mark_price). */
  size_currency: z.number().optional(),
  direction: z.enum(['buy', 'sell', 'zero']),
  average_price: z.number(),
  mark_price: z.number(),
  index_price: z.number(),
  delta: z.number().optional(),
  /** Perpetual only: funding realised this session, BTC (> 0 received). */
  realized_funding: z.number().optional(),
  floating_profit_loss: z.number().optional(),
});
export type WirePosition = z.infer<typeof wirePosition>;

export const wireMarkPrice = z.object({
  instrument_name: z.string().min(1),
  mark_price: z.number().nonnegative(),
  iv: z.number().nonnegative(),
  timestamp: z.number().int(),
});
export type WireMarkPrice = z.infer<typeof wireMarkPrice>;

export const wirePriceIndex = z.object({ index_name: z.string(), price: z.number().positive(), timestamp: z.number().int() });
export type WirePriceIndex = z.infer<typeof wirePriceIndex>;

export const wireMmpTrigger = z.object({
  index_name: z.string(),
  /** Unix ms until which mmp orders are refused; 0: until private/reset_mmp. */
  frozen_until: z.number().int().nonnegative(),
  mmp_group: z.string().optional(),
  block_rfq: z.boolean().optional(),
});
export type WireMmpTrigger = z.infer<typeof wireMmpTrigger>;

export const wireMmpConfig = z.object({
  index_name: z.string(),
  interval: z.number().int().nonnegative(),
  frozen_time: z.number().int().nonnegative(),
  quantity_limit: z.number().optional(),
  delta_limit: z.number().optional(),
  vega_limit: z.number().optional(),
  mmp_group: z.string().optional(),
});
export type WireMmpConfig = z.infer<typeof wireMmpConfig>;

export const wireTicker = z.object({
  instrument_name: z.string().min(1),
  timestamp: z.number().int(),
  mark_price: z.number().positive(),
  index_price: z.number().positive(),
  best_bid_price: z.number().nullable().optional(),
  best_ask_price: z.number().nullable().optional(),
  /** Perpetual only: funding over 8 hours (fraction). */
  funding_8h: z.number().optional(),
  current_funding: z.number().optional(),
});
export type WireTicker = z.infer<typeof wireTicker>;

export const wireAuth = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
  scope: z.string(),
  token_type: z.string(),
});
export type WireAuth = z.infer<typeof wireAuth>;

export const wireAccountSummary = z.object({
  currency: z.string(),
  equity: z.number(),
  balance: z.number(),
  options_value: z.number().optional(),
  delta_total: z.number().optional(),
});
export type WireAccountSummary = z.infer<typeof wireAccountSummary>;

export const wireIndexPrice = z.object({ index_price: z.number().positive(), estimated_delivery_price: z.number().optional() });
export type WireIndexPrice = z.infer<typeof wireIndexPrice>;

export const wireRpcError = z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() });
export type WireRpcError = z.infer<typeof wireRpcError>;
