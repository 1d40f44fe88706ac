// Read-only views of the Mango account and market: position, oracle price, funding rate.
import type { Connection } from '@solana/web3.js';
import type { MangoAccount, MangoGroup, PerpMarket } from '@blockworks-foundation/mango-client';
import type { VenuePosition } from '../hedgeVenue.ts';
import { baseLotsToBtc, quoteNativeToUsd, type LotSpec } from './mangoLots.ts';
import { readFailure } from './mangoErrors.ts';

/**
 * Effective position = basePosition + takerBase (taker fills sit in takerBase until someone
 * cranks ConsumeEvents). avgEntryUsd is derived from the quote side (quotePosition +
 * takerQuote), so it includes fees, funding and realised PnL settled into the quote
 * position; fundingPaidUsd is the unsettled funding (> 0: owed by us).
 */
export async function mangoPosition(
  connection: Connection, group: MangoGroup, account: MangoAccount, marketIndex: number, spec: LotSpec, market: string,
): Promise<VenuePosition> {
  let cacheFunding;
  try {
    await account.reload(connection);
    cacheFunding = (await group.loadCache(connection)).perpMarketCache[marketIndex];
  } catch (e) {
    throw readFailure(e, 'reading the position');
  }
  const pa = account.perpAccounts[marketIndex];
  if (!pa || !cacheFunding) throw new Error(`no perp account at market index ${marketIndex}`);
  const baseLots = pa.basePosition.add(pa.takerBase).toNumber();
  const sizeBtc = baseLotsToBtc(baseLots, spec);
  const quoteNative = pa.quotePosition.toNumber() + pa.takerQuote.toNumber() * spec.quoteLotSize;
  const avgEntryUsd = baseLots === 0 ? 0 : Math.abs(quoteNativeToUsd(quoteNative, spec) / sizeBtc);
  const fundingPaidUsd = quoteNativeToUsd(pa.getUnsettledFunding(cacheFunding).toNumber(), spec);
  return { market, sizeBtc, avgEntryUsd, fundingPaidUsd };
}

/** Oracle price from the group's cache; `at` is the cache's last update (unix ms). */
export async function mangoMarkPrice(connection: Connection, group: MangoGroup, marketIndex: number): Promise<{ priceUsd: number; at: number }> {
  try {
    const cache = await group.loadCache(connection);
    const pc = cache.priceCache[marketIndex];
    if (!pc) throw new Error(`no price cache at index ${marketIndex}`);
    return { priceUsd: group.getPriceUi(marketIndex, cache), at: pc.lastUpdate.toNumber() * 1000 };
  } catch (e) {
    throw readFailure(e, 'reading the oracle price');
  }
}

/** mango-client's instantaneous funding estimate from the book and oracle (fraction per hour). */
export async function mangoFundingRate(
  connection: Connection, group: MangoGroup, perpMarket: PerpMarket, marketIndex: number, now: () => number,
): Promise<{ ratePerHour: number; at: number }> {
  try {
    const [cache, bids, asks] = await Promise.all([group.loadCache(connection), perpMarket.loadBids(connection), perpMarket.loadAsks(connection)]);
    return { ratePerHour: perpMarket.getCurrentFundingRate(group, cache, marketIndex, bids, asks), at: now() };
  } catch (e) {
    throw readFailure(e, 'reading the funding rate');
  }
}
