// No-trade bands for delta hedging under proportional costs (formulas and golden values in
// shared/research/hedging-theory.md).
// Inputs (BandInput): spot USD; gamma = the position's d(delta)/dS in units of underlying per USD
// (BTC per USD for a BTC book); tau years to expiry; lambda = one-way
// proportional cost lambda (5 bps = 0.0005); riskAversion = absolute risk aversion, 1/USD;
// vol and rate annualised. Every half-width is in units of underlying (BTC).
// Guards: where a formula is undefined (tau <= 0, zero or invalid gamma, vol or risk
// aversion, non-finite input) the band is 0 (hedge exactly) and a modified vol equals the
// input vol; nothing returns NaN or Infinity.

export interface BandInput {
  spot: number;
  gamma: number;
  tau: number;
  vol: number;
  rate: number;
  lambda: number;
  riskAversion: number;
}

// Plain functions, no rest arrays: these run once per step in Monte Carlo loops.
function isPositive(x: number): boolean {
  return x > 0 && x < Number.POSITIVE_INFINITY;
}
function allFinite(p: BandInput): boolean {
  return Number.isFinite(p.spot) && Number.isFinite(p.gamma) && Number.isFinite(p.tau) && Number.isFinite(p.vol)
    && Number.isFinite(p.rate) && Number.isFinite(p.lambda) && Number.isFinite(p.riskAversion);
}

/** Whalley-Wilmott half-width H = (3 e^{-r tau} lambda S Gamma^2 / (2 gamma_risk))^{1/3}. */
export function whalleyWilmottHalfWidth(p: Omit<BandInput, 'vol'>): number {
  if (!isPositive(p.tau) || !isPositive(p.spot) || !isPositive(p.lambda) || !isPositive(p.riskAversion)) return 0;
  if (p.gamma === 0 || !Number.isFinite(p.gamma) || !Number.isFinite(p.rate)) return 0;
  const inner = (3 * Math.exp(-p.rate * p.tau) * p.lambda * p.spot * p.gamma * p.gamma) / (2 * p.riskAversion);
  const h = Math.cbrt(inner);
  return Number.isFinite(h) ? h : 0;
}

/** Zakamouline's cost-driven term H0 = lambda / (gamma_risk S sigma^2 tau). */
export function zakamoulineH0(p: Omit<BandInput, 'gamma' | 'rate'>): number {
  if (!isPositive(p.tau) || !isPositive(p.spot) || !isPositive(p.vol) || !isPositive(p.riskAversion)) return 0;
  if (!(p.lambda > 0) || !Number.isFinite(p.lambda)) return 0;
  const h0 = p.lambda / (p.riskAversion * p.spot * p.vol * p.vol * p.tau);
  return Number.isFinite(h0) ? h0 : 0;
}

/** Hw = 1.12 lambda^0.31 tau^0.05 (e^{-r tau}/sigma)^0.25 (|Gamma|/gamma_risk)^0.5. */
export function zakamoulineHw(p: Omit<BandInput, 'spot'>): number {
  if (!isPositive(p.tau) || !isPositive(p.vol) || !isPositive(p.riskAversion)) return 0;
  if (!(p.lambda > 0) || !Number.isFinite(p.lambda) || !Number.isFinite(p.gamma) || !Number.isFinite(p.rate)) return 0;
  const hw = 1.12 * p.lambda ** 0.31 * p.tau ** 0.05
    * (Math.exp(-p.rate * p.tau) / p.vol) ** 0.25
    * Math.sqrt(Math.abs(p.gamma) / p.riskAversion);
  return Number.isFinite(hw) ? hw : 0;
}

/** Kz = -4.76 lambda^0.78 tau^-0.02 (e^{-r tau}/sigma)^0.25 (gamma_risk S^2 |Gamma|)^0.15. */
export function zakamoulineKz(p: BandInput): number {
  if (!isPositive(p.tau) || !isPositive(p.vol) || !isPositive(p.riskAversion) || !isPositive(p.spot)) return 0;
  if (!(p.lambda > 0) || !Number.isFinite(p.lambda) || !Number.isFinite(p.gamma) || !Number.isFinite(p.rate)) return 0;
  const kz = -4.76 * p.lambda ** 0.78 * p.tau ** -0.02
    * (Math.exp(-p.rate * p.tau) / p.vol) ** 0.25
    * (p.riskAversion * p.spot * p.spot * Math.abs(p.gamma)) ** 0.15;
  return Number.isFinite(kz) ? kz : 0;
}

/**
 * Zakamouline's modified vol: sigma_m^2 = sigma^2 (1 - Kz) for a short option position,
 * sigma^2 (1 + Kz) for a long one (Kz < 0, so a short book hedges at a higher vol). The
 * factor is floored at 0, so the result is never NaN.
 */
export function zakamoulineVol(vol: number, kz: number, short: boolean): number {
  if (!Number.isFinite(vol) || vol <= 0 || !Number.isFinite(kz)) return Math.max(0, vol) || 0;
  return vol * Math.sqrt(Math.max(0, short ? 1 - kz : 1 + kz));
}

export interface ZakamoulineBand {
  /** H0 + Hw, units of underlying. */
  halfWidth: number;
  h0: number;
  hw: number;
  kz: number;
  /** Vol at which the band centre (the BS delta) is computed. */
  modifiedVolPerYear: number;
}

