// Mark-to-model value of a vault's option book, USD: sum of qty * Black-Scholes price at the
// leg's own vol, the vault's rate and zero carry (the same model the machine takes its greeks
// from). Legs at or past expiry are worth their intrinsic value.
import { bsPriceDeltaGammaVega, newPriceDeltaGammaVega } from './blackScholes.ts';
import type { BookLeg } from './portfolioGreeks.ts';

const MS_PER_YEAR = 365 * 86_400_000;
const scratch = newPriceDeltaGammaVega();

/** Value of one contract of `leg` at spotUsd and event time nowMs, USD. */
export function legValueUsd(leg: BookLeg, spotUsd: number, nowMs: number, ratePerYear: number): number {
  const tau = Math.max(0, (leg.expiryMs - nowMs) / MS_PER_YEAR);
  return bsPriceDeltaGammaVega(leg.kind, spotUsd, leg.strikeUsd, tau, leg.volPerYear, ratePerYear, 0, scratch).price;
}

/** Value of `legs` (contracts of 1 BTC, > 0 long) at spotUsd and event time nowMs, USD. */
export function bookValueUsd(legs: readonly BookLeg[], spotUsd: number, nowMs: number, ratePerYear: number): number {
  if (!(spotUsd > 0)) throw new Error(`bookValueUsd: spot must be > 0, got ${spotUsd}`);
  let value = 0;
  for (const leg of legs) {
    if (leg.qty === 0) continue;
    value += leg.qty * legValueUsd(leg, spotUsd, nowMs, ratePerYear);
  }
  return value;
}
