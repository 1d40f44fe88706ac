// The vault config's smile and expiry sections: validated with errors that name the path, and
// turned into the machine's vol surface and expiry treatment.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/cli/config/loadConfig.ts';
import { toVaultInputs } from '../../../src/cli/config/toVaultInputs.ts';

const E17 = Date.UTC(2023, 2, 17, 8);
const E31 = Date.UTC(2023, 2, 31, 8);

function config(vault: Record<string, unknown>): unknown {
  return {
    prices: { kind: 'csv', path: 'x.csv' },
    vaults: [{ id: 'a', book: [{ instrument: 'BTC-17MAR23-24000-C', qty: -1 }, { instrument: 'BTC-31MAR23-22000-P', qty: 2, volPerYear: 0.7 }], ...vault }],
  };
}

describe('smile and expiry config', () => {
  it('defaults: the flat vol, no smile, expiry at settlement with a 60-minute pin floor; a series keeps only a vol it names', () => {
    const [v] = toVaultInputs(validateConfig(config({}), 'test'));
    expect(v?.config.vol).toEqual({ flatVolPerYear: 0.6, smiles: [] });
    expect(v?.config.expiry).toEqual({ mode: 'atSettlement', pinMinutes: 60 });
    expect(v?.book[0]).not.toHaveProperty('volPerYear');
    expect(v?.book[1]?.volPerYear).toBe(0.7);
  });

  it('reads a smile per expiry code (sorted by expiry) and a glide', () => {
    const [v] = toVaultInputs(validateConfig(config({
      volPerYear: 0.55,
      smile: { '31MAR23': { moneyness: [0.9, 1.1], vol: [0.7, 0.6] }, '17MAR23': { moneyness: [1], vol: [0.65] } },
      expiry: { mode: 'glide', minutes: 120 },
    }), 'test'));
    expect(v?.config.vol).toEqual({
      flatVolPerYear: 0.55,
      smiles: [{ expiryMs: E17, moneyness: [1], volPerYear: [0.65] }, { expiryMs: E31, moneyness: [0.9, 1.1], volPerYear: [0.7, 0.6] }],
    });
    expect(v?.config.expiry).toEqual({ mode: 'glide', minutes: 120, pinMinutes: 60 });
  });

  it('refuses a smile or an expiry it cannot use, naming the path', () => {
    const bad = (vault: Record<string, unknown>): string => {
      try {
        toVaultInputs(validateConfig(config(vault), 'test'));
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
      return 'accepted';
    };
    expect(bad({ smile: { '31MAR23': { moneyness: [1, 0.9], vol: [0.6, 0.7] } } })).toMatch(/vaults\[0\]\.smile\.31MAR23\.moneyness\[1\].*strictly increasing/);
    expect(bad({ smile: { '31MAR23': { moneyness: [0.9, 1], vol: [0.6] } } })).toMatch(/one vol per moneyness point/);
    expect(bad({ smile: { '31MAR23': { moneyness: [1], vol: [6] } } })).toMatch(/smile\.31MAR23\.vol\[0\]/);
    expect(bad({ smile: { 'MAR31': { moneyness: [1], vol: [0.6] } } })).toMatch(/smile\.MAR31: .*not an expiry such as 31MAR23/);
    expect(bad({ smile: { '30FEB23': { moneyness: [1], vol: [0.6] } } })).toMatch(/smile\.30FEB23: .*does not exist/);
    expect(bad({ expiry: { mode: 'glide' } })).toMatch(/expiry\.minutes/);
    expect(bad({ expiry: { mode: 'glide', minutes: 0 } })).toMatch(/expiry\.minutes/);
    expect(bad({ expiry: { mode: 'sometimes' } })).toMatch(/expiry\.mode/);
  });
});
