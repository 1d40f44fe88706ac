// A two-sided quote the vault shows for one option series. Sizes in contracts of 1 BTC;
// prices USD. A size of 0 means that side is not quoted.
export interface Quote {
  instrument: string;
  bidPriceUsd: number;
  bidSizeContracts: number;
  askPriceUsd: number;
  askSizeContracts: number;
  /** Model fair value used for the quote, USD. */
  fairUsd: number;
}
