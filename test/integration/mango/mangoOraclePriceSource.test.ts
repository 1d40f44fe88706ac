// The group's oracle price through mango-client, streamed from the loopback fake cluster:
// an initial tick from getAccountInfo, then WebSocket accountSubscribe notifications.
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { mangoOraclePriceSource } from '../../../src/venues/mango/mangoOraclePriceSource.ts';
import { VenueUnavailableError } from '../../../src/venues/hedgeVenue.ts';
import { startMangoHarness, type MangoHarness } from '../../fixtures/mango/mangoHarness.ts';
import { withOraclePrice } from '../../fixtures/mango/mangoWorld.ts';

describe('mangoOraclePriceSource', () => {
  let h: MangoHarness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('emits the cache price on subscribe and on every change, deduplicated', async () => {
    h = await startMangoHarness({ world: { oraclePriceUsd: 25_000 } });
    const harness = h;
    const ticks = firstValueFrom(mangoOraclePriceSource(h.config).pipe(take(3), toArray()));
    // Push updates once the subscription is live.
    const push = async (): Promise<void> => {
      while (harness.rpc.count('ws:accountSubscribe') === 0) await new Promise((r) => setTimeout(r, 5));
      harness.rpc.setAccount(harness.world.cache, withOraclePrice(harness.world, 25_000)); // same price, maybe same second
      harness.rpc.setAccount(harness.world.cache, withOraclePrice(harness.world, 25_123.4));
      harness.rpc.setAccount(harness.world.cache, withOraclePrice(harness.world, 24_999.9));
    };
    const [got] = await Promise.all([ticks, push()]);
    // Never the same (at, price) twice in a row; the price path is the one pushed.
    for (let i = 1; i < got.length; i++) expect(got[i]).not.toEqual(got[i - 1]);
    const prices = got.map((t) => t.priceUsd).filter((p, i, a) => i === 0 || p !== a[i - 1]);
    expect([25_000, 25_123.4, 24_999.9].slice(0, prices.length)).toEqual(prices);
    expect(prices).toContain(25_123.4);
    for (const t of got) expect(Math.abs(t.at - Date.now())).toBeLessThan(10_000);
  });

  it('errors with VenueUnavailableError when the RPC is unreachable', async () => {
    h = await startMangoHarness();
    await h.rpc.close();
    const err = await firstValueFrom(mangoOraclePriceSource(h.config)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueUnavailableError);
  });
});
