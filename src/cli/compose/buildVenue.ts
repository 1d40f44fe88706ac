// Picks the concrete hedge venue from config: the in-process simulated exchange (its state in
// its own SQLite file so it outlives an engine crash, as a real exchange would), a simulated
// exchange server over HTTP, or Mango v3.
import { SqliteSimVenueStore } from '../../../storage/simVenueStore.ts';
import type { HedgeVenue } from '../../venues/hedgeVenue.ts';
import type { MangoVenue } from '../../venues/mango/mangoVenue.ts';
import { SeriesPriceReference } from '../../venues/sim/priceReference.ts';
import { SimPerpVenue } from '../../venues/sim/simPerpVenue.ts';
import { CliError } from '../cliError.ts';
import type { RunConfig } from '../config/configSchema.ts';

export interface BuiltVenue {
  venue: HedgeVenue;
  /** For an in-process simulated venue fed by a live feed: the reference price. */
  pushPrice?: (at: number, priceUsd: number) => void;
  market: string;
  describe: string;
  close(): Promise<void>;
}

export async function buildVenue(
  cfg: RunConfig['venue'], points: readonly { at: number; priceUsd: number }[] | 'pushed', opts: { seed: number; statePath: string | null; pricesLabel: string },
): Promise<BuiltVenue> {
  switch (cfg.kind) {
    case 'sim': {
      const store = opts.statePath ? await SqliteSimVenueStore.open({ path: opts.statePath }) : undefined;
      const venue = await SimPerpVenue.open({
        prices: points === 'pushed' ? 'pushed' : new SeriesPriceReference(points),
        pricesLabel: opts.pricesLabel,
        config: { seed: opts.seed, markets: [cfg.market], takerFeeBps: cfg.takerFeeBps, latencyMs: cfg.latencyMs, faults: { rejectProb: cfg.rejectProb, timeoutProb: cfg.timeoutProb } },
        ...(store ? { store } : {}),
      });
      let pushing: Promise<void> = Promise.resolve();
      return {
        venue, market: cfg.market, describe: `simulated perp venue (in-process${opts.statePath ? `, state ${opts.statePath}` : ', in memory'})`,
        ...(points === 'pushed' ? { pushPrice: (at: number, priceUsd: number) => { pushing = pushing.then(() => venue.pushPrice(at, priceUsd)).catch(() => undefined); } } : {}),
        close: async () => { await pushing; await venue.close(); },
      };
    }
    case 'sim-http': {
      const { HttpVenueClient } = await import('../../venues/sim/httpVenueClient.ts');
      const venue = new HttpVenueClient({ baseUrl: cfg.url, timeoutMs: cfg.timeoutMs });
      return { venue, market: cfg.market, describe: `simulated perp venue at ${cfg.url}`, close: () => venue.close() };
    }
    case 'mango': {
      // Mango v3 mainnet refuses every trade since 2022-10-12: point rpcUrl at devnet, a local validator or a fork.
      let venue: MangoVenue;
      try {
        // Loaded only when configured: mango-client and its Solana stack take a while to import.
        const { parseMangoConfig } = await import('../../venues/mango/mangoConfig.ts');
        const { MangoVenue } = await import('../../venues/mango/mangoVenue.ts');
        const mango = parseMangoConfig({
          rpcUrl: cfg.rpcUrl, ...(cfg.wsUrl ? { wsUrl: cfg.wsUrl } : {}), keypairPath: cfg.keypairPath, groupName: cfg.groupName,
          perpMarket: cfg.market, timeoutMs: cfg.timeoutMs, prioritizationFee: cfg.prioritizationFee, orderExpirySec: cfg.orderExpirySec,
          ...(cfg.mangoAccountPubkey ? { mangoAccountPubkey: cfg.mangoAccountPubkey } : {}),
          ...(cfg.group ? { group: cfg.group } : {}),
        });
        venue = await MangoVenue.connect(mango);
      } catch (err) {
        throw new CliError(`mango venue: ${err instanceof Error ? err.message : String(err)}`, 1);
      }
      return { venue, market: cfg.market, describe: `Mango v3 ${cfg.groupName} ${cfg.market} via ${cfg.rpcUrl}`, close: () => venue.close() };
    }
  }
}
