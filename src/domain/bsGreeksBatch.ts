// Black-Scholes-Merton price, delta, gamma and vega over struct-of-arrays inputs: the one
// implementation behind bsPriceDeltaGammaVega (a batch of one) and the kernel a book or a
// benchmark runs over thousands of series. Units as in blackScholes.ts: prices in the spot's
// currency (USD), years ACT/365, vol/rate/carry annualised decimals; delta per 1 of spot,
// gamma per spot^2, vega per 1.00 of vol.
//
// Why it is shaped like this (each choice checked on the pricing benchmark):
// - The normal CDF is Cody's, as normalCdfFromPdf in normalCdf.ts (~1e-15 relative), written
//   out inline: calling the same rationals as inlined functions was slower, and a
//   non-inlined call (V8's inlining budget ran out before the second CDF) boxes every double
//   argument. Both CDFs share that one copy of the code in a two-pass inner loop.
// - Cody's coefficients are module-level consts copied from CODY_ERF: used as imported
//   bindings, each read goes through a module cell.
// - d1 comes from log(S/K) + (r - q)T, so exp(-rT) is off the critical path (it is only
//   needed for the price), and exps are expFast (Math.exp is a C call).
// - Each CDF reuses its pdf: phi(d2) = phi(d1) F/K, so there is one exponential for both.
import { expFast } from './expFast.ts';
import { CODY_ERF } from './normalCdf.ts';

const {
  A0, A1, A2, A3, A4, B0, B1, B2, B3, C0, C1, C2, C3, C4, C5, C6, C7, C8, D0, D1, D2, D3, D4, D5, D6, D7,
  P0, P1, P2, P3, P4, P5, Q0, Q1, Q2, Q3, Q4, INV_SQRT_PI, INV_SQRT2, INV_SQRT_2PI, HALF_SQRT_2PI, ERF_BREAK,
} = CODY_ERF;

/**
 * Below this total standard deviation vol*sqrt(T) the option is priced at its limit
 * (discounted intrinsic of the forward): keeps gamma = phi/(S vol sqrt T) finite.
 */
export const MIN_STDDEV = 1e-150;
/** |x| beyond which Phi(x) is 0 or 1 in double precision (erfc(27.3) underflows). */
const CDF_SATURATE = 38.5;

/** One row per series; isCall is 1 for a call, 0 for a put. */
export interface BsBatchInput {
  readonly isCall: Uint8Array;
  readonly spot: Float64Array;
  readonly strike: Float64Array;
  readonly years: Float64Array;
  readonly vol: Float64Array;
}

export interface BsBatchOutput {
  readonly price: Float64Array;
  readonly delta: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
}

/** Allocates the outputs of `size` series. */
export function newBsBatchOutput(size: number): BsBatchOutput {
  return { price: new Float64Array(size), delta: new Float64Array(size), gamma: new Float64Array(size), vega: new Float64Array(size) };
}

/** Allocates inputs and outputs for `size` series. */
export function newBsBatch(size: number): { input: BsBatchInput; output: BsBatchOutput } {
  return {
    input: {
      isCall: new Uint8Array(size), spot: new Float64Array(size), strike: new Float64Array(size),
      years: new Float64Array(size), vol: new Float64Array(size),
    },
    output: newBsBatchOutput(size),
  };
}

/**
 * Price, delta, gamma, vega of series 0..count-1 at one rate and carry (hot path: no
 * validation, no allocation). Expiry or zero vol gives the discounted intrinsic of the
 * forward with a delta step and zero gamma and vega.
 */
export function bsGreeksBatch(count: number, input: BsBatchInput, rate: number, carry: number, output: BsBatchOutput): void {
  for (let from = 0; from < count; from += CHUNK_ROWS) greeksRows(from, Math.min(count, from + CHUNK_ROWS), input, rate, carry, output);
}

/**
 * Rows per call of the loop below. V8 optimizes a function first met in a long loop by
 * on-stack replacement and then may never compile it normally: calls kept running the slower
 * OSR'd loop or, for a batch of one, the interpreter. Short calls get a normal compile, for
 * the price of one call per chunk.
 */
