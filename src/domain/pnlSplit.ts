// A vault's PnL split into what its options made and what its perp hedge made (issue 17: one
// implementation for the backtest and the live views). Pure; USD.
//
// The vault's cash holds everything together (premiums, expiry payoffs, perp trade cash, fees),
// so the split takes the hedge's own cash out of it:
//   option PnL = option cash (cash change - (perp trade cash - fees)) + book mark change
//   hedge PnL  = perp mark-to-market + perp trade cash - fees - funding
// where book mark change = value of the book now - value of the starting book at the first
// price, and perp mark-to-market = perp now x spot now - starting perp x first price.

export interface PnlSplit {
  /** optionCashUsd + bookMarkChangeUsd. */
  optionUsd: number;
  /** Premiums and expiry payoffs: the vault's cash change that is not hedge cash. */
  optionCashUsd: number;
  /** Book value now minus value of the starting book at the first price. */
  bookMarkChangeUsd: number;
  /** perpMarkToMarketUsd + hedgeTradeCashUsd - fees - funding. */
  hedgeUsd: number;
  perpMarkToMarketUsd: number;
  /** Cash of the perp trades: - sum of signed filled size x fill price. */
  hedgeTradeCashUsd: number;
  /** optionUsd + hedgeUsd. */
  totalUsd: number;
}

export interface PnlInputs {
  /** At the start (genesis, valued at the first price): cash, book value, perp position x first price. */
  startCashUsd: number;
  startBookValueUsd: number;
  startPerpValueUsd: number;
  /** Now: the vault's cash, book value and perp position at spot. */
  cashUsd: number;
  bookValueUsd: number;
  perpBtc: number;
  spotUsd: number;
  /** The hedge's own flows so far. */
  hedgeTradeCashUsd: number;
  feesUsd: number;
  fundingUsd: number;
}

export function pnlSplit(i: PnlInputs): PnlSplit {
  const bookMarkChangeUsd = i.bookValueUsd - i.startBookValueUsd;
  const optionCashUsd = i.cashUsd - i.startCashUsd - (i.hedgeTradeCashUsd - i.feesUsd);
  const perpMarkToMarketUsd = i.perpBtc * i.spotUsd - i.startPerpValueUsd;
  const optionUsd = optionCashUsd + bookMarkChangeUsd;
  const hedgeUsd = perpMarkToMarketUsd + i.hedgeTradeCashUsd - i.feesUsd - i.fundingUsd;
  return { optionUsd, optionCashUsd, bookMarkChangeUsd, hedgeUsd, perpMarkToMarketUsd, hedgeTradeCashUsd: i.hedgeTradeCashUsd, totalUsd: optionUsd + hedgeUsd };
}

/** A hedge order as stored (cumulative fill). */
export interface HedgeOrderFill { side: 'buy' | 'sell'; filledBtc: number; avgPriceUsd: number; feeUsd: number }

/** Perp trade cash (- signed notional), fees and traded size over a vault's hedge orders. */
export function hedgeCash(orders: Iterable<HedgeOrderFill>): { hedgeTradeCashUsd: number; feesUsd: number; tradedBtc: number } {
  let cash = 0, fees = 0, traded = 0;
  for (const o of orders) {
    if (!(o.filledBtc > 0)) { fees += o.feeUsd; continue; }
    cash -= (o.side === 'buy' ? 1 : -1) * o.filledBtc * o.avgPriceUsd;
    fees += o.feeUsd;
    traded += o.filledBtc;
  }
  return { hedgeTradeCashUsd: cash, feesUsd: fees, tradedBtc: traded };
}
