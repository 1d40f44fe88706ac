// /events delivers engine updates as SSE batches, coalesces a flood of vault points to a few
// messages a second, keeps every transition/hedge in order, and drops disconnected clients.
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../../src/server/createServer.ts';
import type { SseBatch } from '../../../src/server/sseStream.ts';
import { FakeEngine } from '../../fixtures/server/fakeEngine.ts';
import { readSse } from '../../fixtures/server/httpClient.ts';

let server: RunningHttpServer | null = null;
afterEach(async () => { await server?.close(); server = null; });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the engine has exactly n SSE subscribers (metrics holds one more). */
async function waitForSubscribers(engine: FakeEngine, n: number): Promise<void> {
  for (let i = 0; i < 200 && engine.liveSubscribers() !== n; i++) await sleep(10);
  expect(engine.liveSubscribers()).toBe(n);
}

describe('/events (SSE)', () => {
  it('delivers vault updates, transitions and hedges', async () => {
    const engine = new FakeEngine({ vaultIds: ['v1'] });
    server = await startHttpServer({ port: 0, engine, controlToken: undefined, defaultMetrics: false, sse: { flushMs: 50 } });
    const reading = readSse<SseBatch>(`${server.url}/events`,
      (msgs) => msgs.some((m) => m.events.some((e) => e.kind === 'hedge')) && msgs.some((m) => m.vaults.length > 0));
    await waitForSubscribers(engine, 2);
    const s = engine.sim('v1');
    engine.tick(60_000, 0);
    engine.hedgeNow(s, 'band');
    engine.emit({ kind: 'rejected', source: 'file', reason: 'bad.row' });
    engine.emit({ kind: 'rejected', source: 'file', reason: 'bad.row' });
    const msgs = await reading;
    const events = msgs.flatMap((m) => m.events);
    expect(events.filter((e) => e.kind === 'transition').map((e) => e.kind === 'transition' && e.entry.to)).toEqual(['hedging', 'cooldown']);
    const hedge = events.find((e) => e.kind === 'hedge');
    expect(hedge?.kind === 'hedge' && hedge.entry.clientOrderId).toBe('v1-1');
    const lastVault = msgs.flatMap((m) => m.vaults).at(-1);
    expect(lastVault?.vault.vaultId).toBe('v1');
    expect(lastVault?.vault.state).toBe('cooldown');
    expect(lastVault?.vault.context).not.toHaveProperty('book'); // the book stays out of the stream
    expect(lastVault?.vault.context.perpBtc).toBe(engine.vaults()[0]!.context.perpBtc);
    expect(msgs.flatMap((m) => m.rejected)).toEqual([{ source: 'file', reason: 'bad.row', count: 2 }]);
    await waitForSubscribers(engine, 1);
  });

  it('coalesces a max-speed flood of points into a few messages a second', async () => {
    const engine = new FakeEngine({ vaultIds: ['v1', 'v2'] });
    server = await startHttpServer({ port: 0, engine, controlToken: undefined, defaultMetrics: false, sse: { flushMs: 250 } });
    const started = Date.now();
    let flooding = true;
    const reading = readSse<SseBatch>(`${server.url}/events`, () => !flooding, 4000);
    await waitForSubscribers(engine, 2);
    let ticks = 0;
    // ~1 s of flooding: thousands of point updates per vault.
    while (Date.now() - started < 1000) { for (let i = 0; i < 200; i++) { engine.tick(1000, 0.00001); ticks++; } await sleep(1); }
    await sleep(300);
    flooding = false;
    engine.emit({ kind: 'rejected', source: 'x', reason: 'wake' }); // one more message so the reader sees the flag
    const msgs = await reading;
    const elapsedSec = (Date.now() - started) / 1000;
    expect(ticks).toBeGreaterThan(1000);
    expect(msgs.length).toBeLessThanOrEqual(Math.ceil(elapsedSec * 4) + 2);
    for (const m of msgs) expect(m.vaults.length).toBeLessThanOrEqual(2);
    // The latest point is not lost.
    const last = msgs.flatMap((m) => m.vaults).filter((u) => u.vault.vaultId === 'v1').at(-1);
    expect(last?.point.at).toBe(engine.sim('v1').points.at(-1)?.at);
  });

  it('sends heartbeats and cleans up a client that disconnects', async () => {
    const engine = new FakeEngine({ vaultIds: ['v1'] });
    server = await startHttpServer({ port: 0, engine, controlToken: undefined, defaultMetrics: false, sse: { heartbeatMs: 50 } });
    const ac = new AbortController();
    const r = await fetch(`${server.url}/events`, { signal: ac.signal });
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = r.body!.getReader();
    let text = '';
    while (!text.includes(': ping')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/^retry: \d+/);
    await waitForSubscribers(engine, 2);
    ac.abort();
    await waitForSubscribers(engine, 1);
  });

  it('ends open streams when the server closes', async () => {
    const engine = new FakeEngine({ vaultIds: ['v1'] });
    const s = await startHttpServer({ port: 0, engine, controlToken: undefined, defaultMetrics: false });
    const r = await fetch(`${s.url}/events`);
    const reader = r.body!.getReader();
    await reader.read();
    await s.close();
    for (;;) { const { done } = await reader.read(); if (done) break; }
    expect(engine.liveSubscribers()).toBe(0);
  });
});
