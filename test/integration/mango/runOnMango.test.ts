// `omm-hedger run` as an operator would point it at a Mango v3 deployment: the group's oracle
// as the live price feed and Mango perps as the hedge venue, here the loopback fake cluster
// (a custom group entry, a 0600 keypair). Oracle moves make the vault hedge on Mango.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../fixtures/cliProcess.ts';
import { startMangoHarness, type MangoHarness } from '../../fixtures/mango/mangoHarness.ts';
import { withOraclePrice } from '../../fixtures/mango/mangoWorld.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-run-mango-'));
let h: MangoHarness | undefined;
afterAll(async () => { await h?.close(); rmSync(dir, { recursive: true, force: true }); });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run with venue mango and the Mango oracle feed', () => {
  it('hedges on Mango when the oracle moves, and the journal verifies', async () => {
    h = await startMangoHarness({ world: { oraclePriceUsd: 25_000 }, midLots: 250_000, depthLots: 200_000 });
    const mango = {
      rpcUrl: h.rpc.url, wsUrl: h.rpc.wsUrl, group: h.world.groupJson, market: 'BTC-PERP',
    };
    const config = join(dir, 'mango.json');
    const db = join(dir, 'mango.db');
    writeFileSync(config, JSON.stringify({
      prices: { kind: 'mango-oracle', ...mango },
      venue: { kind: 'mango', ...mango, keypairPath: h.keypairPath, mangoAccountPubkey: h.world.mangoAccount.toBase58(), timeoutMs: 5_000 },
      takers: null, log: { level: 'warn' }, http: { enabled: false },
      vaults: [{
        id: 'mv', volPerYear: 0.6,
        book: [{ instrument: 'BTC-29DEC28-25000-C', qty: -10 }, { instrument: 'BTC-29DEC28-25000-P', qty: -10 }],
        bands: { kind: 'fixed', quoteBtc: 0.1, hedgeBtc: 0.3, reentryBtc: 0.05, hardBtc: 5 },
        cooldownMs: 500,
      }],
    }));
    const p = startCli(['run', '--config', config, '--db', db, '--create']);
    const deadline = Date.now() + 40_000;
    while (h.rpc.count('ws:accountSubscribe') === 0 && Date.now() < deadline) await sleep(100);
    for (const px of [25_000, 25_090, 24_910, 25_080]) {
      await sleep(1_200); // the cache's update time has whole seconds
      h.rpc.setAccount(h.world.cache, withOraclePrice(h.world, px));
    }
    await sleep(2_000);
    p.child.kill('SIGTERM');
    const end = await p.done;
    expect(end.code, end.stderr).toBe(0);
    const j = await runCli(['journal', '--db', db, '--all', '--json']);
    const rows = j.stdout.trim().split('\n').map((l) => JSON.parse(l) as { eventType: string; toState: string });
    expect(rows.filter((r) => r.eventType === 'price.tick').length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => r.eventType === 'hedge.filled').length).toBeGreaterThanOrEqual(1);
    expect(h.model.placed.length).toBeGreaterThanOrEqual(1);
    expect((await runCli(['verify', '--db', db])).code).toBe(0);
  }, 120_000);
});
