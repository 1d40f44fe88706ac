// Delta band configuration and the resolved band widths. Widths are absolute BTC of delta.

/** How the vault's delta bands are sized. All widths are absolute BTC of delta. */
export type BandConfig =
  | {
      kind: 'fixed';
      /** |delta| above which quotes skew (enter over/underexposed). */
      quoteBtc: number;
      /** |delta| at or above which a hedge starts. */
      hedgeBtc: number;
      /** |delta| below which an over/underexposed vault returns to neutral (< quoteBtc). */
      reentryBtc: number;
      /** |delta| at or above which a vault in cooldown hedges at once. */
      hardBtc: number;
    }
  | {
      kind: 'percentGross';
      /** Fractions (0.1 = 10%) of the book's gross delta (sum of |leg delta|). */
      quotePct: number;
      hedgePct: number;
      reentryPct: number;
      hardPct: number;
      /** Floor for the hedge band, BTC, so a tiny book does not hedge on noise. */
      minHedgeBtc: number;
    }
  | ({ kind: 'whalleyWilmott' | 'zakamouline' } & GammaBandParams);

/** Parameters of the gamma-scaled (cost and risk-aversion driven) bands. */
export interface GammaBandParams {
  /** One-way proportional cost lambda in basis points. */
  costBps: number;
  /** Absolute risk aversion gamma_risk, 1/USD. */
  riskAversion: number;
  /** quote = hedge * quoteFraction, reentry = hedge * reentryFraction, hard = hedge * hardMultiple. */
  quoteFraction: number;
  reentryFraction: number;
  hardMultiple: number;
  /** Floor for the hedge band, BTC. */
  minHedgeBtc: number;
}

/** Resolved band half-widths, BTC (symmetric around zero delta). */
export interface Bands {
  quoteBtc: number;
  hedgeBtc: number;
  reentryBtc: number;
  hardBtc: number;
}
