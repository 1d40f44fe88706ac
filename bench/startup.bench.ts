// Start-up benchmark: how long `omm-hedger --help` takes, and `run` from spawn to its
// "recovered" log line on a 30,000-event journal, each as a ratio to a bare `node -e 0`
// measured in the same rounds (target: both within 6x), in wall time and, as a second view, in
// the processes' own CPU time. Builds dist/ from the sources first,
// then spawns the installed entry point (bin/omm-hedger.mjs), as a user or a supervisor
// restarting a hedger does.
// Usage: node bin/run-ts.mjs bench/startup.bench.ts [--runs N] [--minutes N] [--no-build]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sqlite3 from 'sqlite3';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 7);
// 12,300 minutes of the shipped file give the demo's two vaults about 30,000 journal events.
const MINUTES = arg('--minutes', 12_300);
const TARGET_RATIO = 6;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/omm-hedger.mjs');
const DATA = join(ROOT, 'data/btcusdt-binanceus-1m-2023-03-01_21.csv');
const dir = mkdtempSync(join(tmpdir(), 'omm-startup-bench-'));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const round = (x: number, d = 1): number => Number(x.toFixed(d));

// A preload that reports the process's own CPU time (user + system, us) on stderr when it
// logs "recovered" and when it exits: a second view that a busy machine distorts less than
// wall time (waiting for a core is not CPU time).
const CPU_PROBE = `data:text/javascript,${encodeURIComponent(`
import fs from 'node:fs';
const emit = () => { const c = process.cpuUsage(); fs.writeSync(2, '\\ncpu-us:' + (c.user + c.system) + '\\n'); };
const write = fs.writeSync;
fs.writeSync = function (fd, data, ...rest) {
  const r = write.call(this, fd, data, ...rest);
  if (fd === 2 && typeof data === 'string' && data.includes('"msg":"recovered"')) emit();
  return r;
};
process.on('exit', emit);
`)}`;

interface Timed { wallMs: number; cpuMs: number }

/** Spawns `node args`; wall ms until `until` matches stderr (or until exit when `until` is null), and CPU ms at that point. */
function timeSpawn(args: string[], until: RegExp | null): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', CPU_PROBE, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let tMatch: number | null = null;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (until && tMatch === null && until.test(stderr)) tMatch = performance.now() - t0;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const t = until ? tMatch : performance.now() - t0;
      // The first CPU report after the line (or the exit report).
      const after = until ? stderr.slice(stderr.search(until)) : stderr;
      const cpu = /cpu-us:(\d+)/.exec(after);
      if (code !== 0 || t === null || cpu === null) reject(new Error(`node ${args.join(' ')} exited ${code}${t === null ? ' before the log line' : ''}: ${stderr.slice(-400)}`));
      else resolve({ wallMs: t, cpuMs: Number(cpu[1]) / 1000 });
    });
  });
}

function count(db: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const conn = new sqlite3.Database(db, sqlite3.OPEN_READONLY);
    conn.get('SELECT COUNT(*) AS n FROM journal', (err, row: { n: number } | undefined) => {
      conn.close();
      if (err) reject(err);
      else resolve(row?.n ?? 0);
    });
  });
}

if (!process.argv.includes('--no-build')) execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });

try {
  const prices = join(dir, 'prices.csv');
  const lines = readFileSync(DATA, 'utf8').split('\n');
  writeFileSync(prices, lines.slice(0, 1 + MINUTES).join('\n'));
  const db = join(dir, 'run.db');
  const common = ['--prices', prices, '--speed', 'max', '--until-end', '--db', db, '--no-http', '--seed', '1'];
  await timeSpawn([BIN, 'run', ...common, '--create', '--log-level', 'warn'], null);
  const events = await count(db);
  const loadBefore = loadavg()[0] ?? 0;
  const bare: Timed[] = [];
  const help: Timed[] = [];
  const run: Timed[] = [];
  // Warm the file cache once, then interleave the three so a busy moment hits them alike.
  await timeSpawn(['-e', '0'], null);
  await timeSpawn([BIN, '--help'], null);
  for (let r = 0; r < RUNS; r++) {
    bare.push(await timeSpawn(['-e', '0'], null));
    help.push(await timeSpawn([BIN, '--help'], null));
    // The journal is complete: `run` recovers, finds the file done and exits.
    run.push(await timeSpawn([BIN, 'run', ...common, '--log-level', 'info'], /"msg":"recovered"/));
  }
  const wall = (xs: Timed[]): number => median(xs.map((x) => x.wallMs));
  const cpu = (xs: Timed[]): number => median(xs.map((x) => x.cpuMs));
  const helpRatio = wall(help) / wall(bare);
  const runRatio = wall(run) / wall(bare);
  console.log(JSON.stringify({
    bench: 'startup', runs: RUNS, minutes: MINUTES, journalEvents: events,
    machine: { loadAvg1mBefore: round(loadBefore), loadAvg1mAfter: round(loadavg()[0] ?? 0) },
    bareNodeMs: round(wall(bare)), helpMs: round(wall(help)), runToRecoveredMs: round(wall(run)),
    helpRatio: round(helpRatio, 2), runToRecoveredRatio: round(runRatio, 2),
    cpu: {
      bareNodeMs: round(cpu(bare)), helpMs: round(cpu(help)), runToRecoveredMs: round(cpu(run)),
      helpRatio: round(cpu(help) / cpu(bare), 2), runToRecoveredRatio: round(cpu(run) / cpu(bare), 2),
    },
    samples: { bareMs: bare.map((x) => round(x.wallMs)), helpMs: help.map((x) => round(x.wallMs)), runToRecoveredMs: run.map((x) => round(x.wallMs)) },
    targets: { ratio: TARGET_RATIO, help: helpRatio <= TARGET_RATIO, runToRecovered: runRatio <= TARGET_RATIO },
  }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
