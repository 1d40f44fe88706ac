// Orders and trades: private/buy|sell|edit|edit_by_label answers ({order, trades}),
// get_order_state_by_label and get_open_orders_by_currency (order lists),
// get_user_trades_by_currency ({trades, has_more}) and user.trades.* / user.orders.*
// notifications. Amounts and prices stay in Deribit's units (see INVERSE.md).
import { z } from 'zod';
import { wireOrder, wireOrderWithTrades, wireTrade, wireTradesPage, type WireOrder, type WireTrade } from './wire/schemas.ts';
import { parseWith } from './parseWith.ts';

export type DeribitOrderState = 'open' | 'filled' | 'cancelled' | 'rejected' | 'untriggered' | 'triggered' | 'archive';

export interface DeribitOrder {
  orderId: string;
  label: string | null;
  instrument: string;
  side: 'buy' | 'sell';
  state: DeribitOrderState;
  /** Order amount: USD for inverse futures, contracts for options. */
  amount: number;
  filledAmount: number;
  /** Average fill price (0 before any fill): USD for futures, BTC for options. */
  averagePrice: number;
  /** Limit price, or null for a market order. */
  price: number | null;
  postOnly: boolean;
  reduceOnly: boolean;
  timeInForce: string | null;
  mmp: boolean;
  /** Fees so far, in the settlement currency (BTC); negative is a rebate. */
  commission: number;
  cancelReason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface DeribitTrade {
  tradeId: string;
  /** Sequence of the trade within its instrument. */
  tradeSeq: number;
  at: number;
  instrument: string;
  /** Our side of the trade. */
  side: 'buy' | 'sell';
  amount: number;
  price: number;
  indexPriceUsd: number;
  markPrice: number | null;
  /** Fee in feeCurrency (negative: rebate). */
  fee: number;
  feeCurrency: string;
  orderId: string;
  label: string | null;
  liquidity: 'maker' | 'taker' | null;
  /** Implied vol of an option trade, percent as Deribit sends it. */
  ivPercent: number | null;
}

const STATES: ReadonlySet<string> = new Set(['open', 'filled', 'cancelled', 'rejected', 'untriggered', 'triggered', 'archive']);

function toOrder(w: WireOrder): DeribitOrder {
  if (!STATES.has(w.order_state)) throw new Error(`malformed deribit order ${w.order_id}: unknown order_state '${w.order_state}'`);
  return {
    orderId: w.order_id,
    label: w.label === undefined || w.label === '' ? null : w.label,
    instrument: w.instrument_name,
    side: w.direction,
    state: w.order_state as DeribitOrderState,
    amount: w.amount,
    filledAmount: w.filled_amount,
    averagePrice: w.average_price,
    price: typeof w.price === 'number' ? w.price : null,
    postOnly: w.post_only ?? false,
    reduceOnly: w.reduce_only ?? false,
    timeInForce: w.time_in_force ?? null,
    mmp: w.mmp ?? false,
    commission: w.commission ?? 0,
    cancelReason: w.cancel_reason ?? null,
    createdAt: w.creation_timestamp,
    updatedAt: w.last_update_timestamp,
  };
}

function toTrade(w: WireTrade): DeribitTrade {
  return {
    tradeId: w.trade_id,
    tradeSeq: w.trade_seq,
    at: w.timestamp,
    instrument: w.instrument_name,
    side: w.direction,
    amount: w.amount,
    price: w.price,
    indexPriceUsd: w.index_price,
    markPrice: w.mark_price ?? null,
    fee: w.fee,
    feeCurrency: w.fee_currency,
    orderId: w.order_id,
    label: w.label === undefined || w.label === '' ? null : w.label,
    liquidity: w.liquidity === 'M' ? 'maker' : w.liquidity === 'T' ? 'taker' : null,
    ivPercent: w.iv ?? null,
  };
}

export function parseOrder(raw: unknown): DeribitOrder {
  return toOrder(parseWith(wireOrder, raw, 'order'));
}

export function parseOrders(raw: unknown): DeribitOrder[] {
  return parseWith(z.array(wireOrder), raw, 'order list').map(toOrder);
}

export function parseOrderWithTrades(raw: unknown): { order: DeribitOrder; trades: DeribitTrade[] } {
  const w = parseWith(wireOrderWithTrades, raw, 'order answer');
  return { order: toOrder(w.order), trades: w.trades.map(toTrade) };
}

export function parseTrades(raw: unknown): DeribitTrade[] {
  return parseWith(z.array(wireTrade), raw, 'trade list').map(toTrade);
}

export function parseTradesPage(raw: unknown): { trades: DeribitTrade[]; hasMore: boolean } {
  const w = parseWith(wireTradesPage, raw, 'trades page');
  return { trades: w.trades.map(toTrade), hasMore: w.has_more };
}

/** user.orders.* notifications carry one order (raw) or a list (aggregated). */
export function parseOrderNotification(raw: unknown): DeribitOrder[] {
  return Array.isArray(raw) ? parseOrders(raw) : [parseOrder(raw)];
}
