// Errors as a user meets them, through the real command: usage errors are one line with exit
// code 2; storage, config and port problems say what is wrong in words, once; implausible
// inputs are refused or warned about.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type Finished } from '../../fixtures/cliProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const prices = join(dir, 'prices.csv');
writeFileSync(prices, readFileSync('data/btcusdt-binanceus-1m-2023-03-01_21.csv', 'utf8').split('\n').slice(0, 200).join('\n'));

function vaultYaml(vol = 0.6): string {
  return `vaults:\n  - id: v1\n    volPerYear: ${vol}\n    book: [{instrument: BTC-31MAR23-25000-C, qty: -1}]\n`;
}

function config(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** stderr as its lines, without the trailing newline. */
const lines = (r: Finished): string[] => r.stderr.replace(/\n$/, '').split('\n');

function expectOneLine(r: Finished, code: number, re: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(lines(r), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^omm-hedger: /);
  expect(r.stderr).toMatch(re);
}

describe('usage errors', () => {
  it('a missing option, an unknown command, an unknown option: exit 2, one line', async () => {
    const [missing, unknownCommand, unknownOption, noValue] = await Promise.all([
      runCli(['status']),
      runCli(['stauts', '--db', 'x.db']),
      runCli(['status', '--db', 'x.db', '--bogus']),
      runCli(['greeks', '--type']),
    ]);
    expectOneLine(missing, 2, /required option '--db <file>' not specified/);
    expectOneLine(unknownCommand, 2, /unknown command 'stauts' \(did you mean status\?\)/);
    expectOneLine(unknownOption, 2, /unknown option '--bogus'/);
    expectOneLine(noValue, 2, /option '--type <kind>' argument missing/);
    for (const r of [missing, unknownOption, noValue]) expect(r.stderr).toMatch(/--help/);
  });

  it('--help and --version still exit 0 and print to stdout', async () => {
    const [help, version] = await Promise.all([runCli(['--help']), runCli(['--version'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: omm-hedger/);
    expect(help.stdout).toMatch(/sim-venue/);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('databases', () => {
  it('a missing database names its path once', async () => {
    const path = join(dir, 'missing.db');
    const r = await runCli(['status', '--db', path]);
    expectOneLine(r, 1, /does not exist \(pass --create/);
    expect(r.stderr.split(path).length - 1).toBe(1);
  });

  it('a file that is not a database is told so, not to restore a backup', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const r = await runCli(['status', '--db', path]);
    expectOneLine(r, 1, /is not a database/);
    expect(r.stderr).not.toMatch(/backup/);
    expect(r.stderr.split(path).length - 1).toBe(1);
  });
});

describe('config files', () => {
  it('a missing config says it does not exist', async () => {
    const r = await runCli(['config', 'check', join(dir, 'nope.yaml')]);
    expectOneLine(r, 2, /config .*nope\.yaml does not exist/);
    expect(r.stderr).not.toMatch(/ENOENT/);
  });

  it('a YAML error shows where, with the lines around it', async () => {
    const file = config('broken.yaml', `prices: {kind: csv, path: ${prices}\n${vaultYaml()}`);
    const r = await runCli(['config', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot parse config .*broken\.yaml: .* at line 2, column 1/);
    expect(r.stderr).toContain(`prices: {kind: csv, path: ${prices}`);
    expect(r.stderr).toMatch(/\n\s*\^/);
  });

  it('config check checks that every file the config names exists', async () => {
    const file = config('files.yaml', [
      `prices: {kind: csv, path: ${join(dir, 'no-prices.csv')}}`,
      `venue: {kind: mango, rpcUrl: 'http://127.0.0.1:8899', keypairPath: ${join(dir, 'no-key.json')}}`,
      `fillsFile: ${join(dir, 'no-fills.jsonl')}`,
      vaultYaml(),
    ].join('\n'));
    const r = await runCli(['config', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/prices\.path: .*no-prices\.csv does not exist/);
    expect(r.stderr).toMatch(/venue\.keypairPath: .*no-key\.json does not exist/);
    // A fill file is waited for while it does not exist: a warning, not an error.
    expect(r.stderr).toMatch(/warning: fillsFile: .*no-fills\.jsonl does not exist yet/);
    const ok = await runCli(['config', 'check', config('ok.yaml', `prices: {kind: csv, path: ${prices}}\n${vaultYaml()}`)]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('run --config checks everything before it creates the database', async () => {
    const file = config('run.yaml', `prices: {kind: csv, path: ${join(dir, 'gone.csv')}}\n${vaultYaml()}`);
    const db = join(dir, 'never.db');
    const r = await runCli(['run', '--config', file, '--db', db, '--create', '--no-http']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/prices\.path: .*gone\.csv does not exist/);
    expect(existsSync(db)).toBe(false);
  });
});

describe('ports', () => {
  it('a port in use names --port, and no database is created', async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((res) => blocker.listen(0, '127.0.0.1', () => res((blocker.address() as { port: number }).port)));
    try {
      const db = join(dir, 'port.db');
      const r = await runCli(['run', '--prices', prices, '--db', db, '--create', '--port', String(port), '--speed', 'max', '--until-end']);
      expectOneLine(r, 2, new RegExp(`port ${port} .*is in use.*--port`));
      expect(existsSync(db)).toBe(false);
    } finally {
      await new Promise((res) => blocker.close(res));
    }
  });
});

describe('implausible inputs', () => {
  it('a vol above 5 (500% a year) is refused by greeks, mc and config', async () => {
    const [greeks, mc, cfg] = await Promise.all([
      runCli(['greeks', '--type', 'call', '--spot', '100', '--strike', '100', '--years', '1', '--vol', '60']),
      runCli(['mc', '--type', 'call', '--spot', '49', '--strike', '50', '--years', '0.38', '--vol', '20', '--rate', '0.05', '--drift', '0.1',
        '--position', '-100', '--rebalance-years', '0.02', '--paths', '10', '--seed', '1']),
      runCli(['config', 'check', config('vol.yaml', `prices: {kind: csv, path: ${prices}}\n${vaultYaml(60)}`)]),
    ]);
    expectOneLine(greeks, 2, /--vol 60 is 6000% a year.*0\.6 = 60%/);
    expectOneLine(mc, 2, /--vol 20 is 2000% a year/);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toMatch(/vaults\[0\]\.volPerYear: got 60; .*500% a year/);
  });

  it('iv warns when the implied vol it finds is above 500% a year', async () => {
    const r = await runCli(['iv', '--type', 'call', '--spot', '100', '--strike', '100', '--years', '0.01', '--price', '45']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/implied vol \d/);
    expect(r.stderr).toMatch(/^omm-hedger: warning: implied vol [\d.]+ is [\d]+% a year: implausible; check --price/);
  });
});
