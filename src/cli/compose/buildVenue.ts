// Picks the concrete hedge venue from config: the in-process simulated exchange (its state in
// its own SQLite file so it outlives an engine crash, as a real exchange would), a simulated
// exchange server over HTTP, Mango v3, a perp venue through ccxt (Hyperliquid, Binance USDS-M),
// or a Deribit account (BTC-PERPETUAL hedges and the options book on one session).
import { SqliteSimVenueStore } from '../../../storage/simVenueStore.ts';
import type { Observable } from 'rxjs';
import type { HedgeVenue } from '../../venues/hedgeVenue.ts';
import type { CcxtHedgeVenue } from '../../venues/ccxt/ccxtHedgeVenue.ts';
import type { MangoVenue } from '../../venues/mango/mangoVenue.ts';
import type { OptionsBook } from '../../venues/optionsBook.ts';
import { SeriesPriceReference } from '../../venues/sim/priceReference.ts';
import { SimPerpVenue } from '../../venues/sim/simPerpVenue.ts';
import { CliError } from '../cliError.ts';
import type { RunConfig } from '../config/configSchema.ts';
import { loadCredentialsFile } from './credentialsFile.ts';
import { checkMainnetGate } from './mainnetGate.ts';

export interface BuiltVenue {
  venue: HedgeVenue;
  /** For an in-process simulated venue fed by a live feed: the reference price. */
  pushPrice?: (at: number, priceUsd: number) => void;
  market: string;
  describe: string;
  close(): Promise<void>;
  /** The adapter's counters (e.g. rateLimitBackoffs), for /metrics. */
  counters?: () => Record<string, number>;
  /** The venue's own mark price stream (prices.kind: venue). */
  markPrices?: (o: { pollMs: number; wsRetryMs: number; onStatus: (msg: string) => void }) => Observable<{ at: number; priceUsd: number }>;
  /** An options venue on the same account (Deribit): positions, option trades, marks, index, quotes. Closed by close(). */
  optionsBook?: OptionsBook;
  /** The perp's contract size in USD (inverse perps, sized in USD): the tolerance of a USD position compare. */
  perpContractUsd?: number;
}

export interface BuildVenueOptions {
  seed: number;
  statePath: string | null;
  pricesLabel: string;
  /** `run --live`: mainnet venues are allowed (and required). */
  live?: boolean;
  /** An options book's amend thresholds (quotingOf). */
  quoting?: { amendTicks: number; amendSizeShare: number };
  /** Creation time of the oldest hedge the journal has not seen finish, unix ms (Deribit indexes perp trades from there). */
  hedgeHistoryFromMs?: number;
  /** Venue session events, for the log. */
  onVenueEvent?: (e: unknown) => void;
}

export async function buildVenue(
  cfg: RunConfig['venue'], points: readonly { at: number; priceUsd: number }[] | 'pushed', opts: BuildVenueOptions,
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
    case 'ccxt': {
      const venue = await openCcxt(cfg, opts.live === true);
      return {
        venue, market: cfg.symbol, describe: `${cfg.exchange} ${cfg.symbol} ${cfg.testnet ? 'testnet' : 'MAINNET'} through ccxt${cfg.apiUrl ? ` at ${cfg.apiUrl}` : ''}`,
        close: () => venue.close(),
        counters: () => ({ ...venue.counters }),
        markPrices: (o) => venue.markPrices(o),
      };
    }
    case 'deribit': {
      const { openDeribitAccount, describeDeribit } = await import('./deribitAccount.ts');
      const account = await openDeribitAccount(cfg, {
        live: opts.live === true,
        ...(opts.hedgeHistoryFromMs !== undefined ? { historyFromMs: opts.hedgeHistoryFromMs } : {}),
        ...(opts.onVenueEvent ? { onEvent: opts.onVenueEvent } : {}),
        ...(opts.quoting ? { quoting: opts.quoting } : {}),
      });
      const { book, hedge } = account;
      return {
        venue: hedge, market: cfg.perpInstrument, describe: describeDeribit(cfg), close: () => account.close(),
        optionsBook: book, perpContractUsd: hedge.perpContract().contractSizeUsd,
        // rateLimitBackoffs is what /metrics exports (omm_venue_rate_limit_backoffs_total): Deribit's 10028 answers.
        counters: () => { const c = book.counters(); return { ...account.session.counters, ...c, rateLimitBackoffs: c.rateLimited }; },
      };
    }
  }
}

/**
 * Opens the ccxt venue: the mainnet gate first (`live` null: a read-only check, no gate), then
 * the 0600 credentials file, then the exchange.
 */
export async function openCcxt(cfg: Extract<RunConfig['venue'], { kind: 'ccxt' }>, live: boolean | null): Promise<CcxtHedgeVenue> {
  if (live !== null) checkMainnetGate({ mainnet: !cfg.testnet, live, what: `venue ${cfg.exchange}` });
  const credentials = loadCredentialsFile(cfg.credentials, `${cfg.exchange} credentials file`);
  // Loaded only when configured: ccxt takes a couple of seconds to import.
  const { parseCcxtConfig } = await import('../../venues/ccxt/config.ts');
  const { openCcxtVenue } = await import('../../venues/ccxt/openCcxtVenue.ts');
  const { kind: _kind, credentials: _path, ...rest } = cfg;
  try {
    return await openCcxtVenue(parseCcxtConfig(rest), credentials);
  } catch (err) {
    throw new CliError(`${cfg.exchange} venue: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
}
