// A vault's committed quotes (USD per contract, src/domain/quoteBook.ts) as the set an options
// book should rest (BTC per contract, the OptionsBook port): both sides of every series, a side
// with size 0 (or a price of 0) meaning "no quote there". The index is the vault's committed
// spot, so a replay of the journal sends the very same prices. Nothing is rounded here: ticks
// and amount steps are the adapter's job (it rounds once, in the safe direction).
import type { Quote } from '../domain/quote.ts';
import { quotePriceBtc, type DesiredQuote } from '../venues/optionsBook.ts';

export function desiredQuotes(quotes: readonly Quote[], indexUsd: number): DesiredQuote[] {
  const out: DesiredQuote[] = [];
  for (const q of quotes) {
    out.push(side(q.instrument, 'bid', q.bidPriceUsd, q.bidSizeContracts, indexUsd));
    out.push(side(q.instrument, 'ask', q.askPriceUsd, q.askSizeContracts, indexUsd));
  }
  return out;
}

function side(instrument: string, s: DesiredQuote['side'], priceUsd: number, sizeContracts: number, indexUsd: number): DesiredQuote {
  if (!(sizeContracts >= 0) || !Number.isFinite(sizeContracts)) throw new Error(`quote ${instrument} ${s}: size must be >= 0 contracts, got ${sizeContracts}`);
  if (!(priceUsd >= 0) || !Number.isFinite(priceUsd)) throw new Error(`quote ${instrument} ${s}: price must be >= 0 USD, got ${priceUsd}`);
  // A side without size (or without a price) rests nothing: its price is irrelevant, sent as 0.
  const live = sizeContracts > 0 && priceUsd > 0;
  return { instrument, side: s, priceBtc: live ? quotePriceBtc(priceUsd, indexUsd) : 0, amountContracts: live ? sizeContracts : 0 };
}

/** Same set, same order, same numbers: nothing to send. */
export function sameDesired(a: readonly DesiredQuote[], b: readonly DesiredQuote[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return x.instrument === y.instrument && x.side === y.side && x.priceBtc === y.priceBtc && x.amountContracts === y.amountContracts;
  });
}
