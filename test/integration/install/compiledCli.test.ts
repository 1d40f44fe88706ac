// The shipped CLI: the compiled JavaScript that bin/omm-hedger.mjs runs. Built here, fresh, into
// a folder of its own (a stale dist/ can never make this pass), then run as users run it:
// `--help` and `greeks` load no package but commander and a replay nothing it does not use
// (each command loads only what it uses), and `run` serves the dashboard's files from the build.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = join(root, 'test-artifacts', `compiled-cli-${process.pid}`);
const bin = join(pkg, 'bin', 'omm-hedger.mjs');
const trace = fileURLToPath(new URL('../../fixtures/install/traceImports.mjs', import.meta.url));

interface Ran { code: number | null; stdout: string; stderr: string }

function node(args: string[], env: NodeJS.ProcessEnv = {}, onStdout?: (text: string, kill: () => void) => void): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); onStdout?.(stdout, () => child.kill('SIGTERM')); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The packages (under node_modules) a command imported, from the trace. */
async function packagesLoaded(args: string[]): Promise<{ ran: Ran; packages: string[] }> {
  const file = join(pkg, `trace-${args[0]}.txt`);
  const ran = await node(['--import', trace, bin, ...args], { OMM_TRACE_IMPORTS: file });
  const urls = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  const names = urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((n): n is string => n !== undefined);
  return { ran, packages: [...new Set(names)].sort() };
}

beforeAll(async () => {
  rmSync(pkg, { recursive: true, force: true });
  const built = await node([join(root, 'scripts/build.mjs'), '--out', join(pkg, 'dist'), '--no-check']);
  expect(built.code, built.stderr).toBe(0);
  mkdirSync(join(pkg, 'bin'));
  copyFileSync(join(root, 'bin/omm-hedger.mjs'), bin);
}, 180_000);
afterAll(() => rmSync(pkg, { recursive: true, force: true }));

describe('the compiled CLI', () => {
  it('--help lists every command and loads no package but commander', async () => {
    const { ran, packages } = await packagesLoaded(['--help']);
    expect(ran.code, ran.stderr).toBe(0);
    for (const name of ['run', 'backtest', 'config', 'status', 'journal', 'verify', 'greeks', 'iv', 'sim-venue', 'mc', 'machine']) {
      expect(ran.stdout).toMatch(new RegExp(`\\n  ${name} `));
    }
    expect(packages).toEqual(['commander']);
  });

  it('greeks loads its pricing code only', async () => {
    const { ran, packages } = await packagesLoaded(['greeks', '--type', 'call', '--spot', '100', '--strike', '100', '--years', '1', '--vol', '0.5']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/price {2}19\.74126514/);
    expect(packages).toEqual(['commander']);
  });

  it('a replay without HTTP loads what it uses only: no rxjs, HTTP server, live feed, venue client or YAML parser', async () => {
    const prices = join(pkg, 'replay.csv');
    writeFileSync(prices, readFileSync(join(root, 'data/btcusdt-binanceus-1m-2023-03-01_21.csv'), 'utf8').split('\n').slice(0, 100).join('\n'));
    const { ran, packages } = await packagesLoaded(['run', '--prices', prices, '--speed', 'max', '--until-end', '--db', join(pkg, 'replay.db'), '--create', '--no-http', '--log-level', 'warn']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(packages).toEqual(expect.arrayContaining(['sqlite3', 'xstate', 'zod', 'pino']));
    for (const unused of ['rxjs', 'prom-client', 'yaml', 'pino-pretty', '@pythnetwork/hermes-client', '@solana/web3.js', '@blockworks-foundation/mango-client', 'ccxt', 'ws']) {
      expect(packages).not.toContain(unused);
    }
  });

  it('run replays prices and serves the dashboard from the build', async () => {
    const prices = join(pkg, 'prices.csv');
    writeFileSync(prices, readFileSync(join(root, 'data/btcusdt-binanceus-1m-2023-03-01_21.csv'), 'utf8').split('\n').slice(0, 100).join('\n'));
    let page = '';
    let script = '';
    let fetching = false;
    const ran = await node([bin, 'run', '--prices', prices, '--speed', '1', '--db', join(pkg, 'run.db'), '--create', '--port', '0', '--log-level', 'warn'], {}, (out, kill) => {
      const url = /dashboard on (http:\/\/[^/\s]+)\//.exec(out)?.[1];
      if (url === undefined || fetching) return;
      fetching = true;
      void Promise.all([fetch(`${url}/`).then((r) => r.text()), fetch(`${url}/assets/dashboard.js`).then((r) => r.text())])
        .then(([p, s]) => { page = p; script = s; }, () => undefined)
        .finally(kill);
    });
    expect(ran.code, ran.stderr).toBe(0);
    expect(page).toMatch(/<html/i);
    expect(script.length).toBeGreaterThan(100);
  });

  it('backtest --sweep runs its worker threads from the build (no TypeScript loader)', async () => {
    const prices = join(pkg, 'sweep.csv');
    writeFileSync(prices, readFileSync(join(root, 'data/btcusdt-binanceus-1m-2023-03-01_21.csv'), 'utf8').split('\n').slice(0, 400).join('\n'));
    const { ran, packages } = await packagesLoaded(['backtest', '--prices', prices, '--sweep', 'band:hedgeBtc=1..3:3', '--jobs', '2', '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(packages).not.toContain('tsx');
    const out = JSON.parse(ran.stdout) as { sweep?: unknown; runs?: unknown[] } & Record<string, unknown>;
    expect(JSON.stringify(out)).toMatch(/hedgeBtc/);
  });
});
