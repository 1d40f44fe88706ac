// The control API refuses without a configured token, without or with a wrong bearer token,
// and on bad JSON; a good call reaches the engine and answers only after it commits.
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../../src/server/createServer.ts';
import { FakeEngine } from '../../fixtures/server/fakeEngine.ts';
import { postRaw } from '../../fixtures/server/httpClient.ts';

const TOKEN = 's3cret-token';
let server: RunningHttpServer | null = null;
afterEach(async () => { await server?.close(); server = null; });

async function start(engine: FakeEngine, controlToken: string | undefined): Promise<RunningHttpServer> {
  server = await startHttpServer({ port: 0, engine, controlToken, defaultMetrics: false });
  return server;
}

describe('control API', () => {
  it('answers 401 without a token and with a wrong token, and the engine sees nothing', async () => {
    const engine = new FakeEngine();
    const s = await start(engine, TOKEN);
    for (const path of ['pause', 'resume', 'flatten', 'kill']) {
      const none = await postRaw(`${s.url}/control/${path}`, '{}');
      expect(none.status).toBe(401);
      expect(none.body.error).toBe('unauthorized');
      const wrong = await postRaw(`${s.url}/control/${path}`, '{}', 'not-the-token');
      expect(wrong.status).toBe(401);
      expect(wrong.body.reason).toMatch(/wrong/);
    }
    const r = await fetch(`${s.url}/control/pause`, { method: 'POST', headers: { authorization: `Basic ${TOKEN}` } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    expect(engine.commands).toEqual([]);
  });

  it('refuses with 503 when no token is configured, even with a bearer token', async () => {
    for (const token of [undefined, '']) {
      const engine = new FakeEngine();
      const s = await start(engine, token);
      const r = await postRaw(`${s.url}/control/kill`, '{}', 'anything');
      expect(r.status).toBe(503);
      expect(r.body.error).toBe('control disabled: no token configured');
      expect(engine.commands).toEqual([]);
      await s.close();
      server = null;
    }
  });

  it('answers 400 with the parser reason on bad JSON, and on a bad vaultId', async () => {
    const engine = new FakeEngine();
    const s = await start(engine, TOKEN);
    const bad = await postRaw(`${s.url}/control/pause`, '{"vaultId": ', TOKEN);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('bad JSON');
    expect(typeof bad.body.reason).toBe('string');
    expect(bad.body.reason.length).toBeGreaterThan(5);
    const arr = await postRaw(`${s.url}/control/pause`, '[1,2]', TOKEN);
    expect(arr.status).toBe(400);
    expect(arr.body.reason).toMatch(/object/);
    const num = await postRaw(`${s.url}/control/pause`, '{"vaultId": 3}', TOKEN);
    expect(num.status).toBe(400);
    expect(num.body.reason).toMatch(/vaultId/);
    const unknown = await postRaw(`${s.url}/control/flatten`, '{"vaultId": "nope"}', TOKEN);
    expect(unknown.status).toBe(404);
    expect(engine.commands).toEqual([]);
  });

  it('passes good commands to the engine and answers 200 with the journaled count', async () => {
    const engine = new FakeEngine({ vaultIds: ['v1', 'v2'] });
    const s = await start(engine, TOKEN);
    const pause = await postRaw(`${s.url}/control/pause`, '{"vaultId":"v1"}', TOKEN);
    expect(pause).toEqual({ status: 200, body: { ok: true, command: { type: 'pause', vaultId: 'v1' }, journaled: 1 } });
    const resumeAll = await postRaw(`${s.url}/control/resume`, '', TOKEN);
    expect(resumeAll.status).toBe(200);
    expect(resumeAll.body.journaled).toBe(2);
    const flatten = await postRaw(`${s.url}/control/flatten`, '{"vaultId":"v2"}', TOKEN);
    expect(flatten.status).toBe(200);
    const kill = await postRaw(`${s.url}/control/kill`, '{}', TOKEN);
    expect(kill.body).toEqual({ ok: true, command: { type: 'kill' }, journaled: 2 });
    expect(engine.commands).toEqual([
      { type: 'pause', vaultId: 'v1' }, { type: 'resume' }, { type: 'flatten', vaultId: 'v2' }, { type: 'kill' },
    ]);
    expect(engine.vaults().map((v) => v.state)).toEqual(['halted', 'halted']);
  });

  it('answers only after the engine has committed the control events', async () => {
    const engine = new FakeEngine();
    let release!: () => void;
    engine.controlGate = new Promise<void>((r) => { release = r; });
    const s = await start(engine, TOKEN);
    let answered = false;
    const pending = postRaw(`${s.url}/control/kill`, '{}', TOKEN).then((r) => { answered = true; return r; });
    await new Promise((r) => setTimeout(r, 150));
    expect(engine.commands).toEqual([{ type: 'kill' }]);
    expect(answered).toBe(false);
    release();
    expect((await pending).status).toBe(200);
  });

  it('answers 405 to GET on a control route and 500 when the engine throws', async () => {
    const engine = new FakeEngine();
    const errors: unknown[] = [];
    engine.control = () => Promise.reject(new Error('journal is down'));
    server = await startHttpServer({ port: 0, engine, controlToken: TOKEN, defaultMetrics: false, onError: (e) => errors.push(e) });
    const get = await fetch(`${server.url}/control/kill`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    await get.text();
    const r = await postRaw(`${server.url}/control/kill`, '{}', TOKEN);
    expect(r.status).toBe(500);
    expect(r.body.reason).toBe('journal is down');
    expect(errors).toHaveLength(1);
  });
});
