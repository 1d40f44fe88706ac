// The in-process simulated venue passes the shared HedgeVenue contract.
import { SimPerpVenue } from '../../src/venues/sim/simPerpVenue.ts';
import { InMemorySimVenueStore } from '../../src/venues/sim/inMemorySimVenueStore.ts';
import { contractConfig } from './simVenueHarness.ts';
import { runVenueContract } from './venueContract.ts';

runVenueContract('SimPerpVenue (in-process)', async (setup) => {
  const store = new InMemorySimVenueStore();
  const config = contractConfig(setup);
  let venue = await SimPerpVenue.open({ prices: 'pushed', config, store });
  return {
    venue,
    market: 'BTC-PERP',
    setReferencePrice: (priceUsd, at) => venue.pushPrice(at, priceUsd),
    scriptReject: (id) => Promise.resolve(venue.faults.scriptReject(id)),
    scriptTimeout: (id) => Promise.resolve(venue.faults.scriptTimeout(id)),
    startOutage: (fromMs, toMs) => Promise.resolve(venue.faults.addOutage({ fromMs, toMs })),
    endOutage: () => Promise.resolve(), // event-time windows end by themselves
    restart: async () => {
      await venue.close();
      venue = await SimPerpVenue.open({ prices: 'pushed', config, store });
      return venue;
    },
    cleanup: () => venue.close(),
  };
});
