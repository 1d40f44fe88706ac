// A new Deribit vault's genesis input from the account's positions, and an account trade as
// the vault's fill: worked by hand.
import { describe, expect, it } from 'vitest';
import { importedInput } from '../../../src/cli/compose/deribitBook.ts';
import { tradeToFill } from '../../../src/cli/compose/deribitTrades.ts';
import { validateConfig } from '../../../src/cli/config/loadConfig.ts';
import { toVaultInputs } from '../../../src/cli/config/toVaultInputs.ts';
import { parseInstrument } from '../../../src/domain/instrument.ts';
import type { BookPositions, OptionTrade } from '../../../src/venues/optionsBook.ts';

const cfg = validateConfig({
  prices: { kind: 'deribit-index' }, venue: { kind: 'deribit', credentials: '/c.json' },
  vaults: [{ id: 'alpha', book: [{ instrument: 'BTC-27JUN25-60000-C', qty: 3 }, { instrument: 'BTC-27JUN25-50000-P', qty: 0 }] }],
}, 'test');
const pos: BookPositions = {
  at: 1_750_000_000_000, indexPriceUsd: 50_000, equityBtc: 10.5, balanceBtc: 10,
  options: [
    { instrument: 'BTC-27JUN25-60000-C', sizeContracts: -5, averagePriceBtc: 0.03, markPriceBtc: 0.02 },
    { instrument: 'BTC-26SEP25-40000-P', sizeContracts: 1.5, averagePriceBtc: 0.01, markPriceBtc: 0.012 },
  ],
  perp: { instrument: 'BTC-PERPETUAL', sizeUsd: -25_000, sizeBtcAtMark: -0.5, averagePriceUsd: 49_000, markPriceUsd: 50_000 },
};

describe('importedInput', () => {
  it('takes the account\'s contracts (the config\'s quantities ignored), adds the series only the account holds, and the perp at the index', () => {
    const [input] = toVaultInputs(cfg);
    const g = importedInput(input!, pos);
    const put = parseInstrument('BTC-26SEP25-40000-P');
    expect(g.book.map((l) => [l.instrument, l.qty])).toEqual([['BTC-27JUN25-60000-C', -5], ['BTC-27JUN25-50000-P', 0], ['BTC-26SEP25-40000-P', 1.5]]);
    expect(g.book[2]).toEqual({ instrument: 'BTC-26SEP25-40000-P', kind: 'put', strikeUsd: 40_000, expiryMs: put.expiryMs, qty: 1.5 });
    expect(g.perpBtc).toBe(-0.5); // -25,000 USD at 50,000 USD/BTC
    expect(g.venueImport).toEqual({
      venue: 'deribit', at: pos.at, indexPriceUsd: 50_000, perpUsd: -25_000, equityBtc: 10.5, balanceBtc: 10,
      options: [{ instrument: 'BTC-27JUN25-60000-C', qty: -5 }, { instrument: 'BTC-26SEP25-40000-P', qty: 1.5 }],
    });
    expect(g.config).toBe(input!.config);
  });
});

describe('tradeToFill', () => {
  const trade: OptionTrade = {
    tradeId: '50000123', tradeSeq: 4, at: 1_750_000_100_000, instrument: 'BTC-27JUN25-60000-C', side: 'sell', amountContracts: 0.5,
    priceBtc: 0.025, indexPriceUsd: 50_400, priceUsd: 0.025 * 50_400, feeBtc: 0.0001, orderId: '77', label: 'alpha-BTC-27JUN25-60000-C-ask',
    vaultId: 'alpha', quoteSide: 'ask', liquidity: 'maker',
  };
  it('is a fill of the trade id, the account\'s side, contracts, and the BTC price at the trade\'s index', () => {
    expect(tradeToFill(trade, 'alpha')).toEqual({
      fillId: '50000123', vaultId: 'alpha', instrument: 'BTC-27JUN25-60000-C', side: 'sell', qty: 0.5, priceUsd: 1_260, at: 1_750_000_100_000,
      source: 'fills:deribit', offset: null,
    });
  });
  it('refuses an impossible trade', () => {
    expect(() => tradeToFill({ ...trade, amountContracts: 0 }, 'alpha')).toThrow(/impossible amount or price/);
  });
});
