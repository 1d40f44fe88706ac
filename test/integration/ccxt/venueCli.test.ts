// The operator's side of a ccxt venue: `venue check` against the Hyperliquid double (text and
// JSON, exit 0; a venue that does not answer: exit 1 in one line), and the safety gates:
// mainnet only with --live, a credentials file others can read refused, an untested exchange
// refused naming the tested ones; the key printed nowhere. Commands run in-process (the
// registrars main.ts uses) except one end-to-end `run` refusal.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/cliError.ts';
import { runCli } from '../../fixtures/cliProcess.ts';
import { runCommand } from '../../fixtures/runCommand.ts';
import { HlDouble } from '../../fixtures/ccxt/hyperliquid/hlDouble.ts';
import { writeHlRunConfig, type HlRunFiles } from '../../fixtures/ccxt/hyperliquid/hlRunConfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-venue-cli-'));
let d: HlDouble;
let files: HlRunFiles;
beforeAll(async () => {
  d = await HlDouble.start({ init: { markPx: 30_000 } });
  files = writeHlRunConfig(dir, d.url);
});
afterAll(async () => { await d.close(); rmSync(dir, { recursive: true, force: true }); });

/** The run config with some venue fields changed, written beside the original. */
function variant(name: string, venue: Record<string, unknown>): string {
  const cfg = JSON.parse(readFileSync(files.config, 'utf8')) as { venue: Record<string, unknown> };
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...cfg, venue: { ...cfg.venue, ...venue } }));
  return path;
}

const oneLine = (s: string): void => { expect(s.trim().split('\n')).toHaveLength(1); };
const cli = (args: string[]): Promise<string> => runCommand(args);
/** The CliError a command fails with (what main.ts prints as `omm-hedger: <message>` and exits with). */
async function failure(args: string[]): Promise<CliError> {
  const err = await cli(args).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
}

describe('omm-hedger venue check', () => {
  it('prints the market, fees, position, collateral and a never-seen client id; --json gives one object', async () => {
    const out = await cli(['venue', 'check', '--config', files.config]);
    expect(out).toMatch(/hyperliquid BTC\/USDC:USDC \(testnet, at http:\/\/127\.0\.0\.1:\d+\)/);
    expect(out).toMatch(/min size: +0\.00001 BTC \(step 0\.00001 BTC\)/);
    expect(out).toMatch(/tick: +1 USD at mark 30000 USD/);
    expect(out).toMatch(/taker 4\.5 bps/);
    expect(out).toMatch(/free collateral: +\d+/);
    expect(out).toMatch(/looks up as never seen/);
    expect(out.trim().split('\n').at(-1)).toBe('venue check: ok');
    const json = await cli(['venue', 'check', '--config', files.config, '--json']);
    const c = JSON.parse(json) as { contract: { kind: string; contractSize: number; minNotionalUsd: number }; position: { sizeBtc: number }; madeUpClientId: { lookup: string } };
    expect(c.contract).toMatchObject({ kind: 'linear', contractSize: 1, minNotionalUsd: 10 });
    expect(c.position.sizeBtc).toBe(0);
    expect(c.madeUpClientId.lookup).toBe('never seen');
    expect(d.orderActions()).toEqual([]);
    for (const t of [out, json]) expect(t).not.toContain(files.credentials.privateKey.slice(2));
  }, 60_000);

  it('exits 1 with one line when the venue does not answer', async () => {
    const e = await failure(['venue', 'check', '--config', variant('down', { apiUrl: 'http://127.0.0.1:9', timeoutMs: 500 })]);
    expect(e.exitCode).toBe(1);
    oneLine(e.message);
    expect(e.message).toMatch(/^hyperliquid venue: hyperliquid loading markets: /);
  }, 60_000);

  it('exits 1 naming the fields when the credentials are malformed, without quoting them', async () => {
    const bad = join(dir, 'bad-keys.json');
    writeFileSync(bad, JSON.stringify({ walletAddress: 'nope', privateKey: 'secret-value-123' }));
    chmodSync(bad, 0o600);
    const e = await failure(['venue', 'check', '--config', variant('badkeys', { credentials: bad })]);
    expect(e.exitCode).toBe(1);
    oneLine(e.message);
    expect(e.message).toMatch(/credentials must be .*wrong or missing: walletAddress, privateKey/);
    expect(e.message).not.toContain('secret-value-123');
  }, 60_000);
});

describe('run: safety gates of a ccxt venue', () => {
  it('refuses mainnet without --live, in one line', async () => {
    const r = await runCli(['run', '--config', variant('mainnet', { testnet: false }), '--db', join(dir, 'm.db'), '--create']);
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/mainnet \(testnet: false\): refusing to trade real money without `run --live`/);
  }, 60_000);

  it('refuses --live on testnet', async () => {
    const e = await failure(['run', '--config', files.config, '--live', '--db', join(dir, 'l.db'), '--create']);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/--live was given but venue hyperliquid is on testnet/);
  });

  it('refuses a credentials file that group or others can read', async () => {
    const open = join(dir, 'open-keys.json');
    writeFileSync(open, readFileSync(files.credentialsFile));
    chmodSync(open, 0o644);
    const e = await failure(['venue', 'check', '--config', variant('openkeys', { credentials: open })]);
    expect(e.exitCode).toBe(1);
    oneLine(e.message);
    expect(e.message).toMatch(/is accessible by group or others \(mode 644\); run: chmod 600/);
    expect(e.message).not.toContain(files.credentials.privateKey.slice(2));
  });

  it('refuses an exchange the adapter is not tested on, naming the tested ones', async () => {
    const e = await failure(['config', 'check', variant('kraken', { exchange: 'krakenfutures' })]);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/venue\.exchange: got "krakenfutures"; not a tested exchange; the ccxt adapter is tested on hyperliquid and binanceusdm/);
  });
});
