// `omm-hedger backtest`: runs the configured (or demo) vaults over a price file through the
// same engine, machine and replay driver as `run`, in lockstep at maximum speed, with the
// in-process simulated venue (in-memory state) and simulated takers; the journal is in
// memory unless --db names a new file. Prints metrics (one JSON object with --json), writes
// an HTML report with --report, compares policies (cost vs risk) with --compare, and traces a
// policy's cost/risk frontier over one parameter with --sweep (runs spread over this thread and
// worker threads).
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { parsePolicy, parsePolicyList, policyLabel, PolicyError } from '../../engine/backtest/backtestPolicy.ts';
import type { BacktestRun } from '../../engine/backtest/backtestResult.ts';
import { parseSweepList } from '../../engine/backtest/sweepSpec.ts';
import { silentLogger, type Logger } from '../../engine/engineTypes.ts';
import { CliError } from '../cliError.ts';
import { WorkerPool } from '../compose/workerPool.ts';
import { createLogger } from '../compose/logger.ts';
import { isReplay, loadPriceRecords } from '../compose/priceRecords.ts';
import { DEMO_PRICES_PATH, demoConfig } from '../config/demoConfig.ts';
import { loadConfigFile, validateConfig } from '../config/loadConfig.ts';
import { parseChoice, parseNumberOption } from '../parseNumber.ts';
import { formatCompareTable, formatRunSummary, compareRows } from '../report/backtestTables.ts';
import { createProgress } from '../report/progressBar.ts';
import { writeReport } from '../report/writeReport.ts';
import { backtestOnce, type BacktestPlan, type WorkerPlan } from './backtestOnce.ts';

export { backtestOnce, checkFreshDb, planInWorker, type BacktestPlan, type WorkerPlan } from './backtestOnce.ts';

export interface BacktestFlags {
  prices?: string;
  config?: string;
  policy?: string;
  target?: string;
  seed?: string;
  json?: boolean;
  report?: string;
  db?: string;
  compare?: string;
  sweep?: string;
  jobs?: string;
  progress?: boolean;
  logLevel?: string;
}

function policyOrCliError<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof PolicyError) throw new CliError(err.message);
    throw err;
  }
}

export function planBacktest(o: BacktestFlags): BacktestPlan {
  if (o.compare !== undefined && o.policy !== undefined) throw new CliError('use either --policy or --compare, not both');
  if (o.sweep !== undefined && o.policy !== undefined) throw new CliError('use either --policy or --sweep (with --compare for single policies beside it), not both');
  if ((o.compare !== undefined || o.sweep !== undefined) && o.db !== undefined) throw new CliError('--db keeps one run\'s journal; it cannot be combined with --compare or --sweep');
  const base = o.config !== undefined ? loadConfigFile(o.config) : validateConfig(demoConfig(), '(embedded demo)');
  const cfg = structuredClone(base);
  if (o.prices !== undefined) cfg.prices = { kind: 'csv', path: o.prices, priceField: cfg.prices.kind === 'csv' ? cfg.prices.priceField : 'close', speed: 'max' };
  else if (o.config === undefined) cfg.prices = { kind: 'csv', path: DEMO_PRICES_PATH, priceField: 'close', speed: 'max' };
  const sweeps = o.sweep === undefined ? null : policyOrCliError(() => parseSweepList(o.sweep as string));
  const single = o.compare === undefined && sweeps !== null ? [] : null;
  const policies = single ?? policyOrCliError(() => (o.compare !== undefined ? parsePolicyList(o.compare) : [parsePolicy(o.policy ?? 'config')]));
  const labels = new Set(policies.map(policyLabel));
  for (const p of sweeps?.flatMap((sw) => sw.points) ?? []) if (labels.has(p.label)) throw new CliError(`policy '${p.label}' is both in --compare and a --sweep point`);
  const runs = policies.length + (sweeps?.reduce((a, sw) => a + sw.points.length, 0) ?? 0);
  const jobs = o.jobs === undefined ? Math.max(1, Math.min(runs, availableParallelism())) : parseNumberOption('jobs', o.jobs, { integer: true, min: 1, max: 64 });
  const target = o.target === undefined ? null : parseChoice('target', o.target, ['zero', 'edge'] as const);
  const seed = o.seed === undefined ? cfg.seed : parseNumberOption('seed', o.seed, { integer: true, min: -(2 ** 31), max: 2 ** 31 - 1 });
  if (!isReplay(cfg.prices)) throw new CliError(`a backtest replays a price file or a synthetic path; the config's prices are '${cfg.prices.kind}' (pass --prices FILE)`);
  const prices = loadPriceRecords(cfg.prices);
  if (!prices.records.some((r) => r.ok)) throw new CliError(`price file ${o.prices ?? '(config)'} has no valid price row`);
  return { cfg, prices, policies, compare: o.compare !== undefined || sweeps !== null, sweeps, jobs, target, seed, db: o.db ?? null };
}

/**
 * Every run of a sweep (the --compare policies, then each sweep's points), in order, over
 * `plan.jobs` threads: this (main) thread and jobs - 1 worker threads take the next run from
 * one queue. The main thread has its modules loaded and its prices read already, so it runs
 * its share without a worker's start-up (module loading, price file, a cold JIT); a worker
 * gets the run's label and parses it as this thread does, and the runs are deterministic, so
 * a run gives the same bytes on either side.
 */
