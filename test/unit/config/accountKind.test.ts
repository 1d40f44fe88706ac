// A vault's account kind: inverse by default on Deribit (its BTC options and perp are inverse),
// linear elsewhere; the mismatched ones are refused with a reason; the machine's config carries it.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/cli/config/loadConfig.ts';
import { toVaultInputs } from '../../../src/cli/config/toVaultInputs.ts';
import { accountMarkOf } from '../../../src/cli/compose/deribitMarks.ts';

const deribit = { kind: 'deribit', credentials: 'keys/deribit.json' };
const vault = (account?: unknown) => ({ id: 'alpha', ...(account ? { account } : {}) });

describe('vault account kind', () => {
  it('is inverse on venue deribit and linear elsewhere unless named', () => {
    const d = validateConfig({ venue: deribit, prices: { kind: 'deribit-index' }, vaults: [vault()] }, 'test');
    expect(toVaultInputs(d)[0]?.config.account).toEqual({ kind: 'inverse' });
    const s = validateConfig({ prices: { kind: 'csv', path: 'x.csv' }, vaults: [{ ...vault(), book: [{ instrument: 'BTC-31MAR23-22000-P', qty: 2 }] }] }, 'test');
    expect(toVaultInputs(s)[0]?.config.account).toEqual({ kind: 'linear' });
  });

  it('refuses linear on Deribit and inverse without it, saying why', () => {
    expect(() => validateConfig({ venue: deribit, prices: { kind: 'deribit-index' }, vaults: [vault({ kind: 'linear' })] }, 'test')).toThrow(/inverse \(margined and settled in BTC\)/);
    expect(() => validateConfig({ prices: { kind: 'csv', path: 'x.csv' }, vaults: [{ ...vault({ kind: 'inverse' }), book: [{ instrument: 'BTC-31MAR23-22000-P', qty: 2 }] }] }, 'test'))
      .toThrow(/account.kind inverse .* needs venue.kind "deribit"/);
  });

  it('an account read becomes account.marked: equity, the perp in USD, each option\'s BTC mark', () => {
    const ev = accountMarkOf({
      at: 1_700_000_000_000, indexPriceUsd: 50_000, equityBtc: 10, balanceBtc: 9.5,
      options: [{ instrument: 'BTC-31MAR23-50000-C', sizeContracts: -2, averagePriceBtc: 0.04, markPriceBtc: 0.03 }],
      perp: { instrument: 'BTC-PERPETUAL', sizeUsd: -437_000, sizeBtcAtMark: -8.74, averagePriceUsd: 50_000, markPriceUsd: 50_000 },
    });
    expect(ev).toEqual({ type: 'account.marked', at: 1_700_000_000_000, equityBtc: 10, perpUsd: -437_000, marksBtc: [{ instrument: 'BTC-31MAR23-50000-C', markPriceBtc: 0.03 }] });
    expect(accountMarkOf({ at: 1, indexPriceUsd: 1, equityBtc: 1, balanceBtc: 1, options: [], perp: null }).perpUsd).toBe(0);
  });
});
