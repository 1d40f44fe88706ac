// Standard normal CDF and pdf in double precision. The CDF follows W. J. Cody's rational
// Chebyshev approximations for erf/erfc (CALERF, Math. Comp. 23, 1969), about 1e-15 relative,
// including the far left tail where Abramowitz-Stegun 26.2.17 is off by ~1% (deep OTM prices).
// exp(-x^2/2) is split as exp(-z^2/2) * exp(-(x-z)(x+z)/2) with z = x rounded to 1/16, so the
// rounding error of x^2 does not grow with |x| in the tail.
/* eslint-disable no-loss-of-precision -- Cody's published 18-digit coefficients and 20-digit
   constants: rounding them to the nearest double is intended. */

const A0 = 3.16112374387056560e0, A1 = 1.13864154151050156e2, A2 = 3.77485237685302021e2;
const A3 = 3.20937758913846947e3, A4 = 1.85777706184603153e-1;
const B0 = 2.36012909523441209e1, B1 = 2.44024637934444173e2, B2 = 1.28261652607737228e3;
const B3 = 2.84423683343917062e3;
const C0 = 5.64188496988670089e-1, C1 = 8.88314979438837594e0, C2 = 6.61191906371416295e1;
const C3 = 2.98635138197400131e2, C4 = 8.81952221241769090e2, C5 = 1.71204761263407058e3;
const C6 = 2.05107837782607147e3, C7 = 1.23033935479799725e3, C8 = 2.15311535474403846e-8;
const D0 = 1.57449261107098347e1, D1 = 1.17693950891312499e2, D2 = 5.37181101862009858e2;
const D3 = 1.62138957456669019e3, D4 = 3.29079923573345963e3, D5 = 4.36261909014324716e3;
const D6 = 3.43936767414372164e3, D7 = 1.23033935480374942e3;
const P0 = 3.05326634961232344e-1, P1 = 3.60344899949804439e-1, P2 = 1.25781726111229246e-1;
const P3 = 1.60837851487422766e-2, P4 = 6.58749161529837803e-4, P5 = 1.63153871373020978e-2;
const Q0 = 2.56852019228982242e0, Q1 = 1.87295284992346047e0, Q2 = 5.27905102951428412e-1;
const Q3 = 6.05183413124413191e-2, Q4 = 2.33520497626869185e-3;

const INV_SQRT_PI = 0.56418958354775628695;
const INV_SQRT2 = 0.70710678118654752440;
export const INV_SQRT_2PI = 0.39894228040143267794;
/** |y| <= ERF_BREAK uses the erf series; beyond it the erfc forms. */
const ERF_BREAK = 0.46875;
/** sqrt(2 pi)/2: Phi(-|x|) = HALF_SQRT_2PI * erfcx(|x|/sqrt2) * phi(x). */
const HALF_SQRT_2PI = 1.25331413731550025121;

/**
 * Cody's coefficients and constants, for a hot loop that writes the rationals inline (the
 * greeks kernel). Copy them into module-level consts there: V8 reads an imported binding
 * through its module cell on every use, which slowed the kernel markedly.
 */
export const CODY_ERF = Object.freeze({
  A0, A1, A2, A3, A4, B0, B1, B2, B3, C0, C1, C2, C3, C4, C5, C6, C7, C8, D0, D1, D2, D3, D4, D5, D6, D7,
  P0, P1, P2, P3, P4, P5, Q0, Q1, Q2, Q3, Q4, INV_SQRT_PI, INV_SQRT2, INV_SQRT_2PI, HALF_SQRT_2PI, ERF_BREAK,
});

/** erf(y) for |y| <= 0.46875 (Cody's first interval). */
function erfSmall(y: number): number {
  const z = y * y;
  const num = (((A4 * z + A0) * z + A1) * z + A2) * z + A3;
  const den = (((z + B0) * z + B1) * z + B2) * z + B3;
  return (y * num) / den;
}

