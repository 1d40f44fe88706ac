// The whole engine hedging on Mango v3: the committed-state loop, the vault machine and the
// hedge reactor drive the real, unmodified MangoClient against the loopback fake cluster.
// Every hedge the journal records landed on Mango once (one PlacePerpOrder2 per client order
// id), and the Mango position equals the vault's perp position.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import { openEngine, reconcile } from '../../../src/engine/openEngine.ts';
import { replay } from '../../../src/engine/replayDriver.ts';
import { clientOrderIdU64 } from '../../../src/venues/mango/clientOrderIdU64.ts';
import { MangoVenue } from '../../../src/venues/mango/mangoVenue.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';
import { memoryStore } from '../../fixtures/engineHarness.ts';
import { startMangoHarness, type MangoHarness } from '../../fixtures/mango/mangoHarness.ts';
import { testConfig } from '../../fixtures/vaults.ts';

const T0 = Date.UTC(2023, 2, 1);
const EXPIRY = Date.UTC(2023, 2, 31, 8);
let h: MangoHarness;
let venue: MangoVenue;

beforeAll(async () => {
  h = await startMangoHarness({ midLots: 250_000, depthLots: 200_000 });
  venue = await MangoVenue.connect(h.config);
});
afterAll(async () => {
  await venue?.close();
  await h?.close();
});

describe('engine on Mango v3 (offline cluster)', () => {
  it('hedges through placePerpOrder2 and ends with the venue position equal to the vault', async () => {
    const store = await memoryStore();
    const { engine } = await openEngine({ store, venue, market: 'BTC-PERP', log: silentLogger, mode: 'lockstep', clock: { now: () => T0 } }, [{
      vaultId: 'm1',
      config: testConfig({ bands: { kind: 'fixed', quoteBtc: 0.1, hedgeBtc: 0.3, reentryBtc: 0.05, hardBtc: 3 }, cooldownMs: 60_000, lotBtc: 0.0001, minOrderBtc: 0.001 }),
      book: [
        { instrument: 'BTC-31MAR23-25000-C', kind: 'call', strikeUsd: 25_000, expiryMs: EXPIRY, qty: -10, volPerYear: 0.6 },
        { instrument: 'BTC-31MAR23-25000-P', kind: 'put', strikeUsd: 25_000, expiryMs: EXPIRY, qty: -10, volPerYear: 0.6 },
      ],
    }]);
    await reconcile(engine, 'BTC-PERP', venue);
    // Prices near the fake book's mid (25,000): the protective limit (50 bps) stays inside its depth.
    const path = [25_000, 25_020, 25_060, 25_100, 25_060, 25_000, 24_950, 24_900, 24_960, 25_010];
    const records: Validated<PriceTickInput>[] = path.map((p, i) => ({ ok: true, value: { at: T0 + i * 5 * 60_000, priceUsd: p, source: 'p', offset: i } }));
    await replay({ engine, records, source: 'p', seed: 1, takers: null, staleAfterMs: 3_600_000, commitEveryRows: 1 });

    const orders = await store.hedgeOrders('m1');
    const filled = orders.filter((o) => o.filledBtc > 0);
    expect(filled.length).toBeGreaterThanOrEqual(2);
    expect(orders.filter((o) => o.status === 'pending' || o.status === 'open')).toEqual([]);
    // One PlacePerpOrder2 per client order id, and each carries the id the machine assigned.
    const sentIds = h.model.placed.map((p) => p.order.clientOrderId.toString());
    expect(new Set(sentIds).size).toBe(sentIds.length);
    expect(sentIds.sort()).toEqual(orders.map((o) => clientOrderIdU64(o.clientOrderId).toString()).sort());
    const pos = await venue.position('BTC-PERP');
    expect(pos.sizeBtc).toBeCloseTo(engine.vault('m1')?.context.perpBtc ?? NaN, 8);
    expect(Math.abs(engine.vault('m1')?.context.greeks.netBtc ?? 9)).toBeLessThan(0.3);
    await engine.stop();
    await store.close();
  }, 60_000);
});
