// private/get_positions and private/get_account_summary. Futures positions are USD (signed);
// option positions are contracts (signed); equity and balance are BTC.
import { z } from 'zod';
import { wireAccountSummary, wirePosition, type WirePosition } from './wire/schemas.ts';
import { parseWith } from './parseWith.ts';

export interface DeribitPosition {
  instrument: string;
  kind: string;
  /** Signed (> 0 long): USD for futures, contracts for options. */
  size: number;
  /** Futures only: the position's BTC at the mark (Deribit's size_currency, = size / mark). */
  sizeBtcAtMark: number | null;
  averagePrice: number;
  markPrice: number;
  indexPriceUsd: number;
  /** Deribit's delta of the position, BTC. */
  delta: number | null;
  /** Perpetual funding realised this session, BTC (> 0 received). */
  realizedFundingBtc: number;
}

export interface DeribitAccountSummary {
  currency: string;
  /** Balance + options at mark + futures unrealised PnL, in the currency (BTC). */
  equity: number;
  balance: number;
}

function toPosition(w: WirePosition): DeribitPosition {
  if ((w.direction === 'sell' && w.size > 0) || (w.direction === 'buy' && w.size < 0)) {
    throw new Error(`malformed deribit position ${w.instrument_name}: direction ${w.direction} with size ${w.size}`);
  }
  const isFuture = w.kind === 'future';
  return {
    instrument: w.instrument_name,
    kind: w.kind,
    size: w.size,
    sizeBtcAtMark: isFuture ? (w.size_currency ?? (w.mark_price > 0 ? w.size / w.mark_price : 0)) : null,
    averagePrice: w.average_price,
    markPrice: w.mark_price,
    indexPriceUsd: w.index_price,
    delta: w.delta ?? null,
    realizedFundingBtc: w.realized_funding ?? 0,
  };
}

export function parsePositions(raw: unknown): DeribitPosition[] {
  return parseWith(z.array(wirePosition), raw, 'position list').map(toPosition);
}

export function parsePosition(raw: unknown): DeribitPosition {
  return toPosition(parseWith(wirePosition, raw, 'position'));
}

export function parseAccountSummary(raw: unknown): DeribitAccountSummary {
  const w = parseWith(wireAccountSummary, raw, 'account summary');
  return { currency: w.currency, equity: w.equity, balance: w.balance };
}
