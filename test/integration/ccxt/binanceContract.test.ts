// The ccxt adapter with its Binance USDS-M profile passes the shared HedgeVenue contract: real
// ccxt (binanceusdm, HMAC signing included) against the loopback Binance double of
// test/fixtures/ccxt/binance. Outages refuse connections from startOutage to endOutage; a
// scripted timeout books the order and never answers; restart closes the adapter and restarts
// the double from its state file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { binanceClientId } from '../../../src/venues/ccxt/parseBinance.ts';
import { contractControls, contractDoubleConfig } from '../../fixtures/ccxt/binance/binanceContractSetup.ts';
import { BinanceUsdmDouble } from '../../fixtures/ccxt/binance/binanceUsdmDouble.ts';
import { BINANCE_SYMBOL, openBinanceVenue } from '../../fixtures/ccxt/binance/binanceVenue.ts';
import { runVenueContract } from '../venueContract.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-bn-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runVenueContract('CcxtHedgeVenue on Binance USDS-M (ccxt against the loopback Binance double)', async (setup) => {
  const double = await BinanceUsdmDouble.start(contractDoubleConfig(setup, { statePath: join(dir, `bn-${++n}.json`) }));
  let venue = await openBinanceVenue(double, { timeoutMs: 500 });
  return {
    venue,
    market: BINANCE_SYMBOL,
    ...contractControls(double, binanceClientId),
    restart: async () => {
      await venue.close();
      await double.restart();
      venue = await openBinanceVenue(double, { timeoutMs: 500 });
      return venue;
    },
    cleanup: async () => {
      await venue.close();
      await double.close();
    },
  };
});
