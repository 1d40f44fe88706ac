import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandsSchema } from '../../../src/cli/config/configSchema.ts';
import {
  applyPolicy, FIXED_DEFAULT, parsePolicy, parsePolicyList, policyLabel, PolicyError, type BacktestPolicy,
} from '../../../src/engine/backtest/backtestPolicy.ts';
import { testConfig } from '../../fixtures/vaults.ts';

describe('parsePolicy', () => {
  it('reads every form', () => {
    expect(parsePolicy('config')).toEqual({ kind: 'config' });
    expect(parsePolicy('time:60')).toEqual({ kind: 'time', minutes: 60 });
    expect(parsePolicy('time:0.5')).toEqual({ kind: 'time', minutes: 0.5 });
    expect(parsePolicy('band')).toEqual({ kind: 'band', hedgeBtc: null });
    expect(parsePolicy('band:0.75')).toEqual({ kind: 'band', hedgeBtc: 0.75 });
    expect(parsePolicy('move:1')).toEqual({ kind: 'move', pct: 1 });
    expect(parsePolicy('ww')).toEqual({ kind: 'ww', riskAversion: null });
    expect(parsePolicy('WW:0.001')).toEqual({ kind: 'ww', riskAversion: 0.001 });
    expect(parsePolicy('zakamouline')).toEqual({ kind: 'zakamouline', riskAversion: null });
  });

  it('reads a lean mode alone (the config policy) or after a hedging policy', () => {
    expect(parsePolicy('lean:off')).toEqual({ kind: 'config', leanMode: 'off' });
    expect(parsePolicy('ww+lean:fixed')).toEqual({ kind: 'ww', riskAversion: null, leanMode: 'fixed' });
    expect(parsePolicy('lean:costbounded + band:2')).toEqual({ kind: 'band', hedgeBtc: 2, leanMode: 'costBounded' });
    expect(parsePolicyList('lean:off,lean:fixed,lean:costBounded').map(policyLabel)).toEqual(['lean:off', 'lean:fixed', 'lean:costBounded']);
    for (const bad of ['lean:wide', 'lean', 'ww+band', 'lean:off+lean:fixed']) expect(() => parsePolicy(bad), bad).toThrow(PolicyError);
  });

  it('refuses nonsense with a PolicyError that names the accepted forms', () => {
    for (const bad of ['', 'hourly', 'time', 'time:', 'time:0', 'time:-1', 'time:abc', 'move', 'move:0', 'move:101', 'band:0', 'band:-1', 'ww:0', 'config:1', 'time:1e999']) {
      expect(() => parsePolicy(bad), bad).toThrow(PolicyError);
    }
    expect(() => parsePolicy('hourly')).toThrow(/time:<minutes>/);
    expect(() => parsePolicyList('band,band')).toThrow(/twice/);
    expect(() => parsePolicyList(' , ')).toThrow(PolicyError);
    expect(parsePolicyList('time:60, band ,ww').map(policyLabel)).toEqual(['time:60', 'band', 'ww']);
  });

  it('labels parse back to the same policy', () => {
    const policy: fc.Arbitrary<BacktestPolicy> = fc.oneof(
      fc.constant({ kind: 'config' as const }),
      fc.integer({ min: 1, max: 10_000 }).map((m) => ({ kind: 'time' as const, minutes: m })),
      fc.option(fc.double({ min: 0.001, max: 100, noNaN: true }), { nil: null }).map((h) => ({ kind: 'band' as const, hedgeBtc: h })),
      fc.double({ min: 0.001, max: 100, noNaN: true }).map((pct) => ({ kind: 'move' as const, pct })),
      fc.option(fc.double({ min: 1e-6, max: 10, noNaN: true }), { nil: null }).map((r) => ({ kind: 'ww' as const, riskAversion: r })),
    );
    const lean = fc.constantFrom('off' as const, 'fixed' as const, 'costBounded' as const, undefined);
    const withLean = fc.tuple(policy, lean).map(([p, l]): BacktestPolicy => (l === undefined ? p : { ...p, leanMode: l }));
    fc.assert(fc.property(withLean, (p) => { expect(parsePolicy(policyLabel(p))).toEqual(p); }));
  });
});

describe('applyPolicy', () => {
  const cfg = testConfig({ cooldownMs: 15 * 60_000, bands: { kind: 'percentGross', quotePct: 0.1, hedgePct: 0.2, reentryPct: 0.05, hardPct: 0.4, minHedgeBtc: 1 } });

  it('time: hedges on the clock and caps the cooldown at the interval', () => {
    const c = applyPolicy(cfg, parsePolicy('time:5'), null, 5);
    expect(c.trigger).toEqual({ kind: 'time', everyMs: 300_000 });
    expect(c.cooldownMs).toBe(300_000);
    expect(c.bands).toEqual(cfg.bands);
    expect(applyPolicy(cfg, parsePolicy('time:60'), null, 5).cooldownMs).toBe(15 * 60_000);
  });

  it('band: keeps a fixed config band, else the default; band:h scales a valid band from h', () => {
    expect(applyPolicy(cfg, parsePolicy('band'), null, 5).bands).toEqual(FIXED_DEFAULT);
    const fixed = testConfig();
    expect(applyPolicy(fixed, parsePolicy('band'), null, 5).bands).toEqual(fixed.bands);
    fc.assert(fc.property(fc.double({ min: 0.001, max: 1000, noNaN: true }), (h) => {
      const b = applyPolicy(cfg, { kind: 'band', hedgeBtc: h }, null, 5);
      expect(b.trigger).toEqual({ kind: 'band' });
      expect(bandsSchema.safeParse(b.bands).success).toBe(true);
    }));
  });

  it('move, ww, zakamouline and the target', () => {
    expect(applyPolicy(cfg, parsePolicy('move:2'), null, 5).trigger).toEqual({ kind: 'move', movePct: 0.02 });
    const ww = applyPolicy(cfg, parsePolicy('ww:0.002'), 'edge', 7);
    expect(ww.bands).toMatchObject({ kind: 'whalleyWilmott', costBps: 7, riskAversion: 0.002 });
    expect(ww.hedgeTarget).toBe('bandEdge');
    expect(bandsSchema.safeParse(ww.bands).success).toBe(true);
    // A gamma band in the config keeps its parameters when switching formula.
    const z = applyPolicy({ ...cfg, bands: { kind: 'whalleyWilmott', costBps: 3, riskAversion: 0.01, quoteFraction: 0.4, reentryFraction: 0.2, hardMultiple: 3, minHedgeBtc: 0.1 } }, parsePolicy('zakamouline'), 'zero', 5);
    expect(z.bands).toEqual({ kind: 'zakamouline', costBps: 3, riskAversion: 0.01, quoteFraction: 0.4, reentryFraction: 0.2, hardMultiple: 3, minHedgeBtc: 0.1 });
    expect(z.hedgeTarget).toBe('zero');
    expect(applyPolicy(cfg, parsePolicy('config'), null, 5)).toEqual(cfg);
  });

  it('a lean mode overrides the quote config only', () => {
    const c = applyPolicy(cfg, parsePolicy('band+lean:off'), null, 5);
    expect(c.quote).toEqual({ ...cfg.quote, leanMode: 'off' });
    expect(c.bands).toEqual(applyPolicy(cfg, parsePolicy('band'), null, 5).bands);
  });
});
