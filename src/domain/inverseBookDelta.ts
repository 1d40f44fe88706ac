// The delta of a vault whose book lives on an inverse (coin-margined) account such as Deribit's:
// the book's Black-Scholes delta (bookGreeks, the one book-greeks path) with the account's
// equity, its options' BTC marks and its perp's USD size, as inverseAccountDelta (inverseDelta.ts)
// defines it:
//
//   delta = equityBtc + sum_i qty_i * (delta_i - markBtc_i) + perpUsd / spotUsd
//         = [sum_i qty_i * delta_i] + inverseAccountDelta with every leg at its mark and delta 0
//
// The sum is linear in the legs' deltas, so the book's delta comes whole from bookGreeks (one
// pass over its groups, already computed on every tick) and each leg enters inverseAccountDelta
// with its mark alone: per-leg deltas would cost a bookGreeks call per leg on every tick.
// Units: delta BTC; marks BTC per contract of 1 BTC; perp USD notional, signed; spot USD per BTC.
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

/** A leg of the vault's book as this reads it: its series and contracts held. */
export interface MarkedLeg {
  instrument: string;
  qty: number;
}

/** The legs at their marks, cached per book and marks array (the machine replaces them on change, never mutates them). */
const markCache = new WeakMap<readonly MarkedLeg[], { marks: readonly OptionMarkBtc[]; legs: InverseOptionLeg[] }>();

function atMarks(legs: readonly MarkedLeg[], marks: readonly OptionMarkBtc[]): InverseOptionLeg[] {
  const cached = markCache.get(legs);
  if (cached && cached.marks === marks) return cached.legs;
  const out: InverseOptionLeg[] = [];
  for (const l of legs) if (l.qty !== 0) out.push({ qty: l.qty, deltaPerContract: 0, markPriceBtc: markOf(marks, l.instrument) });
  markCache.set(legs, { marks, legs: out });
  return out;
}

/**
 * The inverse account delta of the vault's book at spotUsd, given the book's Black-Scholes delta
 * `optionsBtc` (bookGreeks' optionsBtc of the same legs, spot and time). A series the account
 * marks none of counts at mark 0 (its value is then not inside equityBtc either).
 */
export function inverseBookDelta(legs: readonly MarkedLeg[], optionsBtc: number, account: InverseAccountMarks, spotUsd: number): InverseDelta {
  const d = inverseAccountDelta({ equityBtc: account.equityBtc, options: atMarks(legs, account.marksBtc), perpUsd: account.perpUsd, spotUsd });
  return { ...d, optionsBtc: d.optionsBtc + optionsBtc, totalBtc: d.totalBtc + optionsBtc };
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
