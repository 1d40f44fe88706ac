// The venue's mark price as a stream: the exchange's websocket through ccxt pro (watchTicker on
// Hyperliquid, watchMarkPrice on Binance); when the socket fails, REST polling (fetchTicker /
// fetchMarkPrice) for a while, then the socket again. Ticks are raw: the caller validates them
// and watches their age like every feed. Outages are reported through onStatus, never thrown:
// a feed that stops is what the staleness check is for.
import { Observable } from 'rxjs';
import type { Exchange } from 'ccxt';
import type { CcxtProfile } from './ccxtProfile.ts';
import { venueText } from './ccxtErrors.ts';

export interface MarkPriceOptions {
  /** REST polling interval while the socket is down, ms. */
  pollMs: number;
  /** How long to poll before trying the socket again, ms. */
  wsRetryMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  redact: (text: string) => string;
  onStatus?: (msg: string) => void;
}

export interface MarkTick { at: number; priceUsd: number; via: 'ws' | 'rest' }

export function markPriceStream(ex: Exchange, profile: CcxtProfile, symbol: string, o: MarkPriceOptions): Observable<MarkTick> {
  return new Observable<MarkTick>((sub) => {
    let stopped = false;
    const say = (msg: string): void => o.onStatus?.(o.redact(msg));
    const poll = async (until: number): Promise<void> => {
      while (!stopped && o.now() < until) {
        try {
          const m = await profile.fetchMark(ex, symbol);
          if (!stopped) sub.next({ ...m, via: 'rest' });
        } catch (e) {
          say(`${profile.exchange} mark price poll failed: ${venueText(e)}`);
        }
        await o.sleep(o.pollMs);
      }
    };
    const run = async (): Promise<void> => {
      while (!stopped) {
        try {
          const m = await profile.watchMark(ex, symbol);
          if (!stopped) sub.next({ ...m, via: 'ws' });
        } catch (e) {
          if (stopped) return;
          say(`${profile.exchange} mark price stream failed (${venueText(e)}): polling every ${o.pollMs} ms, socket again in ${o.wsRetryMs} ms`);
          await poll(o.now() + o.wsRetryMs);
        }
      }
    };
    run().catch((e: unknown) => sub.error(e));
    return () => { stopped = true; };
  });
}
