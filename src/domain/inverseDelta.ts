// Delta of an inverse (coin-margined) options account such as Deribit's BTC book, measured in
// USD: the vault's value is U = S * equityBtc, and "delta-neutral" means dU/dS = 0 (see
// src/venues/deribit/INVERSE.md for the derivation and the worked example in its test).
//
//   dU/dS = equityBtc                         every BTC of equity moves 1:1 with S
//         + sum_i qty_i * (delta_i - mark_i)   an option's BS delta on its USD value, less its
//                                              BTC mark (already counted inside equityBtc)
//         + perpUsd / S                        an inverse perp of N USD adds N/S BTC
//
// Units: BTC of delta (USD of value change per USD of spot); prices USD per BTC; option
// marks BTC per contract of 1 BTC; perp size USD notional, signed (> 0 long).

export interface InverseOptionLeg {
  /** Contracts of 1 BTC: > 0 long, < 0 short. */
  qty: number;
  /** Black-Scholes delta of one contract on its USD value, dC_usd/dS (call 0..1, put -1..0). */
  deltaPerContract: number;
  /** Mark price of one contract, BTC (its value is part of equityBtc). */
  markPriceBtc: number;
}

export interface InverseAccount {
  /** Account equity, BTC: cash balance + options at mark + perp unrealised PnL (Deribit's `equity`). */
  equityBtc: number;
  options: readonly InverseOptionLeg[];
  /** Inverse perp position, USD notional as Deribit sizes it; > 0 long. */
  perpUsd: number;
  /** Price the deltas are taken at (the index), USD per BTC. */
  spotUsd: number;
}

export interface InverseDelta {
  /** Delta carried by the equity itself, BTC (= equityBtc). */
  equityBtc: number;
  /** Options' delta beyond their BTC mark value, BTC. */
  optionsBtc: number;
  /** The perp's delta, perpUsd / spotUsd, BTC. */
  perpBtc: number;
  /** dU/dS of U = S * equity, BTC. Zero means USD delta-neutral. */
  totalBtc: number;
}

function check(a: InverseAccount): void {
  if (!(a.spotUsd > 0) || !Number.isFinite(a.spotUsd)) throw new Error(`spotUsd must be positive, got ${a.spotUsd}`);
  if (!Number.isFinite(a.equityBtc) || !Number.isFinite(a.perpUsd)) throw new Error(`equityBtc and perpUsd must be finite (${a.equityBtc}, ${a.perpUsd})`);
}

export function inverseAccountDelta(a: InverseAccount): InverseDelta {
  check(a);
  let optionsBtc = 0;
  for (const o of a.options) {
    if (!Number.isFinite(o.qty) || !Number.isFinite(o.deltaPerContract) || !(o.markPriceBtc >= 0)) {
      throw new Error(`bad option leg ${JSON.stringify(o)}`);
    }
    optionsBtc += o.qty * (o.deltaPerContract - o.markPriceBtc);
  }
  const perpBtc = a.perpUsd / a.spotUsd;
  return { equityBtc: a.equityBtc, optionsBtc, perpBtc, totalBtc: a.equityBtc + optionsBtc + perpBtc };
}

/** The perp size, USD (signed), that makes the account's total delta zero at spotUsd. */
export function perpUsdForZeroDelta(a: Omit<InverseAccount, 'perpUsd'>): number {
  const d = inverseAccountDelta({ ...a, perpUsd: 0 });
  return -(d.equityBtc + d.optionsBtc) * a.spotUsd;
}
