// The simulated venue served over HTTP (SQLite store, port 0) and reached through
// HttpVenueClient passes the shared HedgeVenue contract; the controls go over the wire too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSimVenueStore } from '../../storage/simVenueStore.ts';
import { HttpVenueClient } from '../../src/venues/sim/httpVenueClient.ts';
import { SimPerpVenue } from '../../src/venues/sim/simPerpVenue.ts';
import { startSimVenueServer, type SimVenueServerHandle } from '../../src/venues/sim/simVenueServer.ts';
import { readBody } from '../../src/server/httpJson.ts';
import { contractConfig, postJson } from './simVenueHarness.ts';
import { runVenueContract } from './venueContract.ts';

runVenueContract('SimPerpVenue over HTTP (HttpVenueClient, SQLite store)', async (setup) => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-venue-contract-'));
  const dbPath = join(dir, 'venue.db');
  const config = contractConfig(setup);
  let venue: SimPerpVenue;
  let server: SimVenueServerHandle;
  let client: HttpVenueClient;
  const start = async (): Promise<HttpVenueClient> => {
    venue = await SimPerpVenue.open({ prices: 'pushed', config, store: await SqliteSimVenueStore.open({ path: dbPath }) });
    server = await startSimVenueServer(venue, { readBody, port: 0 });
    client = new HttpVenueClient({ baseUrl: server.url, timeoutMs: 2_000, reconnectMs: 20 });
    return client;
  };
  const stop = async (): Promise<void> => {
    await client.close();
    await server.close();
    await venue.close();
  };
  await start();
  return {
    get venue() {
      return client;
    },
    market: 'BTC-PERP',
    setReferencePrice: async (priceUsd, at) => void (await postJson(`${server.url}/price`, { at, priceUsd })),
    scriptReject: async (id) => void (await postJson(`${server.url}/admin/faults`, { rejectIds: [id] })),
    scriptTimeout: async (id) => void (await postJson(`${server.url}/admin/faults`, { timeoutIds: [id] })),
    startOutage: async (fromMs, toMs) => void (await postJson(`${server.url}/admin/faults`, { outages: [{ fromMs, toMs }] })),
    endOutage: () => Promise.resolve(),
    restart: async () => {
      await stop();
      return start();
    },
    cleanup: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
