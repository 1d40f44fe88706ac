// --inspect relay: loopback only, serves the bridge page, and forwards the inspection events
// of a real XState actor to a connected "browser" socket.
import { WebSocket } from 'ws';
import { createActor, createMachine } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { startStatelyInspect, type RunningStatelyInspect } from '../../../src/server/statelyInspect.ts';

let relay: RunningStatelyInspect | null = null;
afterEach(async () => { await relay?.stop(); relay = null; });

describe('stately inspect relay', () => {
  it('binds 127.0.0.1, serves the bridge page and relays actor events', async () => {
    relay = await startStatelyInspect({ port: 0 });
    expect(relay.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await (await fetch(relay.url)).text();
    expect(page).toContain('stately.ai/inspect');
    expect(page).toContain(relay.url.replace('http', 'ws'));

    const browser = new WebSocket(relay.url.replace('http', 'ws'));
    const got: { type: string }[] = [];
    browser.on('message', (d: Buffer) => got.push(JSON.parse(d.toString('utf8'))));
    await new Promise((r) => browser.once('open', r));

    const machine = createMachine({ id: 'toy', initial: 'neutral', states: { neutral: { on: { go: 'hedging' } }, hedging: {} } });
    const actor = createActor(machine, { inspect: relay.inspect }).start();
    actor.send({ type: 'go' });
    for (let i = 0; i < 200 && !got.some((e) => e.type === '@xstate.snapshot' && JSON.stringify(e).includes('hedging')); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(got.some((e) => e.type === '@xstate.actor')).toBe(true);
    expect(got.some((e) => e.type === '@xstate.snapshot' && JSON.stringify(e).includes('hedging'))).toBe(true);
    actor.stop();
    browser.close();
  });
});
