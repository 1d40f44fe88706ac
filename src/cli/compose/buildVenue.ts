// Picks the concrete hedge venue from config: the in-process simulated exchange (its state in
// its own SQLite file so it outlives an engine crash, as a real exchange would), a simulated
// exchange server over HTTP, or Mango v3.
import { SqliteSimVenueStore } from '../../../storage/simVenueStore.ts';
import type { HedgeVenue } from '../../venues/hedgeVenue.ts';
import { HttpVenueClient } from '../../venues/sim/httpVenueClient.ts';
import { SeriesPriceReference } from '../../venues/sim/priceReference.ts';
import { SimPerpVenue } from '../../venues/sim/simPerpVenue.ts';
import { CliError } from '../cliError.ts';
import type { RunConfig } from '../config/configSchema.ts';

export interface BuiltVenue {
  venue: HedgeVenue;
  market: string;
  describe: string;
  close(): Promise<void>;
}

export async function buildVenue(
  cfg: RunConfig['venue'], points: readonly { at: number; priceUsd: number }[], opts: { seed: number; statePath: string | null; pricesLabel: string },
): Promise<BuiltVenue> {
  switch (cfg.kind) {
    case 'sim': {
      const store = opts.statePath ? await SqliteSimVenueStore.open({ path: opts.statePath }) : undefined;
      const venue = await SimPerpVenue.open({
        prices: new SeriesPriceReference(points),
        pricesLabel: opts.pricesLabel,
        config: { seed: opts.seed, markets: [cfg.market], takerFeeBps: cfg.takerFeeBps, latencyMs: cfg.latencyMs, faults: { rejectProb: cfg.rejectProb, timeoutProb: cfg.timeoutProb } },
        ...(store ? { store } : {}),
      });
      return {
        venue, market: cfg.market, describe: `simulated perp venue (in-process${opts.statePath ? `, state ${opts.statePath}` : ', in memory'})`,
        close: async () => { await venue.close(); },
      };
    }
    case 'sim-http': {
      const venue = new HttpVenueClient({ baseUrl: cfg.url, timeoutMs: cfg.timeoutMs });
      return { venue, market: cfg.market, describe: `simulated perp venue at ${cfg.url}`, close: () => venue.close() };
    }
    case 'mango':
      throw new CliError('the Mango v3 venue is configured through `venue.kind: mango`, but this build runs it only in tests against a loopback RPC (Mango v3 mainnet stopped trading in October 2022); see README');
  }
}
