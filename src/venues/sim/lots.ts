// Lot arithmetic of the simulated venue: quantities live as integer lots; BTC figures are
// derived from them and cleaned of float noise (0.1 + 0.2 style) to 1e-10 BTC.

/** Explicit rounding to the nearest lot, never truncation (8.2 BTC is 82000 lots of 0.0001). */
export function btcToLots(sizeBtc: number, lotSizeBtc: number): number {
  return Math.round(sizeBtc / lotSizeBtc);
}

export function lotsToBtc(lots: number, lotSizeBtc: number): number {
  return Math.round(lots * lotSizeBtc * 1e10) / 1e10;
}
