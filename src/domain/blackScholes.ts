// Black-Scholes-Merton for European calls and puts with rate r and carry/dividend yield q
// (forward F = S e^{(r-q)T}). Units: spot/strike/price in USD, years ACT/365, vol and rates
// annualised decimals. Greeks: delta per 1 USD of spot, gamma per USD^2, vega per 1.00 of vol,
// theta per year (value change as calendar time passes), rho per 1.00 of rate.
// Hot-path functions take positional numbers, do not validate and do not allocate.
import type { OptionKind } from './instrument.ts';
import { normalCdf, normalCdfFromPdf, INV_SQRT_2PI } from './normalCdf.ts';
import { MIN_STDDEV, bsGreeksBatch, newBsBatch } from './bsGreeksBatch.ts';

export interface OptionGreeks {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
}

/** Reusable output of bsPriceDeltaGammaVega (allocate once, reuse on hot paths). */
export interface PriceDeltaGammaVega {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
}

export function newPriceDeltaGammaVega(): PriceDeltaGammaVega {
  return { price: 0, delta: 0, gamma: 0, vega: 0 };
}

/** Delta of a BSM call/put (hot path, no validation). At expiry: w e^{-qT} if in the money, else 0. */
export function bsDelta(kind: OptionKind, spot: number, strike: number, years: number, vol: number, rate: number, carry: number): number {
  const w = kind === 'call' ? 1 : -1;
  const sqrtT = Math.sqrt(years);
  const stdDev = vol * sqrtT;
  const dfq = Math.exp(-carry * years);
  if (!(stdDev > MIN_STDDEV)) {
    const fwdMinusK = spot * dfq - strike * Math.exp(-rate * years);
    return w * fwdMinusK > 0 ? w * dfq : 0;
  }
  const d1 = (Math.log(spot / strike) + (rate - carry) * years) / stdDev + 0.5 * stdDev;
  return w * dfq * normalCdfFromPdf(w * d1, INV_SQRT_2PI * Math.exp(-0.5 * d1 * d1));
}

// A batch of one: the kernel is the single implementation (see bsGreeksBatch.ts).
const one = newBsBatch(1);

/**
 * Price, delta, gamma, vega into `out` (hot path, no validation, no allocation). Loops over
 * many series should call bsGreeksBatch directly: about half the cost per series.
 */
export function bsPriceDeltaGammaVega(
  kind: OptionKind, spot: number, strike: number, years: number, vol: number, rate: number, carry: number,
  out: PriceDeltaGammaVega,
): PriceDeltaGammaVega {
  const { input, output } = one;
  input.isCall[0] = kind === 'call' ? 1 : 0;
  input.spot[0] = spot;
  input.strike[0] = strike;
  input.years[0] = years;
  input.vol[0] = vol;
  bsGreeksBatch(1, input, rate, carry, output);
  out.price = output.price[0] as number;
  out.delta = output.delta[0] as number;
  out.gamma = output.gamma[0] as number;
  out.vega = output.vega[0] as number;
  return out;
}

function checkInputs(spot: number, strike: number, years: number, vol: number, rate: number, carry: number): void {
  if (!(spot > 0 && Number.isFinite(spot))) throw new Error(`spot must be a positive finite number, got ${spot}`);
  if (!(strike > 0 && Number.isFinite(strike))) throw new Error(`strike must be a positive finite number, got ${strike}`);
  if (!(years >= 0 && Number.isFinite(years))) throw new Error(`years to expiry must be >= 0 and finite, got ${years}`);
  if (!(vol >= 0 && Number.isFinite(vol))) throw new Error(`vol must be >= 0 and finite, got ${vol}`);
  if (!Number.isFinite(rate)) throw new Error(`rate must be finite, got ${rate}`);
  if (!Number.isFinite(carry)) throw new Error(`carry must be finite, got ${carry}`);
  // Discount factors must stay inside double range, or prices overflow.
  if (Math.abs(rate * years) > 700 || Math.abs(carry * years) > 700) {
    throw new Error(`rate*years and carry*years must stay within +-700, got ${rate * years}, ${carry * years}`);
  }
}

/** All six BSM greeks of a call or put, validated (throws on bad inputs). */
export function blackScholes(
  kind: OptionKind, spot: number, strike: number, years: number, vol: number, rate = 0, carry = 0,
): OptionGreeks {
  if (kind !== 'call' && kind !== 'put') throw new Error(`option kind must be 'call' or 'put', got '${String(kind)}'`);
  checkInputs(spot, strike, years, vol, rate, carry);
  const w = kind === 'call' ? 1 : -1;
  const sqrtT = Math.sqrt(years);
  const stdDev = vol * sqrtT;
  const sDf = spot * Math.exp(-carry * years);
  const kDf = strike * Math.exp(-rate * years);
  if (!(stdDev > MIN_STDDEV)) {
    // Limit vol*sqrt(T) -> 0: discounted intrinsic of the forward, a delta step, no gamma/vega.
    const itm = w * (sDf - kDf) > 0;
    return {
      price: itm ? w * (sDf - kDf) : 0,
      delta: itm ? (w * sDf) / spot : 0,
      gamma: 0,
      vega: 0,
      theta: itm ? w * (carry * sDf - rate * kDf) : 0,
      rho: itm ? w * kDf * years : 0,
    };
  }
  const d1 = Math.log(sDf / kDf) / stdDev + 0.5 * stdDev;
  const d2 = d1 - stdDev;
  const n1 = normalCdf(w * d1);
  const n2 = normalCdf(w * d2);
  const pdf1 = INV_SQRT_2PI * Math.exp(-0.5 * d1 * d1);
  const price = w * (sDf * n1 - kDf * n2);
  return {
    price: price > 0 ? price : 0,
    delta: (w * sDf * n1) / spot,
    gamma: (sDf * pdf1) / (spot * spot * stdDev),
    vega: sDf * pdf1 * sqrtT,
    // -dV/dT: time decay of the diffusion part, minus the carry of the two legs.
    theta: -(sDf * pdf1 * vol) / (2 * sqrtT) - w * rate * kDf * n2 + w * carry * sDf * n1,
    rho: w * kDf * years * n2,
  };
}
