// Black-76 on a forward F (futures option, premium paid up front and discounted at rate r).
// It is BSM with carry equal to the rate (spot replaced by the forward), except rho: the forward
// is an input here, so a rate move only changes the discount factor (rho = -T * price).
// Greeks are per 1 USD of forward (delta, gamma), per 1.00 vol, per year, per 1.00 rate.
import type { OptionKind } from './instrument.ts';
import { blackScholes, bsPriceDeltaGammaVega, type OptionGreeks, type PriceDeltaGammaVega } from './blackScholes.ts';

/** Black-76 price and greeks (validated; throws on bad inputs). */
export function black76(kind: OptionKind, forward: number, strike: number, years: number, vol: number, rate = 0): OptionGreeks {
  if (!(forward > 0 && Number.isFinite(forward))) throw new Error(`forward must be a positive finite number, got ${forward}`);
  const g = blackScholes(kind, forward, strike, years, vol, rate, rate);
  g.rho = -years * g.price;
  return g;
}

/** Hot path: price, delta, gamma, vega of a Black-76 option into `out` (no validation). */
export function b76PriceDeltaGammaVega(
  kind: OptionKind, forward: number, strike: number, years: number, vol: number, rate: number, out: PriceDeltaGammaVega,
): PriceDeltaGammaVega {
  return bsPriceDeltaGammaVega(kind, forward, strike, years, vol, rate, rate, out);
}
