// `omm-hedger run` on Binance USDS-M through ccxt, here the loopback Binance double: the venue's
// mark (the double has no websocket, so the feed polls premiumIndex) moves, the vault hedges
// with IOC orders, the position check runs, the journal verifies, and the venue's position
// equals the vault's. The API secret appears nowhere.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../fixtures/cliProcess.ts';
import { BinanceUsdmDouble } from '../../fixtures/ccxt/binance/binanceUsdmDouble.ts';
import { BINANCE_SYMBOL } from '../../fixtures/ccxt/binance/binanceVenue.ts';
import { writeCcxtRunConfig } from '../../fixtures/ccxt/ccxtRunConfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-run-bn-'));
let double: BinanceUsdmDouble | undefined;
afterAll(async () => { await double?.close(); rmSync(dir, { recursive: true, force: true }); });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run with venue ccxt (Binance USDS-M double) and the venue\'s mark price', () => {
  it('hedges on the venue as the mark moves, reconciles, and the journal verifies', async () => {
    double = await BinanceUsdmDouble.start({ statePath: join(dir, 'bn-state.json'), referencePriceUsd: 25_000, depth: { depthBtcPerLevel: 5 } });
    const d = double;
    const { config, credentials } = writeCcxtRunConfig(dir, { exchange: 'binanceusdm', symbol: BINANCE_SYMBOL, url: d.url, credentials: { apiKey: d.config.apiKey, secret: d.config.secret } });
    const db = join(dir, 'bn.db');
    const p = startCli(['run', '--config', config, '--db', db, '--create']);
    const placed = async (): Promise<number> => (await d.requests()).filter((r) => r.method === 'POST' && r.path === '/fapi/v1/order').length;
    // Up once it has read the position (start-up reconciliation).
    for (const end = Date.now() + 60_000; !(await d.requests()).some((r) => r.path === '/fapi/v3/positionRisk');) {
      if (Date.now() > end || p.child.exitCode !== null) throw new Error(`run did not come up: ${(await p.done).stderr}`);
      await sleep(100);
    }
    for (const px of [25_000, 25_200, 25_000, 24_800, 25_000]) {
      await sleep(900);
      await d.setReferencePrice(px);
    }
    for (const end = Date.now() + 15_000; (await placed()) < 3 && Date.now() < end;) await sleep(100);
    await sleep(1_200);
    p.child.kill('SIGTERM');
    const end = await p.done;
    expect(end.code, end.stderr).toBe(0);

    const orders = (await d.requests()).filter((r) => r.method === 'POST' && r.path === '/fapi/v1/order');
    expect(orders.length).toBeGreaterThanOrEqual(3);
    expect(orders.every((o) => o.params.timeInForce === 'IOC' && o.params.type === 'LIMIT')).toBe(true);
    expect(Object.values(await d.booked()).every((n) => n === 1)).toBe(true);
    const rows = (await runCli(['journal', '--db', db, '--all', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { eventType: string });
    expect(rows.filter((r) => r.eventType === 'hedge.filled').length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => r.eventType === 'control.pause')).toEqual([]);
    expect((await runCli(['verify', '--db', db])).code).toBe(0);
    const status = JSON.parse((await runCli(['status', '--db', db, '--json'])).stdout) as { vaults: { perpBtc: number }[] };
    expect(await d.positionBtc()).toBeCloseTo(status.vaults[0]?.perpBtc ?? NaN, 9);
    expect((await d.requests()).filter((r) => r.path === '/fapi/v3/positionRisk').length).toBeGreaterThanOrEqual(4);
    const files = readdirSync(dir).filter((f) => f.startsWith('bn.db')).map((f) => readFileSync(join(dir, f)).toString('latin1'));
    for (const t of [end.stdout, end.stderr, ...files]) expect(t.includes(credentials.secret)).toBe(false);
  }, 120_000);
});