const CHUNK_ROWS = 32;

function greeksRows(from: number, to: number, input: BsBatchInput, rate: number, carry: number, output: BsBatchOutput): void {
  const { isCall, spot: spots, strike: strikes, years: yearsIn, vol: vols } = input;
  const { price: prices, delta: deltas, gamma: gammas, vega: vegas } = output;
  const drift = rate - carry;
  for (let i = from; i < to; i++) {
    const w = isCall[i] === 1 ? 1 : -1;
    const spot = spots[i] as number, strike = strikes[i] as number, years = yearsIn[i] as number;
    const sqrtT = Math.sqrt(years);
    const stdDev = (vols[i] as number) * sqrtT;
    // Skipping exp(0) matters: the body is a handful of transcendental calls.
    const dfq = carry === 0 ? 1 : expFast(-carry * years);
    const sDf = spot * dfq;
    const kDf = rate === 0 ? strike : strike * expFast(-rate * years);
    if (!(stdDev > MIN_STDDEV)) {
      const itm = w * (sDf - kDf) > 0;
      prices[i] = itm ? w * (sDf - kDf) : 0;
      deltas[i] = itm ? w * dfq : 0;
      gammas[i] = 0;
      vegas[i] = 0;
      continue;
    }
    const invStdDev = 1 / stdDev;
    const d1 = (Math.log(spot / strike) + drift * years) * invStdDev + 0.5 * stdDev;
    const d2 = d1 - stdDev;
    const pdf1 = INV_SQRT_2PI * expFast(-0.5 * d1 * d1);
    // phi(d2) = phi(d1) F/K exactly; recompute only if phi(d1) has underflowed.
    const pdf2 = pdf1 > 1e-290 ? pdf1 * (sDf / kDf) : INV_SQRT_2PI * expFast(-0.5 * d2 * d2);
    let n1 = 0, n2 = 0;
    for (let pass = 0; pass < 2; pass++) {
      // Phi(x) from its pdf, as normalCdfFromPdf: x = w d1, then x = w d2.
      const x = pass === 0 ? w * d1 : w * d2;
      const ax = Math.abs(x);
      const ay = ax * INV_SQRT2;
      let cdf: number;
      if (ay <= ERF_BREAK) {
        // 0.5 erfc(y) = 0.5 - 0.5 erf(y), y = -x/sqrt2: Cody's first interval.
        const y = -x * INV_SQRT2;
        const z = y * y;
        cdf = 0.5 - (0.5 * (y * ((((A4 * z + A0) * z + A1) * z + A2) * z + A3))) / ((((z + B0) * z + B1) * z + B2) * z + B3);
      } else if (ax > CDF_SATURATE) {
        cdf = x > 0 ? 1 : 0;
      } else {
        // erfcx(ay) from Cody's second (ay <= 4) or third interval; the tail Phi(-|x|) from the pdf.
        let erfcx: number;
        if (ay <= 4) {
          erfcx = ((((((((C8 * ay + C0) * ay + C1) * ay + C2) * ay + C3) * ay + C4) * ay + C5) * ay + C6) * ay + C7)
            / ((((((((ay + D0) * ay + D1) * ay + D2) * ay + D3) * ay + D4) * ay + D5) * ay + D6) * ay + D7);
        } else {
          const z = 1 / (ay * ay);
          erfcx = (INV_SQRT_PI - (z * (((((P5 * z + P0) * z + P1) * z + P2) * z + P3) * z + P4))
            / (((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4)) / ay;
        }
        const tail = HALF_SQRT_2PI * erfcx * (pass === 0 ? pdf1 : pdf2);
        cdf = x > 0 ? 1 - tail : tail;
      }
      if (pass === 0) n1 = cdf;
      else n2 = cdf;
    }
    const price = w * (sDf * n1 - kDf * n2);
    prices[i] = price > 0 ? price : 0; // rounding can leave -1e-17 deep OTM
    deltas[i] = w * dfq * n1;
    gammas[i] = (dfq * pdf1 * invStdDev) / spot;
    vegas[i] = sDf * pdf1 * sqrtT;
  }
}