async function sweepRuns(plan: BacktestPlan, progress: boolean): Promise<BacktestRun[]> {
  const labels = [...plan.policies.map(policyLabel), ...(plan.sweeps ?? []).flatMap((sw) => sw.points.map((p) => p.label))];
  const threads = Math.min(plan.jobs, labels.length);
  const data: WorkerPlan = { cfg: plan.cfg, target: plan.target, seed: plan.seed };
  const pool = threads > 1 ? new WorkerPool<{ policy: string }, BacktestRun>(new URL('../compose/backtestWorker.ts', import.meta.url), threads - 1, data) : null;
  const bar = progress ? createProgress(`sweep (${labels.length} runs, ${threads} threads)`) : null;
  const runs: BacktestRun[] = new Array<BacktestRun>(labels.length);
  let next = 0;
  let done = 0;
  let failed = false;
  // One lane per thread; a lane stops taking runs once any run has failed.
  const lane = async (run: (policy: string) => Promise<BacktestRun>): Promise<void> => {
    while (!failed && next < labels.length) {
      const i = next++;
      try {
        runs[i] = await run(labels[i] as string);
      } catch (err) {
        failed = true;
        throw err;
      }
      bar?.update(++done, labels.length);
    }
  };
  try {
    const lanes = [lane((policy) => backtestOnce(plan, parsePolicy(policy)))];
    for (let w = 1; w < threads; w++) lanes.push(lane((policy) => (pool as WorkerPool<{ policy: string }, BacktestRun>).run({ policy })));
    // Every lane has stopped before this returns or throws: no run goes on behind the caller.
    const ended = await Promise.allSettled(lanes);
    for (const e of ended) if (e.status === 'rejected') throw e.reason;
    return runs;
  } finally {
    bar?.stop();
    await pool?.close();
  }
}

/** Runs the plan; returns what goes to stdout (JSON or text) and the runs (for the report). */
export async function executeBacktest(plan: BacktestPlan, o: { json: boolean; progress: boolean; log: Logger }): Promise<{ stdout: string; runs: BacktestRun[]; json: unknown }> {
  const runs: BacktestRun[] = [];
  if (plan.sweeps !== null) {
    runs.push(...await sweepRuns(plan, o.progress));
  } else {
    for (const p of plan.policies) {
      const bar = o.progress ? createProgress(policyLabel(p)) : null;
      try {
        runs.push(await backtestOnce(plan, p, { log: o.log, ...(bar ? { onProgress: bar.update } : {}) }));
      } finally {
        bar?.stop();
      }
    }
  }
  if (!plan.compare) {
    const run = runs[0] as BacktestRun;
    return { stdout: o.json ? `${JSON.stringify(run.result)}\n` : formatRunSummary(run.result), runs, json: run.result };
  }
  const compare = compareRows(runs.map((r) => r.result));
  const sweeps = plan.sweeps?.map((sw) => ({ policy: sw.policy, param: sw.param, from: sw.from, to: sw.to, points: sw.points.map((p) => ({ value: p.value, label: p.label })) }));
  const json = { compare, ...(sweeps ? { sweeps } : {}), results: Object.fromEntries(runs.map((r) => [r.result.policy, r.result])) };
  return { stdout: o.json ? `${JSON.stringify(json)}\n` : formatCompareTable(compare, sweeps), runs, json };
}

export function register(program: Command): void {
  program
    .command('backtest')
    .description('replay a price file through the engine (lockstep, simulated venue and takers) and report hedging cost and risk')
    .option('--prices <file>', 'CSV price file (default: the config\'s, or the shipped BTC minute file)')
    .option('--config <file>', 'YAML or JSON config (default: the embedded demo vaults)')
    .option('--policy <p>', 'override every vault: config | time:<minutes> | band[:<hedgeBtc>] | move:<pct> | ww[:<riskAversion>] | zakamouline[:<riskAversion>]')
    .option('--target <t>', 'hedge to zero or to the band edge (zero|edge; default: the config\'s)')
    .option('--seed <n>', 'seed for simulated takers and the venue (default: the config\'s)')
    .option('--json', 'print one JSON object on stdout')
    .option('--report <dir>', 'write index.html (charts) and result.json into this directory')
    .option('--db <file>', 'keep the journal in this new SQLite file (default: in memory)')
    .option('--compare <p1,p2,...>', 'run several policies on the same inputs; print the cost vs risk table')
    .option('--sweep <POLICY:PARAM=A..B[:N],...>', 'trace a policy\'s cost/risk frontier: N runs (default 10) with the parameter spaced geometrically from A to B, e.g. ww:riskAversion=1e-5..1e-3:20 (time:minutes, band:hedgeBtc, move:pct, ww|zakamouline:riskAversion)')
    .option('--jobs <n>', 'threads for --sweep: this one and n-1 worker threads (default: one per core, at most one per run)')
    .option('--progress', 'progress bar on stderr even when it is not a terminal')
    .option('--log-level <level>', 'engine logs on stderr: trace|debug|info|warn|error|silent (default silent)')
    .action(async (o: BacktestFlags) => {
      const plan = planBacktest(o);
      const level = o.logLevel === undefined ? 'silent' : parseChoice('log-level', o.logLevel, ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const);
      const log = level === 'silent' ? silentLogger : await createLogger(level, undefined);
      const out = await executeBacktest(plan, { json: o.json === true, progress: o.progress === true || Boolean(process.stderr.isTTY), log });
      if (o.report !== undefined) {
        const file = writeReport(o.report, { runs: out.runs, json: out.json, compare: plan.compare, sweeps: plan.sweeps });
        process.stderr.write(`omm-hedger: report written to ${file}\n`);
      }
      process.stdout.write(out.stdout);
    });
}