/** The whole Zakamouline band: centre Delta_BS(sigma_m), half-width H0 + Hw. */
export function zakamoulineBand(p: BandInput, short: boolean): ZakamoulineBand {
  if (!allFinite(p)) {
    return { halfWidth: 0, h0: 0, hw: 0, kz: 0, modifiedVolPerYear: isPositive(p.vol) ? p.vol : 0 };
  }
  if (!isPositive(p.tau) || !isPositive(p.spot) || !isPositive(p.vol) || !isPositive(p.riskAversion) || !isPositive(p.lambda)) {
    return { halfWidth: 0, h0: 0, hw: 0, kz: 0, modifiedVolPerYear: isPositive(p.vol) ? p.vol : 0 };
  }
  // The same formulas as zakamoulineH0/Hw/Kz, fused in log space (4 logs and 2 exps instead of
  // 8 pows): this runs once per step and path in the Monte Carlo study.
  const h0 = p.lambda / (p.riskAversion * p.spot * p.vol * p.vol * p.tau);
  const lnLambda = Math.log(p.lambda);
  const lnTau = Math.log(p.tau);
  const lnA = -p.rate * p.tau - Math.log(p.vol);
  const absGamma = Math.abs(p.gamma);
  const hw = 1.12 * Math.exp(0.31 * lnLambda + 0.05 * lnTau + 0.25 * lnA) * Math.sqrt(absGamma / p.riskAversion);
  const kz = absGamma === 0 ? 0
    : -4.76 * Math.exp(0.78 * lnLambda - 0.02 * lnTau + 0.25 * lnA + 0.15 * Math.log(p.riskAversion * p.spot * p.spot * absGamma));
  if (!Number.isFinite(h0) || !Number.isFinite(hw) || !Number.isFinite(kz)) {
    return { halfWidth: 0, h0: 0, hw: 0, kz: 0, modifiedVolPerYear: p.vol };
  }
  return { halfWidth: h0 + hw, h0, hw, kz, modifiedVolPerYear: zakamoulineVol(p.vol, kz, short) };
}

/** Zakamouline half-width H0 + Hw alone (the band a vault uses around its delta). */
export function zakamoulineHalfWidth(p: BandInput): number {
  return zakamoulineBand(p, true).halfWidth;
}

/**
 * Leland (1985) adjusted vol for hedging every dtYears: sigma_L^2 = sigma^2 (1 +/- Le),
 * Le = sqrt(8/pi) lambda / (sigma sqrt(dt)); + for a short-option book. Floored at 0.
 */
export function lelandVol(vol: number, lambda: number, dtYears: number, short: boolean): number {
  if (!isPositive(vol) || !isPositive(dtYears) || !(lambda >= 0) || !Number.isFinite(lambda)) {
    return Number.isFinite(vol) && vol > 0 ? vol : 0;
  }
  const le = (Math.sqrt(8 / Math.PI) * lambda) / (vol * Math.sqrt(dtYears));
  return vol * Math.sqrt(Math.max(0, short ? 1 + le : 1 - le));
}

/**
 * The gamma Whalley-Wilmott's formula should see when option flow moves delta too (issue 17).
 * WW's band balances the rate of hedge cost, lambda S sigma_D^2 / H, against the rate of risk,
 * gamma_risk sigma^2 S^2 H^2, where sigma_D^2 is the variance rate of the vault's delta; WW takes
 * sigma_D^2 = Gamma^2 sigma^2 S^2 (delta moves only because spot does). With taker fills moving
 * delta at q BTC^2 per year on top, sigma_D^2 = Gamma^2 sigma^2 S^2 + q and the formula keeps
 * its shape with Gamma^2 -> Gamma^2 + q / (sigma^2 S^2). Returns that effective |Gamma|.
 * q comes from flowDeltaVariance, which needs per-vault state the machine does not keep yet.
 */
export function flowAdjustedGamma(gamma: number, flowVarBtc2PerYear: number, spot: number, vol: number): number {
  if (!isPositive(spot) || !isPositive(vol) || !(flowVarBtc2PerYear > 0) || !Number.isFinite(flowVarBtc2PerYear)) return Math.abs(gamma);
  return Math.sqrt(gamma * gamma + flowVarBtc2PerYear / (vol * vol * spot * spot));
}

/** Running estimate of the variance rate of delta moved by option fills, BTC^2 per year. */
export interface FlowDeltaVariance { varBtc2PerYear: number; lastAt: number }

/**
 * Folds one fill's delta change (BTC, the fill's own: signed qty x option delta) into an
 * exponentially weighted estimate of q: each fill adds its square, spread over the time since
 * the previous fill, weights halving every halfLifeMs. Pure; the machine would keep the state.
 */
export function flowDeltaVariance(prev: FlowDeltaVariance | null, fillDeltaBtc: number, at: number, halfLifeMs: number): FlowDeltaVariance {
  if (!(halfLifeMs > 0)) throw new RangeError(`halfLifeMs must be > 0, got ${halfLifeMs}`);
  if (prev === null || !(at > prev.lastAt)) return { varBtc2PerYear: prev?.varBtc2PerYear ?? 0, lastAt: Math.max(at, prev?.lastAt ?? at) };
  const dtMs = at - prev.lastAt;
  const w = 2 ** (-dtMs / halfLifeMs);
  const rate = (fillDeltaBtc * fillDeltaBtc) / (dtMs / (365 * 86_400_000));
  return { varBtc2PerYear: w * prev.varBtc2PerYear + (1 - w) * rate, lastAt: at };
}
