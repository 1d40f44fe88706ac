// The risk of a vault's option book as a trader reads it (issue 17): gamma, vega and theta of
// the whole book at one spot and time, in the model's units and in traders' units. Pure; priced
// with Black-Scholes at each series' vol on the vault's surface (seriesVol, as the machine's
// greeks and the quotes), the vault's rate and zero carry. Unlike bookGreeks (the hedger's
// greeks: no value or theta, glide weights and a pin floor on time to expiry) it reports the
// book as it is worth and decays now, at the true time to expiry. Not the hedger's hot path:
// it runs when a view is built (status, metrics, dashboard).
//
// Traders' units (the exact definitions the README states):
//   gamma per 1% move   gammaBtcPerPct    = Gamma x spot x 0.01: BTC of delta the book gains
//                                            when spot rises 1% (Gamma in BTC per USD)
//   vega per vol point  vegaUsdPerVolPt   = vega / 100: USD the book gains when every leg's vol
//                                            rises by 1 point (0.60 -> 0.61)
//   theta per day       thetaUsdPerDay    = theta / 365: USD the book gains as one calendar day
//                                            (ACT/365) passes at the same spot and vols
import { MS_PER_YEAR } from './actYears.ts';
import { blackScholes } from './blackScholes.ts';
import type { BookLeg } from './bookGreeks.ts';
import { seriesVol, type VolSurface } from './volSurface.ts';

export interface BookRisk {
  /** Mark value of the book, USD. */
  valueUsd: number;
  /** Delta of the options alone, BTC. */
  deltaBtc: number;
  /** d(delta)/d(spot), BTC per USD. */
  gammaBtcPerUsd: number;
  /** d(value)/d(vol), USD per 1.00 of vol. */
  vegaUsdPerVol: number;
  /** d(value)/d(calendar time), USD per year. */
  thetaUsdPerYear: number;
  /** Traders' units (see the header). */
  gammaBtcPerPct: number;
  vegaUsdPerVolPt: number;
  thetaUsdPerDay: number;
}

/** Greeks of `legs` (contracts of 1 BTC, > 0 long) at spotUsd and event time nowMs. Expired legs count at intrinsic value. */
export function bookRisk(legs: readonly Pick<BookLeg, 'kind' | 'strikeUsd' | 'expiryMs' | 'qty' | 'volPerYear'>[], spotUsd: number, nowMs: number, ratePerYear: number, vol: VolSurface): BookRisk {
  if (!(spotUsd > 0 && Number.isFinite(spotUsd))) throw new Error(`bookRisk: spot must be > 0, got ${spotUsd}`);
  let value = 0, delta = 0, gamma = 0, vega = 0, theta = 0;
  for (const leg of legs) {
    if (leg.qty === 0) continue;
    const g = blackScholes(leg.kind, spotUsd, leg.strikeUsd, Math.max(0, (leg.expiryMs - nowMs) / MS_PER_YEAR), seriesVol(vol, leg, spotUsd), ratePerYear, 0);
    value += leg.qty * g.price;
    delta += leg.qty * g.delta;
    gamma += leg.qty * g.gamma;
    vega += leg.qty * g.vega;
    theta += leg.qty * g.theta;
  }
  return {
    valueUsd: value, deltaBtc: delta, gammaBtcPerUsd: gamma, vegaUsdPerVol: vega, thetaUsdPerYear: theta,
    gammaBtcPerPct: gamma * spotUsd * 0.01, vegaUsdPerVolPt: vega / 100, thetaUsdPerDay: theta / 365,
  };
}
