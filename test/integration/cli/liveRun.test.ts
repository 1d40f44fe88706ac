// `run` on a live feed: Pyth through a loopback Hermes server, on the wall clock. Ticks reach the
// vault, a big move hedges on the simulated venue, a silent feed goes stale and recovers, and
// SIGTERM shuts down cleanly with a journal that verifies. Started again once the last price is
// older than the staleness limit, the vault is stale from its start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BTC_USD_FEED_ID } from '../../../src/streams/hermesParse.ts';
import { runCli, startCli } from '../../fixtures/cliProcess.ts';
import { hermesBody, startFakeHermes } from '../../fixtures/streams/fakeHermes.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run on a live Hermes feed', () => {
  it('hedges, goes stale and recovers, stops on SIGTERM', async () => {
    const hermes = await startFakeHermes();
    const config = join(dir, 'live.json');
    const db = join(dir, 'live.db');
    writeFileSync(config, JSON.stringify({
      prices: { kind: 'hermes', endpoint: hermes.url },
      takers: null,
      log: { level: 'warn' },
      http: { enabled: false },
      vaults: [{
        id: 'live', volPerYear: 0.6,
        book: [{ instrument: 'BTC-29DEC28-60000-C', qty: -10 }, { instrument: 'BTC-29DEC28-60000-P', qty: -10 }],
        bands: { kind: 'fixed', quoteBtc: 0.3, hedgeBtc: 0.8, reentryBtc: 0.15, hardBtc: 3 },
        cooldownMs: 1_000,
        limits: { maxPriceAgeMs: 2_500 },
      }],
    }));
    const p = startCli(['run', '--config', config, '--db', db, '--create']);
    let t = Math.floor(Date.now() / 1000);
    const push = (price: number) => { t += 1; hermes.push(JSON.stringify(hermesBody(BTC_USD_FEED_ID, { price, conf: price * 1e-4, expo: -8, publishTime: t }))); };
    const deadline = Date.now() + 30_000;
    while (hermes.streams() === 0 && Date.now() < deadline) await sleep(100);
    expect(hermes.streams()).toBeGreaterThan(0);
    for (const px of [60_000, 60_100, 60_300, 61_500, 62_000, 62_100]) { push(px); await sleep(300); }
    await sleep(4_000); // silent feed: stale after 2.5 s
    push(62_050);
    await sleep(1_500);
    p.child.kill('SIGTERM');
    const end = await p.done;
    expect(end.code, end.stderr).toBe(0);

    // A second life once the last price is older than maxPriceAgeMs (2.5 s), the feed silent: the
    // vault is stale from the start (no quotes, no hedges on that price), not 2.5 s later.
    while (Date.now() / 1000 - t < 3) await sleep(100);
    const streamsBefore = hermes.streams();
    const again = startCli(['run', '--config', config, '--db', db]);
    while (hermes.streams() === streamsBefore && Date.now() < deadline + 30_000) await sleep(50);
    const startedAt = Date.now();
    again.child.kill('SIGTERM');
    const second = await again.done;
    await hermes.close();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('last price older than the staleness limit');

    const j = await runCli(['journal', '--db', db, '--all', '--json']);
    const rows = j.stdout.trim().split('\n').map((l) => JSON.parse(l) as { eventType: string; toState: string; fromState: string; at: number });
    const types = rows.map((r) => r.eventType);
    expect(types.filter((x) => x === 'price.tick').length).toBeGreaterThanOrEqual(6);
    expect(rows.some((r) => r.toState === 'hedging')).toBe(true);
    expect(types).toContain('hedge.filled');
    const stale = types.indexOf('feed.stale');
    expect(stale).toBeGreaterThan(0);
    expect(types.indexOf('feed.recovered')).toBeGreaterThan(stale);
    // The second life's first row: stale at its start, before the feed was even connected.
    const last = rows.at(-1) as { eventType: string; at: number };
    expect(last.eventType).toBe('feed.stale');
    expect(last.at).toBeLessThanOrEqual(startedAt);
    expect(last.at).toBeGreaterThan(t * 1000 + 2_500);
    expect((await runCli(['verify', '--db', db])).code).toBe(0);
  }, 90_000);
});
