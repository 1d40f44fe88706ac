// Given/when/then: every band kind resolves, inside the machine, to sane widths for a real book
// (the short-call fixture: 10 short ATM calls, 30 days, 60% vol, delta about -5.3 BTC at 23,000).
import { describe, expect, it } from 'vitest';
import type { BandConfig } from '../../../machines/vault.types.ts';
import { shortCallVault, straddleVault } from '../../fixtures/vaults.ts';
import { VaultDriver } from './harness.ts';

const KINDS: Record<string, BandConfig> = {
  fixed: { kind: 'fixed', quoteBtc: 1, hedgeBtc: 3, reentryBtc: 0.5, hardBtc: 6 },
  percentGross: { kind: 'percentGross', quotePct: 0.1, hedgePct: 0.3, reentryPct: 0.05, hardPct: 0.6, minHedgeBtc: 0.5 },
  whalleyWilmott: { kind: 'whalleyWilmott', costBps: 5, riskAversion: 1e-4, quoteFraction: 0.5, reentryFraction: 0.2, hardMultiple: 2, minHedgeBtc: 0.1 },
  zakamouline: { kind: 'zakamouline', costBps: 5, riskAversion: 1e-4, quoteFraction: 0.5, reentryFraction: 0.2, hardMultiple: 2, minHedgeBtc: 0.1 },
};

describe('band kinds resolve to sane widths', () => {
  it.each(Object.keys(KINDS))('given %s bands and a real book, then 0 <= re-entry < quote < hedge < hard, finite, below the gross delta', (kind) => {
    const v = new VaultDriver(shortCallVault({ bands: KINDS[kind] as BandConfig })).tick(23_000);
    const b = v.ctx.bands;
    for (const x of Object.values(b)) expect(Number.isFinite(x)).toBe(true);
    expect(b.reentryBtc).toBeGreaterThanOrEqual(0);
    expect(b.reentryBtc).toBeLessThan(b.quoteBtc);
    expect(b.quoteBtc).toBeLessThan(b.hedgeBtc);
    expect(b.hedgeBtc).toBeLessThan(b.hardBtc);
    expect(b.hedgeBtc).toBeLessThan(v.ctx.greeks.grossBtc);
    // A book with |delta| 5.3 BTC against these bands hedges at once.
    expect(v.state).toBe('hedging');
  });

  it('given percentGross bands, then the hedge band is hedgePct of the gross delta', () => {
    const v = new VaultDriver(shortCallVault({ bands: KINDS.percentGross as BandConfig })).tick(23_000);
    expect(v.ctx.bands.hedgeBtc).toBeCloseTo(0.3 * v.ctx.greeks.grossBtc, 12);
    expect(v.ctx.bands.quoteBtc).toBeCloseTo(0.1 * v.ctx.greeks.grossBtc, 12);
  });

  it('given Whalley-Wilmott bands, then H = (3 e^{-r tau} lambda S Gamma^2 / (2 gamma_risk))^{1/3} from the book', () => {
    const v = new VaultDriver(shortCallVault({ bands: KINDS.whalleyWilmott as BandConfig })).tick(23_000);
    const g = v.ctx.greeks;
    const h = Math.cbrt((3 * 5e-4 * 23_000 * g.gamma * g.gamma) / (2 * 1e-4));
    expect(g.gamma).toBeLessThan(0); // short calls: negative gamma
    expect(v.ctx.bands.hedgeBtc).toBeCloseTo(h, 12);
    expect(h).toBeGreaterThan(0.1);
    expect(v.ctx.bands.reentryBtc).toBeCloseTo(0.2 * h, 12);
  });

  it('given gamma-scaled bands, when gamma grows (closer to expiry), then the band widens', () => {
    const early = new VaultDriver(straddleVault({ bands: KINDS.whalleyWilmott as BandConfig })).tick(23_000);
    const late = new VaultDriver(straddleVault({ bands: KINDS.whalleyWilmott as BandConfig }), Date.UTC(2023, 2, 29)).tick(23_000);
    expect(Math.abs(late.ctx.greeks.gamma)).toBeGreaterThan(Math.abs(early.ctx.greeks.gamma));
    expect(late.ctx.bands.hedgeBtc).toBeGreaterThan(early.ctx.bands.hedgeBtc);
  });

  it('given gamma-scaled bands and an empty book, then the hedge band falls back to its floor', () => {
    const v = new VaultDriver({ ...shortCallVault({ bands: KINDS.zakamouline as BandConfig }), book: [] }).tick(23_000);
    expect(v.ctx.bands.hedgeBtc).toBe(0.1);
    expect(v.state).toBe('neutral');
  });
});
