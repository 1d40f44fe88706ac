// The operator's side of a Deribit account: the config (testnet by default, deribit-index only
// with venue.kind deribit, an empty book only for a deribit vault, one vault per account),
// `venue check` against the double (text and JSON, exit 0; bad credentials, an unreachable
// venue and a group-readable credentials file: one line, exit 1), and the mainnet gate
// (testnet: false needs run --live; --live on testnet refused). The secret is printed nowhere.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/cliError.ts';
import { validateConfig } from '../../../src/cli/config/loadConfig.ts';
import { runCli } from '../../fixtures/cliProcess.ts';
import { runCommand } from '../../fixtures/runCommand.ts';
import { writeDeribitRunConfig, type DeribitRunFiles } from '../../fixtures/deribit/deribitRunConfig.ts';
import { DeribitDouble } from '../../fixtures/deribit/server.ts';
import { seriesOf } from '../../fixtures/deribit/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-deribit-cli-'));
let d: DeribitDouble;
let files: DeribitRunFiles;
beforeAll(async () => {
  d = await DeribitDouble.start({ indexUsd: 30_000 });
  files = writeDeribitRunConfig(dir, d);
});
afterAll(async () => { await d.close(); rmSync(dir, { recursive: true, force: true }); });

function variant(name: string, change: (cfg: Record<string, unknown> & { venue: Record<string, unknown> }) => void): string {
  const cfg = JSON.parse(readFileSync(files.config, 'utf8')) as Record<string, unknown> & { venue: Record<string, unknown> };
  change(cfg);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(cfg));
  return path;
}
const oneLine = (s: string): void => { expect(s.trim().split('\n')).toHaveLength(1); };
async function failure(args: string[]): Promise<CliError> {
  const err = await runCommand(args).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
}
const base = { prices: { kind: 'deribit-index' }, venue: { kind: 'deribit', credentials: '/x.json' }, vaults: [{ id: 'a' }] };

describe('deribit config', () => {
  it('defaults to testnet and BTC-PERPETUAL; a deribit vault may leave its book out', () => {
    const cfg = validateConfig(base, 't');
    expect(cfg.venue).toMatchObject({ kind: 'deribit', testnet: true, perpInstrument: 'BTC-PERPETUAL', timeoutMs: 5_000 });
    expect(cfg.vaults[0]?.book).toEqual([]);
    expect(cfg.prices).toMatchObject({ kind: 'deribit-index', conflateMs: 100 });
  });

  it('refuses deribit-index without venue.kind deribit, an empty book elsewhere, and two vaults on one account', () => {
    expect(() => validateConfig({ ...base, venue: { kind: 'sim' } }, 't')).toThrow(/prices\.kind "deribit-index" .* needs venue\.kind "deribit"/);
    expect(() => validateConfig({ prices: { kind: 'csv', path: 'x.csv' }, vaults: [{ id: 'a' }] }, 't')).toThrow(/vaults\[0\]\.book: .*needs at least one series/);
    expect(() => validateConfig({ ...base, vaults: [{ id: 'a' }, { id: 'b' }] }, 't')).toThrow(/exactly one vault per account/);
  });

  it('config check names a missing credentials file', async () => {
    const path = variant('missing-creds', (c) => { c.venue.credentials = join(dir, 'nope.json'); });
    const err = await failure(['config', 'check', path]);
    expect(err.message).toMatch(/venue\.credentials: .*nope\.json does not exist/);
  });
});

describe('omm-hedger venue check on deribit', () => {
  it('prints the perp contract, options listed, positions, equity, MMP and a never-seen label; --json gives one object', async () => {
    const series = seriesOf([...d.state.instruments.keys()], 1, 30_000, 'C');
    d.state.positions.set(series, { size: -3, avgPrice: 0.05 });
    const out = await runCommand(['venue', 'check', '--config', files.config]);
    expect(out).toMatch(/deribit BTC-PERPETUAL \+ BTC options testnet at ws:\/\/127\.0\.0\.1:\d+\/ws\/api\/v2/);
    expect(out).toMatch(/perp: +BTC-PERPETUAL, contract 10 USD, tick 0\.5 USD, min amount 10 USD/);
    expect(out).toMatch(/options: +\d+ BTC options listed; index 30000 USD/);
    expect(out).toContain(`${series} -3`);
    expect(out).toMatch(/mmp: +not set/);
    expect(out).toMatch(/looks up as never seen/);
    expect(out.trim().split('\n').at(-1)).toBe('venue check: ok');
    const json = JSON.parse(await runCommand(['venue', 'check', '--config', files.config, '--json'])) as { options: { listed: number }; positions: { options: unknown[]; perpUsd: number }; equityBtc: number; madeUpLabel: { lookup: string } };
    expect(json.options.listed).toBeGreaterThan(4);
    expect(json.positions).toEqual({ options: [{ instrument: series, contracts: -3 }], perpUsd: 0 });
    expect(json.equityBtc).toBeGreaterThan(0);
    expect(json.madeUpLabel.lookup).toBe('never seen');
    expect(d.calls('private/buy') + d.calls('private/sell')).toBe(0);
    expect(out).not.toContain(files.clientSecret);
    d.state.positions.delete(series);
  }, 30_000);

  it('bad credentials, an unreachable venue and a group-readable credentials file: exit 1, one line, no secret', async () => {
    const badCreds = join(dir, 'bad-creds.json');
    writeFileSync(badCreds, JSON.stringify({ clientId: d.clientId, clientSecret: 'wrong-secret-42' }));
    chmodSync(badCreds, 0o600);
    const bad = await failure(['venue', 'check', '--config', variant('bad', (c) => { c.venue.credentials = badCreds; })]);
    expect(bad.exitCode).toBe(1);
    oneLine(bad.message);
    expect(bad.message).toMatch(/^deribit venue: /);
    expect(bad.message).not.toContain('wrong-secret-42');
    const down = await failure(['venue', 'check', '--config', variant('down', (c) => { c.venue.wsUrl = 'ws://127.0.0.1:9/ws/api/v2'; })]);
    expect(down.exitCode).toBe(1);
    oneLine(down.message);
    chmodSync(files.credentials, 0o644);
    try {
      const open = await failure(['venue', 'check', '--config', files.config]);
      expect(open.exitCode).toBe(1);
      expect(open.message).toMatch(/accessible by group or others \(mode 644\); run: chmod 600/);
    } finally {
      chmodSync(files.credentials, 0o600);
    }
  }, 30_000);

  it('run refuses mainnet without --live and --live on testnet, in one line each, before opening anything', async () => {
    const mainnet = variant('mainnet', (c) => { c.venue.testnet = false; });
    const db = join(dir, 'never.db');
    const a = await runCli(['run', '--config', mainnet, '--db', db, '--create']);
    expect(a.code).toBe(2);
    expect(a.stderr.trim()).toMatch(/venue deribit is configured for mainnet \(testnet: false\): refusing to trade real money without `run --live`/);
    oneLine(a.stderr);
    const b = await runCli(['run', '--config', files.config, '--db', db, '--create', '--live']);
    expect(b.code).toBe(2);
    expect(b.stderr.trim()).toMatch(/--live was given but venue deribit is on testnet/);
    expect(d.connections().length).toBe(0);
  }, 30_000);
});
