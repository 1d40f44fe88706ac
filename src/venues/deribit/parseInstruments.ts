// public/get_instruments -> instruments with every number the adapter trades by: tick size
// (and its steps), contract size, minimum amount, expiry, kind, inverse or linear.
import { z } from 'zod';
import { wireInstrument } from './wire/schemas.ts';
import { parseWith } from './parseWith.ts';

export interface TickStep {
  /** Prices above this use tickSize (same units as the price). */
  abovePrice: number;
  tickSize: number;
}

export interface DeribitInstrument {
  name: string;
  /** 'option', 'future' (perpetuals included), 'spot', combos... */
  kind: string;
  baseCurrency: string;
  settlementCurrency: string;
  /**
   * Settled in the base coin: an inverse future is sized in USD and priced in USD per BTC; an
   * inverse option is sized in contracts of `contractSize` BTC and priced in BTC.
   */
  inverse: boolean;
  perpetual: boolean;
  /** USD per contract (inverse future) or base coin per contract (option). */
  contractSize: number;
  /** Smallest order amount, in order amount units (USD for inverse futures, contracts for options). */
  minTradeAmount: number;
  /** Base tick; `tickSteps` (ascending) raise it above given prices. */
  tickSize: number;
  tickSteps: readonly TickStep[];
  /** Unix ms; far in the future for perpetuals. */
  expiryMs: number;
  strikeUsd: number | null;
  optionKind: 'call' | 'put' | null;
  /** Fee rates as fractions (0.0005 = 5 bps). */
  takerFeeRate: number;
  makerFeeRate: number;
  active: boolean;
  priceIndex: string | null;
}

export function parseInstrument(raw: unknown): DeribitInstrument {
  const w = parseWith(wireInstrument, raw, 'instrument');
  const settlement = w.settlement_currency ?? w.quote_currency;
  if (w.kind === 'option' && (w.strike === undefined || w.option_type === undefined)) {
    throw new Error(`malformed deribit instrument ${w.instrument_name}: an option without strike or option_type`);
  }
  return {
    name: w.instrument_name,
    kind: w.kind,
    baseCurrency: w.base_currency,
    settlementCurrency: settlement,
    inverse: w.instrument_type === 'reversed' || w.future_type === 'reversed' || settlement === w.base_currency,
    perpetual: w.settlement_period === 'perpetual',
    contractSize: w.contract_size,
    minTradeAmount: w.min_trade_amount,
    tickSize: w.tick_size,
    tickSteps: [...(w.tick_size_steps ?? [])].map((s) => ({ abovePrice: s.above_price, tickSize: s.tick_size })).sort((a, b) => a.abovePrice - b.abovePrice),
    expiryMs: w.expiration_timestamp,
    strikeUsd: w.strike ?? null,
    optionKind: w.option_type ?? null,
    takerFeeRate: w.taker_commission,
    makerFeeRate: w.maker_commission,
    active: w.is_active,
    priceIndex: w.price_index ?? null,
  };
}

export function parseInstruments(raw: unknown): DeribitInstrument[] {
  return parseWith(z.array(z.unknown()), raw, 'instrument list').map(parseInstrument);
}
