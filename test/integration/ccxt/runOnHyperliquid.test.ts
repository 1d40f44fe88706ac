// `omm-hedger run` as an operator would point it at Hyperliquid, here the loopback double:
// venue.kind ccxt with its mark price as the live feed (prices.kind venue). Mark moves make the
// vault hedge; the journal verifies; the venue's position equals the vault's; rate-limit
// backoffs show in /metrics; the private key appears nowhere (output, journal, metrics).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../fixtures/cliProcess.ts';
import { HlDouble } from '../../fixtures/ccxt/hyperliquid/hlDouble.ts';
import { writeHlRunConfig } from '../../fixtures/ccxt/hyperliquid/hlRunConfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-run-hl-'));
let d: HlDouble | undefined;
afterAll(async () => { await d?.close(); rmSync(dir, { recursive: true, force: true }); });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run with venue ccxt (Hyperliquid double) and the venue\'s mark price', () => {
  it('hedges on the venue as the mark moves, reconciles, and the journal verifies', async () => {
    d = await HlDouble.start({ stateFile: join(dir, 'hl-state.json'), init: { markPx: 25_000, levels: [{ offsetBps: 5, sizeBtc: 50 }, { offsetBps: 100, sizeBtc: 50 }] } });
    // Debug logs, so the key is looked for in everything the process can print.
    const { config, credentials } = writeHlRunConfig(dir, d.url, { top: { http: { enabled: true, port: 0, host: '127.0.0.1' }, log: { level: 'debug' } } });
    const db = join(dir, 'hl.db');
    const p = startCli(['run', '--config', config, '--db', db, '--create']);
    const deadline = Date.now() + 40_000;
    while (!/dashboard on (http:\/\/\S+)\//.test(p.stdout()) && Date.now() < deadline) await sleep(100);
    const base = /dashboard on (http:\/\/\S+)\//.exec(p.stdout())?.[1];
    expect(base, p.stdout()).toBeDefined();
    // Two rate-limit answers on the way: backed off, counted, then served.
    d.faults.rateLimitNext = 2;
    // Moves under 1% each (the feed's jump filter holds back bigger single prints).
    for (const px of [25_000, 25_200, 25_000, 24_800, 25_000]) {
      await sleep(700);
      d.setMark(px);
    }
    for (const end = Date.now() + 10_000; d.orderActions().length < 3 && Date.now() < end;) await sleep(100);
    await sleep(1_200); // a reconcile round or two with the venue
    const metrics = await (await fetch(`${base}/metrics`)).text();
    p.child.kill('SIGTERM');
    const end = await p.done;
    expect(end.code, end.stderr).toBe(0);

    expect(d.orderActions().length).toBeGreaterThanOrEqual(3);
    expect(d.orderActions().every((a) => a.builder === undefined)).toBe(true);
    // Hedges that only shrink the long position go reduce-only.
    expect(d.orderActions().some((a) => a.orders[0]?.r === true)).toBe(true);
    // The position was read at start and again every reconcileEveryMs, without a false alarm.
    expect(d.requests.filter((r) => (r.body as { type?: string }).type === 'clearinghouseState').length).toBeGreaterThanOrEqual(4);
    const rows = (await runCli(['journal', '--db', db, '--all', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { eventType: string; event: { reason?: string } });
    expect(rows.filter((r) => r.eventType === 'price.tick').length).toBeGreaterThanOrEqual(4);
    expect(rows.filter((r) => r.eventType === 'hedge.filled').length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => r.eventType === 'control.pause')).toEqual([]);
    expect((await runCli(['verify', '--db', db])).code).toBe(0);
    const status = JSON.parse((await runCli(['status', '--db', db, '--json'])).stdout) as { vaults: { perpBtc: number }[] };
    expect(d.state.positionSzi).toBeCloseTo(status.vaults[0]?.perpBtc ?? NaN, 9);
    expect(Math.abs(d.state.positionSzi)).toBeGreaterThan(0);
    expect(Number(/^omm_venue_rate_limit_backoffs_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);

    // The key is nowhere: not in what the process printed, the metrics, or any file it wrote.
    const key = credentials.privateKey.slice(2);
    const files = readdirSync(dir).filter((f) => f.startsWith('hl.db')).map((f) => readFileSync(join(dir, f)).toString('latin1'));
    for (const t of [end.stdout, end.stderr, metrics, ...rows.map((r) => JSON.stringify(r)), ...files]) expect(t.includes(key)).toBe(false);
  }, 90_000);
});
