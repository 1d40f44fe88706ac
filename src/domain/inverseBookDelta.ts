// The delta of a vault whose book lives on an inverse (coin-margined) account such as Deribit's:
// the vault's legs priced by the one book-greeks path, with the account's equity, its options'
// BTC marks and its perp's USD size, as inverseAccountDelta (inverseDelta.ts) defines it:
//
//   delta = equityBtc + sum_i qty_i * (delta_i - markBtc_i) + perpUsd / spotUsd
//
// Units: delta BTC; marks BTC per contract of 1 BTC; perp USD notional, signed; spot USD per BTC.
import { bookGreeks, type BookModel, type GreekLeg } from './bookGreeks.ts';
import { inverseAccountDelta, type InverseDelta, type InverseOptionLeg } from './inverseDelta.ts';

/** One series' mark on the venue, BTC per contract. */
export interface OptionMarkBtc {
  instrument: string;
  markPriceBtc: number;
}

/** What the venue says of the account (Deribit: get_account_summary's equity, get_positions' sizes and marks). */
export interface InverseAccountMarks {
  /** Account equity, BTC: cash balance + options at mark + perp unrealised PnL. */
  equityBtc: number;
  /** The perp position, USD notional (> 0 long). */
  perpUsd: number;
  /** The BTC mark of each option series the account holds. */
  marksBtc: readonly OptionMarkBtc[];
}

/** A leg of the vault's book, by name (its mark is looked up by it). */
export type NamedLeg = GreekLeg & { instrument: string };

/**
 * The inverse account delta of the vault's book at spotUsd and nowMs. Each leg's delta per
 * contract is its Black-Scholes delta as bookGreeks gives it (its vol from the surface, the
 * expiry treatment's glide weight and pin floor); its mark is the account's, or 0 for a series
 * the account marks none of (its value is then not inside equityBtc either).
 */
export function inverseBookDelta(
  legs: readonly NamedLeg[], account: InverseAccountMarks, spotUsd: number, nowMs: number, ratePerYear: number, model: BookModel,
): InverseDelta {
  const options: InverseOptionLeg[] = [];
  for (const leg of legs) {
    if (leg.qty === 0) continue;
    const one: GreekLeg[] = [{ ...leg, qty: 1 }];
    const deltaPerContract = bookGreeks(one, spotUsd, nowMs, ratePerYear, 0, model).optionsBtc;
    options.push({ qty: leg.qty, deltaPerContract, markPriceBtc: markOf(account.marksBtc, leg.instrument) });
  }
  return inverseAccountDelta({ equityBtc: account.equityBtc, options, perpUsd: account.perpUsd, spotUsd });
}

/** The series' mark, BTC per contract (the last one given for it), or 0 when none is. */
export function markOf(marks: readonly OptionMarkBtc[], instrument: string): number {
  for (let i = marks.length - 1; i >= 0; i--) {
    const m = marks[i] as OptionMarkBtc;
    if (m.instrument === instrument) return m.markPriceBtc;
  }
  return 0;
}

/** Why the account's marks cannot be used (a number not finite, a mark below 0, a series without a name), or null when they can. */
export function accountMarksRefusal(a: InverseAccountMarks): string | null {
  if (!Number.isFinite(a.equityBtc)) return `equityBtc ${a.equityBtc} is not a finite number`;
  if (!Number.isFinite(a.perpUsd)) return `perpUsd ${a.perpUsd} is not a finite number`;
  for (const m of a.marksBtc) {
    if (typeof m.instrument !== 'string' || m.instrument === '') return `a mark without a series name: ${JSON.stringify(m)}`;
    if (!(m.markPriceBtc >= 0 && Number.isFinite(m.markPriceBtc))) return `${m.instrument}: mark ${m.markPriceBtc} BTC is not a finite number >= 0`;
  }
  return null;
}
