// Resolves a vault's band configuration into absolute band widths (BTC of delta) from the
// book's current greeks. Fixed bands ignore the book; percent bands scale with gross delta;
// Whalley-Wilmott and Zakamouline bands scale with gamma, cost and risk aversion.
import type { BandConfig, Bands } from './bandConfig.ts';
import { whalleyWilmottHalfWidth, zakamoulineHalfWidth } from './hedgeBands.ts';

export interface BandInputs {
  spotUsd: number;
  /** Book gamma, BTC of delta per USD. */
  gamma: number;
  /** Sum of |leg delta|, BTC. */
  grossBtc: number;
  /** Gamma-weighted time to expiry, years, and vol, per year. */
  tauYears: number;
  volPerYear: number;
  ratePerYear: number;
}

export function computeBands(cfg: BandConfig, inp: BandInputs): Bands {
  switch (cfg.kind) {
    case 'fixed':
      return { quoteBtc: cfg.quoteBtc, hedgeBtc: cfg.hedgeBtc, reentryBtc: cfg.reentryBtc, hardBtc: cfg.hardBtc };
    case 'percentGross': {
      const gross = Math.max(0, inp.grossBtc);
      const hedgeBtc = Math.max(cfg.minHedgeBtc, cfg.hedgePct * gross);
      const scale = hedgeBtc / Math.max(cfg.hedgePct, 1e-12);
      return {
        quoteBtc: cfg.quotePct * scale,
        hedgeBtc,
        reentryBtc: cfg.reentryPct * scale,
        hardBtc: cfg.hardPct * scale,
      };
    }
    case 'whalleyWilmott':
    case 'zakamouline': {
      const lambda = cfg.costBps / 1e4;
      const absGamma = Math.abs(inp.gamma);
      const raw =
        cfg.kind === 'whalleyWilmott'
          ? whalleyWilmottHalfWidth({ lambda, spot: inp.spotUsd, gamma: absGamma, tau: inp.tauYears, rate: inp.ratePerYear, riskAversion: cfg.riskAversion })
          : zakamoulineHalfWidth({ lambda, spot: inp.spotUsd, gamma: absGamma, tau: inp.tauYears, rate: inp.ratePerYear, riskAversion: cfg.riskAversion, vol: inp.volPerYear });
      const hedgeBtc = Math.max(cfg.minHedgeBtc, Number.isFinite(raw) ? raw : 0);
      return {
        quoteBtc: hedgeBtc * cfg.quoteFraction,
        hedgeBtc,
        reentryBtc: hedgeBtc * cfg.reentryFraction,
        hardBtc: hedgeBtc * cfg.hardMultiple,
      };
    }
  }
}
