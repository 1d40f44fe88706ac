// The venue's mark price feed through ccxt: Hyperliquid's activeAssetCtx websocket on the
// double, and REST polling when the socket is refused.
import { firstValueFrom, filter, take, toArray, type Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CcxtHedgeVenue } from '../../../src/venues/ccxt/ccxtHedgeVenue.ts';
import type { MarkTick } from '../../../src/venues/ccxt/ccxtMarkPrices.ts';
import { HlDouble } from '../../fixtures/ccxt/hyperliquid/hlDouble.ts';
import { openHlVenue, testCredentials } from '../../fixtures/ccxt/hyperliquid/hlVenue.ts';

let d: HlDouble | undefined;
let venue: CcxtHedgeVenue | undefined;
afterEach(async () => { await venue?.close(); await d?.close(); venue = undefined; d = undefined; });

const until = (ticks: Observable<MarkTick>, px: number): Promise<MarkTick> => firstValueFrom(ticks.pipe(filter((t) => t.priceUsd === px)));

describe('mark prices through ccxt', () => {
  it('streams the mark from the websocket as it moves', async () => {
    d = await HlDouble.start();
    venue = await openHlVenue(d.url, testCredentials());
    const ticks = venue.markPrices({ pollMs: 50, wsRetryMs: 5_000 });
    const first = await firstValueFrom(ticks);
    expect(first).toMatchObject({ priceUsd: 30_000, via: 'ws' });
    const next = until(ticks, 30_123);
    await new Promise((r) => setTimeout(r, 50));
    d.setMark(30_123);
    expect(await next).toMatchObject({ via: 'ws' });
  });

  it('polls REST while the socket is refused, and reports why', async () => {
    d = await HlDouble.start();
    d.faults.wsRefuse = true;
    venue = await openHlVenue(d.url, testCredentials());
    const status: string[] = [];
    const ticks = venue.markPrices({ pollMs: 20, wsRetryMs: 60_000, onStatus: (m) => status.push(m) });
    const seen = firstValueFrom(ticks.pipe(take(3), toArray()));
    expect((await seen).map((t) => t.via)).toEqual(['rest', 'rest', 'rest']);
    const moved = until(ticks, 29_900);
    d.setMark(29_900);
    expect(await moved).toMatchObject({ via: 'rest' });
    expect(status[0]).toMatch(/mark price stream failed .*polling every 20 ms/);
  });
});
