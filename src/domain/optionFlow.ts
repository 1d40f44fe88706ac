// What one option fill did for the vault's hedge (issue 17): how much net delta it took off,
// what the vault gave away against fair value to get it (the lean), and what hedging that
// delta on the perp would have cost instead. Pure; units USD, BTC, bps.

export interface OptionFillFacts {
  /** The vault's side of the trade. */
  side: 'buy' | 'sell';
  /** Contracts of 1 BTC, > 0. */
  qty: number;
  priceUsd: number;
  /** Model fair value of the series at the fill, USD per contract. */
  fairUsd: number;
  /** Net delta of the vault (options + perp) just before and just after the fill, BTC. */
  deltaBeforeBtc: number;
  deltaAfterBtc: number;
}

export interface OptionFillFlow {
  /** |delta| the fill took off: max(0, |before| - |after|), BTC. */
  reducedBtc: number;
  /** The vault's edge against fair, USD (> 0 earned): qty * (price - fair) when it sells, qty * (fair - price) when it buys. */
  edgeUsd: number;
  /** On a delta-reducing fill, how far past fair the vault paid for it (max(0, -edge)), USD; 0 otherwise. */
  leanPaidUsd: number;
}

export function optionFillFlow(f: OptionFillFacts): OptionFillFlow {
  if (!(f.qty > 0) || !Number.isFinite(f.priceUsd) || !Number.isFinite(f.fairUsd)) {
    throw new Error(`optionFillFlow: bad fill ${JSON.stringify(f)}`);
  }
  const reducedBtc = Math.max(0, Math.abs(f.deltaBeforeBtc) - Math.abs(f.deltaAfterBtc));
  const edgeUsd = f.side === 'sell' ? f.qty * (f.priceUsd - f.fairUsd) : f.qty * (f.fairUsd - f.priceUsd);
  return { reducedBtc, edgeUsd, leanPaidUsd: reducedBtc > 0 ? Math.max(0, -edgeUsd) : 0 };
}

/** Cost of trading `notionalUsd` on the perp at `costBps` (fee + slippage), USD. */
export function perpCostUsd(notionalUsd: number, costBps: number): number {
  return (Math.abs(notionalUsd) * costBps) / 1e4;
}
