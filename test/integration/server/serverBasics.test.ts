// Liveness, readiness, the JSON API, static assets (uPlot from node_modules), the machine
// SVG, extra routes, error answers, and the loopback-only default bind.
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../../src/server/createServer.ts';
import { sendJson, readJsonObject } from '../../../src/server/httpJson.ts';
import { machineSvg } from '../../../src/server/machineSvg.ts';
import { createRouter } from '../../../src/server/router.ts';
import { FakeEngine, MACHINE_GRAPH } from '../../fixtures/server/fakeEngine.ts';
import { getJson } from '../../fixtures/server/httpClient.ts';

let server: RunningHttpServer | null = null;
afterEach(async () => { await server?.close(); server = null; });

describe('HTTP server basics', () => {
  it('binds 127.0.0.1 by default and answers /health', async () => {
    server = await startHttpServer({ port: 0, engine: new FakeEngine(), controlToken: undefined, defaultMetrics: false });
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    const h = await getJson(`${server.url}/health`);
    expect(h).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers /ready 200 only when feeds are fresh, the venue reachable and recovery done', async () => {
    const engine = new FakeEngine();
    server = await startHttpServer({ port: 0, engine, controlToken: undefined, defaultMetrics: false });
    expect((await getJson(`${server.url}/ready`)).status).toBe(200);
    for (const k of ['feedsFresh', 'venueReachable', 'recoveryDone'] as const) {
      engine.ready = { feedsFresh: true, venueReachable: true, recoveryDone: true, detail: { [k]: `${k} is false` } };
      engine.ready[k] = false;
      const r = await getJson(`${server.url}/ready`);
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ status: 'not ready', [k]: false, detail: { [k]: `${k} is false` } });
    }
  });

  it('serves vaults, history, the machine graph and its SVG', async () => {
    const engine = new FakeEngine({ vaultIds: ['v1', 'v 2'] });
    for (let i = 0; i < 50; i++) engine.tick();
    server = await startHttpServer({ port: 0, engine, controlToken: undefined, defaultMetrics: false });
    const vs = await getJson(`${server.url}/api/vaults`);
    expect(vs.body.vaults.map((v: { vaultId: string }) => v.vaultId)).toEqual(['v1', 'v 2']);
    const h = await getJson(`${server.url}/api/vaults/${encodeURIComponent('v 2')}/history`);
    expect(h.status).toBe(200);
    expect(h.body.vaultId).toBe('v 2');
    expect(h.body.points).toHaveLength(50);
    expect((await getJson(`${server.url}/api/vaults/nope/history`)).status).toBe(404);
    expect((await getJson(`${server.url}/api/machine`)).body).toEqual(MACHINE_GRAPH);
    const svg = await fetch(`${server.url}/api/machine.svg`);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const text = await svg.text();
    for (const s of MACHINE_GRAPH.states) expect(text).toContain(`data-state="${s}"`);
  });

  it('serves the dashboard and uPlot from node_modules, offline', async () => {
    server = await startHttpServer({ port: 0, engine: new FakeEngine(), controlToken: undefined, defaultMetrics: false });
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('/assets/uPlot.iife.min.js');
    expect(html).not.toMatch(/(src|href)="https?:/); // no CDN
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    for (const [path, type] of [['/assets/uPlot.iife.min.js', 'javascript'], ['/assets/uPlot.min.css', 'css'], ['/assets/dashboard.js', 'javascript'], ['/assets/charts.js', 'javascript'], ['/assets/dashboard.css', 'css']]) {
      const r = await fetch(`${server.url}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toContain(type);
      expect((await r.text()).length, path).toBeGreaterThan(800);
    }
    const head = await fetch(`${server.url}/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('mounts extra routes and answers 404/405 as JSON', async () => {
    const seen: unknown[] = [];
    server = await startHttpServer({
      port: 0, engine: new FakeEngine(), controlToken: undefined, defaultMetrics: false,
      extraRoutes: [{ method: 'POST', path: '/fills', handler: async (req, res) => { seen.push(await readJsonObject(req)); sendJson(res, 202, { accepted: 1 }); } }],
    });
    const r = await fetch(`${server.url}/fills`, { method: 'POST', body: '{"fillId":"f1"}' });
    expect(r.status).toBe(202);
    expect(await r.json()).toEqual({ accepted: 1 });
    expect(seen).toEqual([{ fillId: 'f1' }]);
    const bad = await fetch(`${server.url}/fills`, { method: 'POST', body: 'nope' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe('bad JSON');
    const nf = await getJson(`${server.url}/nope`);
    expect(nf).toMatchObject({ status: 404, body: { error: 'not found' } });
    const na = await fetch(`${server.url}/health`, { method: 'POST' });
    expect(na.status).toBe(405);
    await na.text();
  });

  it('refuses an extra route that clashes with ours', async () => {
    await expect(startHttpServer({ port: 0, engine: new FakeEngine(), controlToken: undefined, defaultMetrics: false,
      extraRoutes: [{ method: 'GET', path: '/health', handler: () => undefined }] })).rejects.toThrow(/duplicate route/);
  });

  it('routes :params and reports allowed methods', () => {
    const r = createRouter([{ method: 'GET', path: '/a/:id/b', handler: () => undefined }]);
    expect(r.match('GET', '/a/x%20y/b')).toMatchObject({ kind: 'found', params: { id: 'x y' } });
    expect(r.match('POST', '/a/x/b')).toEqual({ kind: 'methodNotAllowed', allowed: ['GET'] });
    expect(r.match('GET', '/a/x')).toEqual({ kind: 'notFound' });
    expect(r.match('GET', '/a/%E0%A4%A/b')).toEqual({ kind: 'notFound' });
  });

  it('draws unknown states too and escapes names', () => {
    const svg = machineSvg({ states: ['neutral', 'weird<state>'], initial: 'neutral', edges: [{ from: 'neutral', to: 'weird<state>', event: 'x&y' }] });
    expect(svg).toContain('data-state="weird&lt;state&gt;"');
    expect(svg).toContain('x&amp;y');
    expect(svg).not.toContain('<state>');
  });
});
