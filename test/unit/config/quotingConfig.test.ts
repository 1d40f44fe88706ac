// The vault config's venue-quoting fields (quote.amendTicks, quote.amendSizeShare, quote.mmp):
// validated, resolved with defaults for the options book, kept out of the machine's config, and
// refused when vaults on one account disagree.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/cli/config/loadConfig.ts';
import { quotingOf } from '../../../src/cli/config/quotingOf.ts';
import { toVaultInputs } from '../../../src/cli/config/toVaultInputs.ts';

function config(...quotes: Record<string, unknown>[]): unknown {
  return {
    prices: { kind: 'csv', path: 'x.csv' },
    vaults: quotes.map((quote, i) => ({ id: `v${i}`, book: [{ instrument: 'BTC-31MAR23-22000-P', qty: 2 }], quote })),
  };
}

describe('venue quoting config', () => {
  it('defaults: the book\'s amend thresholds, MMP on with a quantity limit of five base sizes', () => {
    expect(quotingOf(validateConfig(config({ baseSizeContracts: 3 }), 'test'))).toEqual({
      amendTicks: 0, amendSizeShare: 0.1, mmp: { intervalSec: 5, frozenTimeSec: 30, quantityLimitContracts: 15 },
    });
  });

  it('reads the configured values; limits given replace the default one; enabled false means no MMP call', () => {
    const cfg = validateConfig(config({ amendTicks: 2, amendSizeShare: 0.25, mmp: { deltaLimit: 1.5, intervalSec: 10, frozenTimeSec: 0 } }), 'test');
    expect(quotingOf(cfg)).toEqual({ amendTicks: 2, amendSizeShare: 0.25, mmp: { intervalSec: 10, frozenTimeSec: 0, deltaLimitBtc: 1.5 } });
    expect(quotingOf(validateConfig(config({ mmp: { enabled: false } }), 'test')).mmp).toBeNull();
  });

  it('keeps them out of the machine\'s config (the persisted shape does not change)', () => {
    const [v] = toVaultInputs(validateConfig(config({ amendTicks: 2, mmp: { quantityLimit: 4 } }), 'test'));
    expect(Object.keys(v!.config.quote).sort()).toEqual(['baseSizeContracts', 'halfSpreadBps', 'leanMode', 'maxLeanBps', 'minHalfSpreadUsd', 'perpSlippageBps', 'perpTakerFeeBps']);
  });

  it('refuses bad values naming the path, and vaults of one account that disagree', () => {
    expect(() => validateConfig(config({ mmp: { intervalSec: 0 } }), 'test')).toThrow(/quote\.mmp\.intervalSec/);
    expect(() => validateConfig(config({ amendSizeShare: 2 }), 'test')).toThrow(/quote\.amendSizeShare/);
    expect(() => validateConfig(config({ mmp: { quantityLimit: 1, bogus: 1 } }), 'test')).toThrow(/bogus/);
    expect(() => quotingOf(validateConfig(config({ mmp: { quantityLimit: 4 } }, { mmp: { quantityLimit: 5 } }), 'test'))).toThrow(/v0 and v1 share the options account/);
    const long = validateConfig({ prices: { kind: 'csv', path: 'x.csv' }, vaults: [{ id: 'v'.repeat(41), book: [{ instrument: 'BTC-31MAR23-22000-P', qty: 1 }] }] }, 'test');
    expect(() => quotingOf(long)).toThrow(/too long to label its quotes .* 65 characters, Deribit allows 64/);
  });
});
