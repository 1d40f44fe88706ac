// Live price feeds for `run`: Pyth through Hermes, or a Pyth price account on Solana.
import type { Observable } from 'rxjs';
import type { PriceTickInput, Validated } from '../../streams/inputTypes.ts';
import { hermesPriceSource } from '../../streams/hermesPriceSource.ts';
import { pythAccountPriceSource } from '../../streams/pythAccountPriceSource.ts';
import type { RunConfig } from '../config/configSchema.ts';

export type LivePrices = Extract<RunConfig['prices'], { kind: 'hermes' | 'pyth-account' }>;

export function livePriceSource(prices: LivePrices, onStatus: (msg: string) => void): { source: string; ticks: Observable<Validated<PriceTickInput>> } {
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
