// What to send to make one vault's resting quotes equal the desired set: pure, so it can be
// tested by itself. Cancels come first (they reduce risk), then amends, then places.
// A resting quote is kept unless its price moved by more than `amendTicks` ticks or its
// resting size by more than `amendSizeShare` of the larger of the two sizes.
import type { QuoteSide } from '../optionsBook.ts';

export interface PlannedQuote {
  label: string;
  instrument: string;
  side: QuoteSide;
  /** On the instrument's tick. */
  priceBtc: number;
  /** On the instrument's amount grid; 0: no quote. */
  amountContracts: number;
}

export interface RestingState {
  label: string;
  instrument: string;
  side: QuoteSide;
  priceBtc: number;
  /** Resting (amount less filled), contracts. */
  remainingContracts: number;
  filledContracts: number;
}

export type QuoteChange =
  | { kind: 'cancel'; label: string; instrument: string; side: QuoteSide }
  | { kind: 'amend'; want: PlannedQuote; rest: RestingState }
  | { kind: 'place'; want: PlannedQuote }
  | { kind: 'keep'; want: PlannedQuote; rest: RestingState };

export interface AmendThresholds {
  /** Amend when the price moves by more than this many ticks (0: any tick). */
  amendTicks: number;
  /** Amend when the resting size changes by more than this share (0.1 = 10%). */
  amendSizeShare: number;
}

export function planQuotes(
  desired: readonly PlannedQuote[], resting: readonly RestingState[], t: AmendThresholds, ticksBetween: (instrument: string, a: number, b: number) => number,
): QuoteChange[] {
  const want = new Map<string, PlannedQuote>();
  for (const d of desired) {
    if (want.has(d.label)) throw new Error(`two desired quotes for ${d.label}`);
    want.set(d.label, d);
  }
  const cancels: QuoteChange[] = [], amends: QuoteChange[] = [], places: QuoteChange[] = [], keeps: QuoteChange[] = [];
  const restingByLabel = new Map(resting.map((r) => [r.label, r]));
  for (const r of resting) {
    const w = want.get(r.label);
    if (!w || w.amountContracts <= 0) cancels.push({ kind: 'cancel', label: r.label, instrument: r.instrument, side: r.side });
  }
  for (const w of want.values()) {
    if (w.amountContracts <= 0) continue;
    const r = restingByLabel.get(w.label);
    if (!r) {
      places.push({ kind: 'place', want: w });
      continue;
    }
    const priceMoved = ticksBetween(w.instrument, w.priceBtc, r.priceBtc) > t.amendTicks;
    const sizeMoved = Math.abs(w.amountContracts - r.remainingContracts) > t.amendSizeShare * Math.max(w.amountContracts, r.remainingContracts);
    if (priceMoved || sizeMoved) amends.push({ kind: 'amend', want: w, rest: r });
    else keeps.push({ kind: 'keep', want: w, rest: r });
  }
  return [...cancels, ...amends, ...places, ...keeps];
}
