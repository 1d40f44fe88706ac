// Greeks of a vault's option book plus its perp position, at one spot and one event time.
// Units: delta BTC, gamma BTC per USD, vega USD per 1.00 of vol; tau in years (ACT/365).
// Priced with BSM at the vault's rate and zero carry (ratePerYear defaults to 0 for BTC).
import { bsPriceDeltaGammaVega, newPriceDeltaGammaVega } from './blackScholes.ts';

const MS_PER_YEAR = 365 * 86_400_000;

export interface BookLeg {
  kind: 'call' | 'put';
  strikeUsd: number;
  expiryMs: number;
  /** Contracts of 1 BTC; > 0 long. */
  qty: number;
  volPerYear: number;
}

export interface BookGreeks {
  optionsBtc: number;
  netBtc: number;
  grossBtc: number;
  gamma: number;
  vega: number;
  /** Gamma-weighted time to expiry (years) and vol: the inputs of gamma-scaled bands. */
  tauYears: number;
  volPerYear: number;
}

// One scratch output, reused: the machine calls this on every tick (no allocation per leg).
const scratch = newPriceDeltaGammaVega();

/** Net greeks of the book at spotUsd and nowMs; legs at or past expiry count at intrinsic delta. */
export function bookGreeks(legs: readonly BookLeg[], spotUsd: number, nowMs: number, ratePerYear: number, perpBtc: number): BookGreeks {
  let optionsBtc = 0, grossBtc = 0, gamma = 0, vega = 0, gTau = 0, gVol = 0, gSum = 0;
  for (const leg of legs) {
    const tau = Math.max(0, (leg.expiryMs - nowMs) / MS_PER_YEAR);
    const g = bsPriceDeltaGammaVega(leg.kind, spotUsd, leg.strikeUsd, tau, leg.volPerYear, ratePerYear, 0, scratch);
    const legDelta = g.delta * leg.qty;
    optionsBtc += legDelta;
    grossBtc += Math.abs(legDelta);
    gamma += g.gamma * leg.qty;
    vega += g.vega * leg.qty;
    const weight = Math.abs(g.gamma * leg.qty);
    gTau += weight * tau;
    gVol += weight * leg.volPerYear;
    gSum += weight;
  }
  return {
    optionsBtc, netBtc: optionsBtc + perpBtc, grossBtc, gamma, vega,
    tauYears: gSum > 0 ? gTau / gSum : 0,
    volPerYear: gSum > 0 ? gVol / gSum : 0,
  };
}
