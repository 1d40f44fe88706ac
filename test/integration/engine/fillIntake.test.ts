// Fills from a real orderbook through POST /fills on the real server and engine: acknowledged
// after commit, the same fill id counted once (even after it left the in-memory dedup set),
// bad fills refused with reasons while good ones beside them are kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillInboxRoute } from '../../../src/cli/compose/externalFills.ts';
import { EngineViewAdapter } from '../../../src/engine/engineView.ts';
import { openEngine } from '../../../src/engine/openEngine.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import { startHttpServer, type RunningHttpServer } from '../../../src/server/createServer.ts';
import { machineGraph } from '../../../machines/vault.graph.ts';
import type { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import type { Engine } from '../../../src/engine/engine.ts';
import { memoryStore, priceSlice, simVenue } from '../../fixtures/engineHarness.ts';
import { straddleVault, T0 } from '../../fixtures/vaults.ts';

let store: SqliteJournalStore;
let engine: Engine;
let server: RunningHttpServer;
const TOKEN = 'inbox-token-123';

beforeAll(async () => {
  store = await memoryStore();
  ({ engine } = await openEngine({
    store, venue: await simVenue(priceSlice(10)), market: 'BTC-PERP', log: silentLogger, mode: 'lockstep', clock: { now: () => T0 },
    maxRememberedFills: 2,
  }, [straddleVault({}, 'v1')]));
  engine.dispatch('v1', { type: 'price.tick', at: T0, priceUsd: 23_000 });
  await engine.commit();
  const view = new EngineViewAdapter(engine, { machineGraph, feedAgeMs: () => ({}), feedsFresh: () => true, recoveryDone: () => true, now: () => T0 });
  server = await startHttpServer({ port: 0, engine: view, controlToken: TOKEN, extraRoutes: [fillInboxRoute(engine, TOKEN)], defaultMetrics: false });
});
afterAll(async () => { await server.close(); await engine.stop(); await store.close(); });

const post = (body: unknown, token: string | null = TOKEN) => fetch(`${server.url}/fills`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: typeof body === 'string' ? body : JSON.stringify(body),
});
const fill = (id: string, over: Record<string, unknown> = {}) => ({ fillId: id, vault: 'v1', instrument: 'BTC-31MAR23-23000-C', side: 'sell', qty: 1, price: 1500, at: T0 + 1_000, ...over });

describe('POST /fills into the engine', () => {
  it('books valid fills once, after commit, and refuses bad ones with reasons', async () => {
    expect((await post([fill('f1')], null)).status).toBe(401);
    const r = await post([fill('f1'), fill('bad', { qty: -1 }), fill('f2'), fill('x', { vault: 'nope' })]);
    expect(r.status).toBe(200);
    const body = await r.json() as { accepted: string[]; duplicates: string[]; rejected: { index: number; reason: string }[] };
    expect(body.accepted).toEqual(['f1', 'f2']);
    expect(body.rejected.map((x) => x.reason)).toEqual(['bad-qty', 'unknown-vault']);
    // Acknowledged means committed.
    expect((await store.fillsOf('v1')).map((f) => f.fillId)).toEqual(['f1', 'f2']);
    const again = await (await post([fill('f2'), fill('f3')])).json() as { accepted: string[]; duplicates: string[] };
    expect(again).toMatchObject({ accepted: ['f3'], duplicates: ['f2'] });
    // f1 has left the in-memory set (it holds 2 ids): the store still knows it.
    const old = await (await post(fill('f1'))).json() as { accepted: string[]; duplicates: string[] };
    expect(old).toMatchObject({ accepted: [], duplicates: ['f1'] });
    expect(engine.vault('v1')?.context.book.find((l) => l.instrument === 'BTC-31MAR23-23000-C')?.qty).toBe(-13);
    expect((await post('{not json')).status).toBe(400);
    expect(Object.keys(await store.rejectedCounts()).sort()).toEqual(['bad-qty', 'unknown-vault']);
  });
});
