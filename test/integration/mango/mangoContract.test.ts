// The Mango v3 adapter passes the shared HedgeVenue contract: the real MangoClient against
// the loopback fake cluster (fixture accounts from mango-client's layouts, a depth-ladder
// fill model). Outages are wall-clock (the RPC drops every connection) from startOutage to
// endOutage; timeouts execute the order but never report its status.
import { MangoVenue } from '../../../src/venues/mango/mangoVenue.ts';
import { clientOrderIdU64 } from '../../../src/venues/mango/clientOrderIdU64.ts';
import { startMangoHarness } from '../../fixtures/mango/mangoHarness.ts';
import { withOraclePrice } from '../../fixtures/mango/mangoWorld.ts';
import { runVenueContract } from '../venueContract.ts';

runVenueContract('MangoVenue (mango-client against a loopback fake cluster)', async (setup) => {
  // 1 lot = 0.0001 BTC; 1 price lot = 0.1 USD (mainnet.1 BTC-PERP lot sizes).
  const depthLots = Math.round(setup.depthBtc / 0.0001);
  // Fast blocks so a never-confirmed transaction's blockhash expires within ~1 s.
  const h = await startMangoHarness({ blocksPerSecond: 400, depthLots, config: { timeoutMs: 1_000 } });
  let venue = await MangoVenue.connect(h.config);
  return {
    venue,
    market: 'BTC-PERP',
    setReferencePrice: (priceUsd) => {
      h.rpc.setAccount(h.world.cache, withOraclePrice(h.world, priceUsd));
      h.model.recenter(Math.round(priceUsd * 10), depthLots);
      return Promise.resolve();
    },
    scriptReject: (id) => Promise.resolve(void h.model.rejectIds.add(clientOrderIdU64(id))),
    scriptTimeout: (id) => Promise.resolve(void h.model.hiddenIds.add(clientOrderIdU64(id))),
    startOutage: () => Promise.resolve(void (h.rpc.outage = true)),
    endOutage: () => Promise.resolve(void (h.rpc.outage = false)),
    restart: async () => {
      await venue.close();
      venue = await MangoVenue.connect(h.config);
      return venue;
    },
    cleanup: async () => {
      await venue.close();
      await h.close();
    },
  };
});
