// Live price feeds for `run`: Pyth through Hermes, a Pyth price account on Solana, the Mango
// group's oracle, the hedge venue's own mark price (ccxt venues) or Deribit's index on the
// account's session (venue.kind deribit); validated at the source,
// then conflated (prices.conflateMs) before the engine.
import { map, type Observable } from 'rxjs';
import type { PriceTickInput, Validated } from '../../streams/inputTypes.ts';
import { hermesPriceSource } from '../../streams/hermesPriceSource.ts';
import { conflateTicks } from '../../streams/conflateTicks.ts';
import { pythAccountPriceSource } from '../../streams/pythAccountPriceSource.ts';
import { validateTicks } from '../../streams/validateTicks.ts';
import { CliError } from '../cliError.ts';
import type { RunConfig } from '../config/configSchema.ts';
import type { BuiltVenue } from './buildVenue.ts';

export type LivePrices = Extract<RunConfig['prices'], { kind: 'hermes' | 'pyth-account' | 'mango-oracle' | 'venue' | 'deribit-index' }>;

/** What a feed on the venue reads of the built venue. */
export type VenueFeeds = Pick<BuiltVenue, 'markPrices' | 'optionsBook'>;

export interface LiveFeed { source: string; ticks: Observable<Validated<PriceTickInput>> }

export async function livePriceSource(prices: LivePrices, onStatus: (msg: string) => void, venue?: VenueFeeds): Promise<LiveFeed> {
  const feed = await openFeed(prices, onStatus, venue);
  return { source: feed.source, ticks: feed.ticks.pipe(conflateTicks(prices.conflateMs)) };
}

async function openFeed(prices: LivePrices, onStatus: (msg: string) => void, venue?: VenueFeeds): Promise<{ source: string; ticks: Observable<Validated<PriceTickInput>> }> {
  if (prices.kind === 'venue') {
    if (!venue?.markPrices) throw new CliError('prices.kind "venue" needs a venue that streams its mark price (venue.kind "ccxt")');
    const source = 'prices:venue';
    // Wall-clock readings of the venue's mark: validated and watched for staleness like every feed.
    const raw = venue.markPrices({ pollMs: prices.pollMs, wsRetryMs: prices.wsRetryMs, onStatus });
    return { source, ticks: raw.pipe(map((p) => ({ at: p.at, priceUsd: p.priceUsd, source, offset: p.at })), validateTicks()) };
  }
  if (prices.kind === 'deribit-index') {
    if (!venue?.optionsBook) throw new CliError('prices.kind "deribit-index" needs venue.kind "deribit" (the index comes on its session)');
    const source = 'prices:deribit-index';
    // The venue's timestamp orders the ticks and is their resume offset.
    const raw = venue.optionsBook.index();
    return { source, ticks: raw.pipe(map((p) => ({ at: p.at, priceUsd: p.priceUsd, source, offset: p.at })), validateTicks()) };
  }
  if (prices.kind === 'mango-oracle') {
    // Loaded only when configured (mango-client's Solana stack is heavy to import).
    const { mangoOraclePriceSource } = await import('../../venues/mango/mangoOraclePriceSource.ts');
    const source = 'prices:mango-oracle';
    const { parseMangoConfig } = await import('../../venues/mango/mangoConfig.ts');
    // The oracle needs no key: validate the group fields through the adapter's own schema.
    const cfg = parseMangoConfig({ rpcUrl: prices.rpcUrl, ...(prices.wsUrl ? { wsUrl: prices.wsUrl } : {}), keypairPath: '-', groupName: prices.groupName, perpMarket: prices.market, ...(prices.group ? { group: prices.group } : {}) });
    const raw = mangoOraclePriceSource(cfg);
    // The cache's update time orders the ticks; it is also their resume offset.
    return { source, ticks: raw.pipe(map((p) => ({ at: p.at, priceUsd: p.priceUsd, source, offset: p.at })), validateTicks()) };
  }
  if (prices.kind === 'hermes') {
    const source = 'prices:hermes';
    return {
      source,
      ticks: hermesPriceSource({
        endpoint: prices.endpoint, source, ...(prices.feedId ? { feedId: prices.feedId } : {}),
        onStatus: (s) => onStatus(`hermes ${s.type}${s.retryInMs !== undefined ? `, retry in ${s.retryInMs} ms` : ''}${s.reason ? ` (${s.reason})` : ''}`),
      }),
    };
  }
  const source = 'prices:pyth-account';
  return { source, ticks: pythAccountPriceSource({ rpcUrl: prices.rpcUrl, source, ...(prices.wsUrl ? { wsUrl: prices.wsUrl } : {}), ...(prices.account ? { account: prices.account } : {}) }) };
}
