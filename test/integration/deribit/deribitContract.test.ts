// DeribitHedgeVenue passes the shared HedgeVenue contract against the loopback double:
// BTC-PERPETUAL with the contract's depth (in USD at the reference price) one tick from the
// index. Outages drop every connection and refuse new ones until endOutage; timeouts book
// the order and never answer; restart closes the session and the venue and opens new ones.
import { DeribitHedgeVenue } from '../../../src/venues/deribit/deribitHedgeVenue.ts';
import { DeribitSession } from '../../../src/venues/deribit/deribitSession.ts';
import { configFor, startTestDouble, waitFor } from '../../fixtures/deribit/harness.ts';
import { runVenueContract } from '../venueContract.ts';

runVenueContract('DeribitHedgeVenue (ws JSON-RPC against the loopback Deribit double)', async (setup) => {
  const double = await startTestDouble();
  const cfg = configFor(double, { timeoutMs: 300, connectWaitMs: 300 });
  let session = await DeribitSession.connect(cfg);
  let venue = await DeribitHedgeVenue.open(session);
  return {
    venue,
    market: 'BTC-PERPETUAL',
    setReferencePrice: (priceUsd) => {
      double.setIndex(priceUsd);
      double.setPerpDepthUsd(setup.depthBtc * priceUsd);
      return Promise.resolve();
    },
    scriptReject: (id) => Promise.resolve(void double.faults.rejectLabels.add(id)),
    scriptTimeout: (id) => Promise.resolve(void double.faults.silentLabels.add(id)),
    startOutage: async () => {
      double.startOutage();
      await waitFor('the session to see the outage', () => !session.ready);
    },
    endOutage: () => Promise.resolve(double.endOutage()),
    restart: async () => {
      await venue.close();
      await session.close();
      session = await DeribitSession.connect(cfg);
      venue = await DeribitHedgeVenue.open(session);
      return venue;
    },
    cleanup: async () => {
      await venue.close();
      await session.close();
      await double.close();
    },
  };
});
