// The Mango group's oracle price (its MangoCache, refreshed by keepers from Pyth/Switchboard)
// as an RxJS stream: one tick on subscribe, then one per cache change that moves this
// market's price or update time. `at` is the cache's last update, unix ms. Validation and
// staleness belong to src/streams; this only reads.
import { Connection } from '@solana/web3.js';
import { Observable } from 'rxjs';
import { MangoCache, MangoCacheLayout, MangoGroup, MangoGroupLayout } from '@blockworks-foundation/mango-client';
import type { MangoConfig } from './mangoConfig.ts';
import { resolveMangoGroup } from './mangoGroupConfig.ts';
import { readFailure } from './mangoErrors.ts';
import { closeConnection } from './connectMango.ts';

// mango-client types its layouts as `any`: give them the one method used here.
const cacheLayout = MangoCacheLayout as { decode(b: Buffer): unknown };
const groupLayout = MangoGroupLayout as { decode(b: Buffer): unknown };

export interface MangoOraclePrice {
  /** Cache update time, unix ms. */
  at: number;
  priceUsd: number;
}

export type MangoOracleConfig = Pick<MangoConfig, 'rpcUrl' | 'wsUrl' | 'groupName' | 'group' | 'perpMarket'>;

export function mangoOraclePriceSource(cfg: MangoOracleConfig): Observable<MangoOraclePrice> {
  return new Observable<MangoOraclePrice>((subscriber) => {
    const { groupConfig, perpConfig } = resolveMangoGroup(cfg);
    const index = perpConfig.marketIndex; // a v3 perp market shares its index with its oracle
    const connection = new Connection(cfg.rpcUrl, { commitment: 'processed', wsEndpoint: cfg.wsUrl, disableRetryOnRateLimit: true });
    let listener: number | undefined;
    let stopped = false;
    let last: MangoOraclePrice | undefined;

    const emit = (group: MangoGroup, data: Buffer): void => {
      const cache = new MangoCache(group.mangoCache, cacheLayout.decode(data));
      const pc = cache.priceCache[index];
      if (!pc) throw new Error(`no price cache entry at index ${index}`);
      const tick = { at: pc.lastUpdate.toNumber() * 1000, priceUsd: group.getPriceUi(index, cache) };
      if (last && last.at === tick.at && last.priceUsd === tick.priceUsd) return;
      last = tick;
      subscriber.next(tick);
    };

    const start = async (): Promise<void> => {
      const groupInfo = await connection.getAccountInfo(groupConfig.publicKey);
      if (!groupInfo) throw new Error(`mango group ${groupConfig.publicKey.toBase58()} not found`);
      const group = new MangoGroup(groupConfig.publicKey, groupLayout.decode(groupInfo.data));
      const cacheInfo = await connection.getAccountInfo(group.mangoCache);
      if (!cacheInfo) throw new Error('mango cache account not found');
      if (stopped) return;
      emit(group, cacheInfo.data);
      listener = connection.onAccountChange(group.mangoCache, (info) => {
        try {
          emit(group, info.data);
        } catch (e) {
          subscriber.error(e);
        }
      }, { commitment: 'processed' });
    };
    start().catch((e: unknown) => subscriber.error(readFailure(e, 'loading the mango oracle price')));

    return () => {
      stopped = true;
      const id = listener;
      listener = undefined;
      if (id === undefined) {
        closeConnection(connection);
        return;
      }
      connection.removeAccountChangeListener(id).then(
        () => closeConnection(connection),
        () => closeConnection(connection),
      );
    };
  });
}
