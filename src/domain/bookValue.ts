// Mark-to-model value of a vault's option book, USD: sum of qty * Black-Scholes price at the
// series' vol on the vault's surface (the same vols the machine's greeks and the quotes use),
// the vault's rate and zero carry, and the true time to expiry (the pin floor is for hedging
// greeks, not values). Legs at or past expiry are worth their intrinsic value.
import { MS_PER_YEAR } from './actYears.ts';
import { bsPriceDeltaGammaVega, newPriceDeltaGammaVega } from './blackScholes.ts';
import type { BookLeg } from './bookGreeks.ts';
import { seriesVol, type VolSurface } from './volSurface.ts';

const scratch = newPriceDeltaGammaVega();

/** Value of one contract of `leg` at spotUsd and event time nowMs, USD. */
export function legValueUsd(leg: BookLeg, spotUsd: number, nowMs: number, ratePerYear: number, vol: VolSurface): number {
  const tau = Math.max(0, (leg.expiryMs - nowMs) / MS_PER_YEAR);
  return bsPriceDeltaGammaVega(leg.kind, spotUsd, leg.strikeUsd, tau, seriesVol(vol, leg, spotUsd), ratePerYear, 0, scratch).price;
}

/** Value of `legs` (contracts of 1 BTC, > 0 long) at spotUsd and event time nowMs, USD. */
export function bookValueUsd(legs: readonly BookLeg[], spotUsd: number, nowMs: number, ratePerYear: number, vol: VolSurface): number {
  if (!(spotUsd > 0)) throw new Error(`bookValueUsd: spot must be > 0, got ${spotUsd}`);
  let value = 0;
  for (const leg of legs) {
    if (leg.qty === 0) continue;
    value += leg.qty * legValueUsd(leg, spotUsd, nowMs, ratePerYear, vol);
  }
  return value;
}
