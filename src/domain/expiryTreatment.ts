// How a vault's hedge greeks treat a series close to its expiry (issue 17). The settlement and
// the hedge that offsets the delta it removes are one decision, in one of two modes:
//  - atSettlement: the series counts in full until it settles; the settlement hedges the delta
//    it removed (the machine's applyExpiry).
//  - glide: over the last `minutes` before expiry its greeks count with a weight falling
//    linearly from 1 to 0, so the perp takes its delta over gradually and the settlement
//    removes (almost) nothing.
// Pin risk: in both modes a series' greeks are computed as if at least pinMinutes were left
// (its time to expiry is floored there). Its delta stays a smooth function of spot instead of
// a step at the strike, and its gamma is capped at what it was pinMinutes before expiry, so the
// bands (which scale with gamma) and the hedges do not chase the pin. These are hedging greeks:
// option values (quotes, mark-to-model) use the true time to expiry.
// Units: minutes and unix ms; years ACT/365.

import { MS_PER_YEAR, yearsUntil } from './actYears.ts';

export type ExpiryConfig =
  | { mode: 'atSettlement'; pinMinutes: number }
  | { mode: 'glide'; minutes: number; pinMinutes: number };

export const MS_PER_MINUTE = 60_000;

/** Length of the glide, ms (0 in atSettlement mode). */
export function glideMs(cfg: ExpiryConfig): number {
  return cfg.mode === 'glide' ? cfg.minutes * MS_PER_MINUTE : 0;
}

/** Weight of a series expiring at expiryMs in the hedge greeks at nowMs: 1, or the glide's linear fall to 0 at expiry. */
export function expiryWeight(cfg: ExpiryConfig, expiryMs: number, nowMs: number): number {
  const g = glideMs(cfg);
  const left = expiryMs - nowMs;
  if (g > 0 && left < g) return left > 0 ? left / g : 0;
  return 1;
}

/** Years to expiry for the hedge greeks: the true time (0 once expired), floored at pinMinutes. */
export function hedgeYears(cfg: ExpiryConfig, expiryMs: number, nowMs: number): number {
  const t = yearsUntil(expiryMs, nowMs);
  const floor = (cfg.pinMinutes * MS_PER_MINUTE) / MS_PER_YEAR;
  return t > floor ? t : floor;
}

/** The window (ms before expiry) inside which a series is treated as expiring: the glide's, or the pin floor's. */
export function expiryWindowMs(cfg: ExpiryConfig): number {
  return Math.max(glideMs(cfg), cfg.pinMinutes * MS_PER_MINUTE);
}

/** Throws unless the treatment is usable. */
export function checkExpiryConfig(cfg: ExpiryConfig): void {
  if (!(cfg.pinMinutes >= 0 && Number.isFinite(cfg.pinMinutes))) throw new Error(`expiry: pinMinutes must be >= 0, got ${cfg.pinMinutes}`);
  if (cfg.mode === 'glide' && !(cfg.minutes > 0 && Number.isFinite(cfg.minutes))) throw new Error(`expiry: glide minutes must be > 0, got ${cfg.minutes}`);
}

/** No glide and no pin floor: plain Black-Scholes greeks up to expiry (a step at the strike after it). */
export const PLAIN_EXPIRY: ExpiryConfig = Object.freeze({ mode: 'atSettlement', pinMinutes: 0 });
