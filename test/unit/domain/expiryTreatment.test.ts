import { describe, expect, it } from 'vitest';
import { MS_PER_YEAR } from '../../../src/domain/actYears.ts';
import { checkExpiryConfig, expiryWeight, expiryWindowMs, hedgeYears, PLAIN_EXPIRY } from '../../../src/domain/expiryTreatment.ts';

const E = Date.UTC(2023, 2, 17, 8);
const MIN = 60_000;

describe('expiry treatment', () => {
  it('glide: the weight falls linearly from 1 to 0 over the last N minutes; at settlement: always 1', () => {
    const glide = { mode: 'glide' as const, minutes: 120, pinMinutes: 60 };
    expect(expiryWeight(glide, E, E - 121 * MIN)).toBe(1);
    expect(expiryWeight(glide, E, E - 120 * MIN)).toBe(1);
    expect(expiryWeight(glide, E, E - 30 * MIN)).toBe(0.25);
    expect(expiryWeight(glide, E, E)).toBe(0);
    expect(expiryWeight(glide, E, E + MIN)).toBe(0);
    expect(expiryWeight({ mode: 'atSettlement', pinMinutes: 60 }, E, E - MIN)).toBe(1);
    expect(expiryWeight(PLAIN_EXPIRY, E, E + MIN)).toBe(1);
  });

  it('pin floor: the hedge greeks never see less than pinMinutes to expiry (none: the true time, 0 once expired)', () => {
    const pin = { mode: 'atSettlement' as const, pinMinutes: 60 };
    expect(hedgeYears(pin, E, E - 1440 * MIN)).toBeCloseTo(1 / 365, 15);
    expect(hedgeYears(pin, E, E - 5 * MIN)).toBe((60 * MIN) / MS_PER_YEAR);
    expect(hedgeYears(pin, E, E + 5 * MIN)).toBe((60 * MIN) / MS_PER_YEAR);
    expect(hedgeYears(PLAIN_EXPIRY, E, E - 5 * MIN)).toBe((5 * MIN) / MS_PER_YEAR);
    expect(hedgeYears(PLAIN_EXPIRY, E, E + 5 * MIN)).toBe(0);
    expect(expiryWindowMs({ mode: 'glide', minutes: 120, pinMinutes: 60 })).toBe(120 * MIN);
    expect(expiryWindowMs(pin)).toBe(60 * MIN);
  });

  it('refuses an unusable treatment', () => {
    expect(() => checkExpiryConfig({ mode: 'glide', minutes: 0, pinMinutes: 60 })).toThrow(/glide minutes must be > 0/);
    expect(() => checkExpiryConfig({ mode: 'atSettlement', pinMinutes: -1 })).toThrow(/pinMinutes must be >= 0/);
  });
});
