// The CLI as users run it: a short scripted run, then status / journal / verify on its
// database, and the errors bad input gets (one line, non-zero, no stack trace).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../fixtures/cliProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-cli-'));
const prices = join(dir, 'prices.csv');
const db = join(dir, 'run.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const lines = readFileSync(new URL('../../../data/btcusdt-binanceus-1m-2023-03-01_21.csv', import.meta.url), 'utf8').split('\n');
  writeFileSync(prices, lines.slice(0, 1_441).join('\n'));
  const r = await runCli(['run', '--prices', prices, '--speed', 'max', '--until-end', '--db', db, '--create', '--no-http', '--log-level', 'warn', '--seed', '4']);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe('omm-hedger run / status / journal / verify', () => {
  it('status shows both demo vaults with their positions, as stable JSON', async () => {
    const a = await runCli(['status', '--db', db, '--json']);
    const b = await runCli(['status', '--db', db, '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const s = JSON.parse(a.stdout) as { vaults: { vaultId: string; state: string; perpBtc: number; options: unknown[]; openHedgeOrders: unknown[] }[] };
    expect(s.vaults.map((v) => v.vaultId)).toEqual(['alpha', 'beta']);
    for (const v of s.vaults) {
      expect(['neutral', 'overexposed', 'underexposed', 'cooldown', 'halted']).toContain(v.state);
      expect(v.options.length).toBeGreaterThan(0);
      expect(v.openHedgeOrders).toEqual([]);
    }
    expect(a.stdout).not.toMatch(/recordedAt/);
  });

  it('status shows each vault\'s PnL as the backtest of the same file and seed splits it, and the book\'s risk', async () => {
    const st = JSON.parse((await runCli(['status', '--db', db, '--json'])).stdout) as { vaults: { vaultId: string; pnl: Record<string, number | null>; risk: Record<string, number> }[] };
    const bt = await runCli(['backtest', '--prices', prices, '--seed', '4', '--json']);
    expect(bt.code, bt.stderr).toBe(0);
    const result = JSON.parse(bt.stdout) as { vaults: Record<string, { pnl: Record<string, number>; feesUsd: number; fundingUsd: number }> };
    for (const v of st.vaults) {
      const m = result.vaults[v.vaultId]!;
      // The run and the backtest are the same engine on the same inputs: one PnL split, the same numbers.
      for (const k of ['optionUsd', 'optionCashUsd', 'bookMarkChangeUsd', 'hedgeUsd', 'perpMarkToMarketUsd', 'hedgeTradeCashUsd', 'totalUsd']) {
        expect(v.pnl[k], `${v.vaultId} ${k}`).toBeCloseTo(m.pnl[k]!, 4);
      }
      expect(v.pnl.feesUsd).toBeCloseTo(m.feesUsd, 6);
      expect(v.pnl.fundingUsd).toBeCloseTo(m.fundingUsd, 4);
      expect(v.risk.vegaUsdPerVolPt).toBeCloseTo(v.risk.vegaUsdPerVol! / 100, 9);
      expect(v.risk.thetaUsdPerDay).toBeCloseTo(v.risk.thetaUsdPerYear! / 365, 9);
    }
    const text = await runCli(['status', '--db', db]);
    expect(text.stdout).toMatch(/PnL since 2023-03-01T00:\d\d:00\.000Z \(spot [\d.]+\): option [+-][\d,]+ USD, hedge [+-][\d,]+ USD \(fees [+-][\d,]+, funding [+-][\d,]+\), total [+-][\d,]+ USD/);
    expect(text.stdout).toMatch(/book: gamma [+-][\d.]+ BTC per 1% move, vega [+-][\d,]+ USD per vol point, theta [+-][\d,]+ USD per day/);
  }, 60_000);

  it('journal lists transitions with reasons, filters by vault and seq', async () => {
    const r = await runCli(['journal', '--db', db, '--vault', 'alpha']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((l) => l.startsWith('alpha #'))).toBe(true);
    expect(r.stdout).toMatch(/-> hedging on price\.tick: \|delta\| [\d.]+ >= hedge band/);
    const seq = Number(/#(\d+)/.exec(lines[2] ?? '')?.[1]);
    const since = await runCli(['journal', '--db', db, '--vault', 'alpha', '--since', String(seq), '--json']);
    const rows = since.stdout.trim().split('\n').map((l) => JSON.parse(l) as { seq: number });
    expect(rows.every((x) => x.seq > seq)).toBe(true);
    expect(rows.length).toBe(lines.length - 3);
  });

  it('verify passes on the run and fails on a tampered snapshot', async () => {
    expect((await runCli(['verify', '--db', db])).code).toBe(0);
    const copy = join(dir, 'tampered.db');
    const sqlite3 = (await import('sqlite3')).default;
    const exec = (file: string, sql: string): Promise<void> => new Promise<void>((res, rej) => {
      const conn = new sqlite3.Database(file);
      conn.exec(sql, (e) => conn.close(() => (e ? rej(e) : res())));
    });
    await exec(db, `VACUUM INTO '${copy}'`);
    await exec(copy, "UPDATE snapshots SET snapshot_json = json_set(snapshot_json, '$.context.perpBtc', 123.5) WHERE vault_id = 'alpha'");
    const r = await runCli(['verify', '--db', copy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/verify failed: vault alpha: context\.perpBtc: journal -?[\d.]+ vs snapshot 123\.5/);
  });

  it('resumes where the journal ends instead of starting over', async () => {
    const before = await runCli(['journal', '--db', db, '--all', '--json']);
    const again = await runCli(['run', '--prices', prices, '--speed', 'max', '--until-end', '--db', db, '--no-http', '--log-level', 'warn', '--seed', '4']);
    expect(again.code, again.stderr).toBe(0);
    const after = await runCli(['journal', '--db', db, '--all', '--json']);
    expect(after.stdout).toBe(before.stdout);
  });

  it('refuses a second engine on the same database while the first runs', async () => {
    const busy = join(dir, 'busy.db');
    const first = startCli(['run', '--prices', prices, '--speed', '1', '--db', busy, '--create', '--no-http', '--log-level', 'warn']);
    const deadline = Date.now() + 20_000;
    while (!existsSync(`${busy}.lock`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const second = await runCli(['run', '--prices', prices, '--speed', 'max', '--until-end', '--db', busy, '--no-http']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/is in use by process \d+/);
    first.child.kill('SIGTERM');
    expect((await first.done).code).toBe(0);
    expect(existsSync(`${busy}.lock`)).toBe(false);
  });

  it('a second signal exits at once; the journal still verifies and the next start resumes', async () => {
    const twice = join(dir, 'twice.db');
    const p = startCli(['run', '--prices', prices, '--speed', '20000', '--db', twice, '--create', '--no-http', '--log-level', 'warn', '--fault-effect-delay-ms', '200']);
    const deadline = Date.now() + 20_000;
    while (!existsSync(`${twice}.lock`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 800));
    p.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    p.child.kill('SIGINT');
    const end = await p.done;
    expect(end.code).toBe(130);
    expect((await runCli(['verify', '--db', twice])).code).toBe(0);
    const again = await runCli(['run', '--prices', prices, '--speed', 'max', '--until-end', '--db', twice, '--no-http', '--log-level', 'warn']);
    expect(again.code, again.stderr).toBe(0);
    expect((await runCli(['verify', '--db', twice])).code).toBe(0);
  });

  it('a SIGTERM during startup (recovery, reconcile) still shuts down cleanly with exit 0', async () => {
    const early = join(dir, 'early.db');
    // A fresh journal every round: the lock appears before recovery, so the signal lands mid-startup.
    for (let round = 0; round < 3; round++) {
      rmSync(early, { force: true });
      const p = startCli(['run', '--prices', prices, '--speed', '1', '--db', early, '--create', '--no-http', '--log-level', 'warn']);
      const deadline = Date.now() + 20_000;
      while (!existsSync(`${early}.lock`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      p.child.kill('SIGTERM');
      const end = await p.done;
      expect(end.code, `${String(end.signal)} ${end.stderr}`).toBe(0);
      expect(existsSync(`${early}.lock`)).toBe(false);
      expect((await runCli(['verify', '--db', early])).code).toBe(0);
    }
  });

  it('--inspect serves the Stately inspector bridge on 127.0.0.1 while it runs', async () => {
    const port = await new Promise<number>((res) => { const srv = createServer(); srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => res(p)); }); });
    const p = startCli(['run', '--prices', prices, '--speed', '1', '--db', join(dir, 'inspect.db'), '--create', '--no-http', '--log-level', 'warn', '--inspect', String(port)]);
    let page = '';
    for (let i = 0; i < 200 && !page; i++) {
      page = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), () => '');
      if (!page) await new Promise((r) => setTimeout(r, 100));
    }
    expect(page).toMatch(/stately\.ai\/inspect/);
    p.child.kill('SIGTERM');
    expect((await p.done).code).toBe(0);
  });

  it('refuses bad input with one line and no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['status', '--db', join(dir, 'missing.db')], /does not exist \(pass --create/],
      [['run', '--db', join(dir, 'missing.db'), '--no-http', '--config', join(dir, 'nope.yaml')], /config .*nope\.yaml does not exist/],
      [['run', '--speed', 'fast', '--no-http'], /--speed must be "max" or a number > 0/],
      [['journal', '--db', db, '--since', '-3'], /--since must be/],
      [['journal', '--db', db, '--vault', 'zzz'], /no vault "zzz"/],
      [['greeks', '--type', 'call', '--spot', '-1', '--strike', '1', '--years', '1', '--vol', '0.2'], /spot/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const corrupt = join(dir, 'corrupt.db');
    writeFileSync(corrupt, 'this is not a database at all, just text\n'.repeat(200));
    const r = await runCli(['status', '--db', corrupt]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/corrupt|not a database/i);
  });

  it('config check names the path, the bad value and what was expected', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'prices: {kind: csv, path: x.csv}\nvaults:\n  - id: v1\n    book: [{instrument: BTC-31MAR23-25000-C, qty: -1}]\n    bands: {kind: fixed, quoteBtc: 1, hedgeBtc: -3, reentryBtc: 0.5, hardBtc: 6}\n');
    const r = await runCli(['config', 'check', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vaults\[0\]\.bands\.hedgeBtc: got -3; expected number to be >0/);
    const run = await runCli(['run', '--config', bad, '--no-http']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/vaults\[0\]\.bands\.hedgeBtc/);
    const init = await runCli(['config', 'init', join(dir, 'ex.yaml')]);
    expect(init.code).toBe(0);
    expect((await runCli(['config', 'check', join(dir, 'ex.yaml')])).code).toBe(0);
  });
});