/** erfcx(y) = exp(y^2) erfc(y) for y > 0.46875 (Cody's second and third intervals). */
function erfcxLarge(y: number): number {
  if (y <= 4) {
    const num = (((((((C8 * y + C0) * y + C1) * y + C2) * y + C3) * y + C4) * y + C5) * y + C6) * y + C7;
    const den = (((((((y + D0) * y + D1) * y + D2) * y + D3) * y + D4) * y + D5) * y + D6) * y + D7;
    return num / den;
  }
  const z = 1 / (y * y);
  const num = ((((P5 * z + P0) * z + P1) * z + P2) * z + P3) * z + P4;
  const den = ((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4;
  return (INV_SQRT_PI - (z * num) / den) / y;
}

/** Scaled complementary error function exp(y^2) erfc(y), for y >= 0 (no overflow, no underflow). */
export function erfcxNonNeg(y: number): number {
  if (y <= ERF_BREAK) return Math.exp(y * y) * (1 - erfSmall(y));
  return erfcxLarge(y);
}

/** Complementary error function erfc(y) for any real y. */
export function erfc(y: number): number {
  const ay = Math.abs(y);
  if (ay <= ERF_BREAK) return 1 - erfSmall(y);
  if (ay > 27.3) return y > 0 ? 0 : 2; // erfc(27.3) < 1e-325 underflows anyway
  const z = Math.trunc(ay * 16) / 16;
  const tail = erfcxLarge(ay) * Math.exp(-z * z) * Math.exp(-(ay - z) * (ay + z));
  return y > 0 ? tail : 2 - tail;
}

/** Standard normal CDF Phi(x). Relative accuracy ~1e-15 on both sides; 0 below -38.5. */
export function normalCdf(x: number): number {
  const y = -x * INV_SQRT2; // Phi(x) = erfc(y) / 2
  if (y <= ERF_BREAK && y >= -ERF_BREAK) return 0.5 - 0.5 * erfSmall(y);
  const ax = Math.abs(x);
  if (ax > 38.5) return x > 0 ? 1 : 0; // also keeps +-Infinity away from the split below
  const z = Math.trunc(ax * 16) / 16; // exact square: z has at most 4 fractional bits
  const tail = 0.5 * erfcxLarge(ax * INV_SQRT2) * Math.exp(-0.5 * z * z) * Math.exp(-0.5 * (ax - z) * (ax + z));
  return x > 0 ? 1 - tail : tail;
}

/** Standard normal density phi(x) = exp(-x^2/2)/sqrt(2 pi); 0 for |x| = Infinity. */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

// P. J. Acklam's rational approximation of the inverse normal CDF (relative error ~1.2e-9):
// good enough for starting points of iterative solvers, not for final answers.
const IA = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const IB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const IC = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const ID = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/** Approximate inverse of normalCdf (~1e-9 relative) for 0 < p < 1; -Infinity/Infinity at 0/1. */
export function normalInvApprox(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const v = (((((IC[0] * q + IC[1]) * q + IC[2]) * q + IC[3]) * q + IC[4]) * q + IC[5]) /
      ((((ID[0] * q + ID[1]) * q + ID[2]) * q + ID[3]) * q + 1);
    return p < P_LOW ? v : -v;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((IA[0] * r + IA[1]) * r + IA[2]) * r + IA[3]) * r + IA[4]) * r + IA[5]) * q) /
    (((((IB[0] * r + IB[1]) * r + IB[2]) * r + IB[3]) * r + IB[4]) * r + 1);
}

/**
 * Phi(x) given pdf = normalPdf(x) already computed (hot paths: greeks need both, and this
 * saves the two exponentials of normalCdf). Relative error ~1e-15 * max(1, x^2/2) in the tail.
 */
export function normalCdfFromPdf(x: number, pdf: number): number {
  const y = -x * INV_SQRT2;
  if (y <= ERF_BREAK && y >= -ERF_BREAK) return 0.5 - 0.5 * erfSmall(y);
  const ax = Math.abs(x);
  if (ax > 38.5) return x > 0 ? 1 : 0;
  const tail = HALF_SQRT_2PI * erfcxLarge(ax * INV_SQRT2) * pdf;
  return x > 0 ? 1 - tail : tail;
}
