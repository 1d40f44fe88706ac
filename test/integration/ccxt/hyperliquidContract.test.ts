// The ccxt adapter on Hyperliquid passes the shared HedgeVenue contract: real ccxt (its
// Hyperliquid class, signing included) against the loopback Hyperliquid double. Outages are
// wall-clock (503 from startOutage to endOutage); a scripted timeout books the order and never
// answers; restart closes the adapter and restarts the double from its state file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { hyperliquidCloid } from '../../../src/venues/ccxt/hyperliquidProfile.ts';
import { HlDouble } from '../../fixtures/ccxt/hyperliquid/hlDouble.ts';
import { defaultLevels } from '../../fixtures/ccxt/hyperliquid/hlModel.ts';
import { HL_SYMBOL, openHlVenue, testCredentials } from '../../fixtures/ccxt/hyperliquid/hlVenue.ts';
import { runVenueContract } from '../venueContract.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-hl-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runVenueContract('CcxtHedgeVenue on Hyperliquid (ccxt against a loopback Hyperliquid double)', async (setup) => {
  const d = await HlDouble.start({ stateFile: join(dir, `hl-${++n}.json`), init: { levels: defaultLevels(setup.depthBtc) } });
  const creds = testCredentials();
  let venue = await openHlVenue(d.url, creds, { timeoutMs: 500 });
  return {
    venue,
    market: HL_SYMBOL,
    setReferencePrice: (priceUsd) => Promise.resolve(d.setMark(priceUsd)),
    scriptReject: (id) => Promise.resolve(void (d.faults.rejectCloids[hyperliquidCloid(id)] = 'Insufficient margin to place order. asset=0')),
    scriptTimeout: (id) => Promise.resolve(void d.faults.hangCloids.push(hyperliquidCloid(id))),
    startOutage: () => Promise.resolve(void (d.faults.outage = true)),
    endOutage: () => Promise.resolve(void (d.faults.outage = false)),
    restart: async () => {
      await venue.close();
      await d.restart();
      venue = await openHlVenue(d.url, creds, { timeoutMs: 500 });
      return venue;
    },
    cleanup: async () => {
      await venue.close();
      await d.close();
    },
  };
});
