// History answers are bounded: thinning keeps order, the newest point and at most max items;
// the HTTP route applies it and rejects bad limits.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../../src/server/createServer.ts';
import { thinPoints } from '../../../src/server/historyLimits.ts';
import { FakeEngine } from '../../fixtures/server/fakeEngine.ts';
import { getJson } from '../../fixtures/server/httpClient.ts';

let server: RunningHttpServer | null = null;
afterEach(async () => { await server?.close(); server = null; });

describe('history limits', () => {
  it('thinPoints: min(n, max) items, strictly increasing picks, first and newest kept', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 500 }), (n, max) => {
      const xs = Array.from({ length: n }, (_, i) => i);
      const out = thinPoints(xs, max);
      expect(out.length).toBe(Math.min(n, max));
      for (let i = 1; i < out.length; i++) expect(out[i]!).toBeGreaterThan(out[i - 1]!);
      if (n > 0) expect(out.at(-1)).toBe(n - 1);
      if (n > 0 && max > 1) expect(out[0]).toBe(0);
    }));
  });

  it('the history route thins points and caps rows; bad limits are 400', async () => {
    const engine = new FakeEngine({ vaultIds: ['v1'] });
    for (let i = 0; i < 600; i++) engine.tick();
    server = await startHttpServer({ port: 0, engine, controlToken: undefined, defaultMetrics: false });
    const all = engine.history('v1');
    const r = await getJson(`${server.url}/api/vaults/v1/history?maxPoints=100&maxRows=2`);
    expect(r.body.points).toHaveLength(100);
    expect(r.body.points.at(-1)).toEqual(all.points.at(-1));
    expect(r.body.hedges).toEqual(all.hedges.slice(-2));
    expect(r.body.transitions).toEqual(all.transitions.slice(-2));
    expect((await getJson(`${server.url}/api/vaults/v1/history?maxPoints=0`)).status).toBe(400);
    expect((await getJson(`${server.url}/api/vaults/v1/history?maxPoints=abc`)).status).toBe(400);
    const st = await getJson(`${server.url}/api/status`);
    expect(st.body).toEqual({ ready: true, readiness: engine.ready, feedAgeMs: engine.feedAges, rejected: engine.rejected });
  });
});
