// `omm-hedger backtest` command line: --compare, --json, --report, --db, and refused input.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../../src/cli/cliError.ts';
import { executeBacktest, planBacktest, register } from '../../../src/cli/commands/backtest.ts';
import type { BacktestResult } from '../../../src/engine/backtest/backtestResult.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import { backtestJson, makeSlice } from './sliceFixture.ts';

let dir: string;
let slice: string;
let cleanup: () => void;
beforeAll(() => { ({ dir, slice, cleanup } = makeSlice(3)); });
afterAll(() => cleanup());

function program(): Command {
  const p = new Command();
  p.exitOverride();
  register(p);
  return p;
}

describe('backtest --compare', () => {
  it('returns one row per policy; a fixed band and Whalley-Wilmott trade less than hedging every minute', async () => {
    const out = await executeBacktest(planBacktest({ prices: slice, compare: 'time:1,band,ww' }), { json: true, progress: false, log: silentLogger });
    const parsed = JSON.parse(out.stdout) as { compare: { policy: string; costUsd: number; riskUsd: number; tradedNotionalUsd: number; efficient: boolean }[]; results: Record<string, BacktestResult> };
    expect(parsed.compare.map((r) => r.policy)).toEqual(['time:1', 'band', 'ww']);
    expect(Object.keys(parsed.results)).toEqual(['time:1', 'band', 'ww']);
    const [time1, band, ww] = parsed.compare;
    expect(band!.tradedNotionalUsd).toBeLessThan(time1!.tradedNotionalUsd);
    expect(ww!.tradedNotionalUsd).toBeLessThan(time1!.tradedNotionalUsd);
    for (const r of parsed.compare) {
      expect(r.costUsd).toBeCloseTo(parsed.results[r.policy]!.total.costUsd, 6);
      expect(r.riskUsd).toBeCloseTo(parsed.results[r.policy]!.total.pnlSdUsd, 6);
    }
    expect(parsed.compare.some((r) => r.efficient)).toBe(true);
    expect(parsed.results['time:1']!.total.hedgeCount).toBeGreaterThan(parsed.results.band!.total.hedgeCount);
    // The same inputs: every policy saw the same ticks and rejected the same records.
    expect(new Set(Object.values(parsed.results).map((r) => JSON.stringify([r.prices, r.rejected]))).size).toBe(1);
  });
});

describe('backtest --sweep', () => {
  it('runs on this thread and a worker thread with the same bytes as the pinned sweep and as --policy, and draws one frontier line per sweep', async () => {
    const oneDay = makeSlice(1);
    try {
      const flags = { prices: oneDay.slice, sweep: 'band:hedgeBtc=0.5..4:3', compare: 'time:120', jobs: '2' };
      const plan = planBacktest(flags);
      const out = await executeBacktest(plan, { json: true, progress: false, log: silentLogger });
      // Pinned: the JSON this sweep printed before the sweep's speed-ups (main thread beside a
      // worker, statement shapes, snapshots at stop in memory); any change to a run's result
      // shows here. Regenerate only for a deliberate change of the engine's or machine's results.
      const pinned = JSON.parse(readFileSync('test/fixtures/backtest/sweep-1day.json', 'utf8')) as unknown;
      expect(out.stdout).toBe(`${JSON.stringify(pinned)}\n`);
      const parsed = JSON.parse(out.stdout) as { compare: { policy: string }[]; sweeps: { policy: string; param: string; points: { value: number; label: string }[] }[]; results: Record<string, BacktestResult> };
      expect(parsed.compare.map((r) => r.policy)).toEqual(['time:120', 'band:0.5', 'band:1.414', 'band:4']);
      expect(parsed.sweeps).toEqual([{ policy: 'band', param: 'hedgeBtc', from: 0.5, to: 4, points: [{ value: 0.5, label: 'band:0.5' }, { value: 1.414, label: 'band:1.414' }, { value: 4, label: 'band:4' }] }]);
      // The first run goes to this thread, the second to the worker: both as --policy in process.
      for (const policy of ['time:120', 'band:0.5']) expect(parsed.results[policy]).toEqual((await backtestJson({ prices: oneDay.slice, policy })).result);
      // A kept journal (--db: recovery snapshots) gives the result of the in-memory one (snapshots at stop).
      expect((await backtestJson({ prices: oneDay.slice, policy: 'band:4', db: join(oneDay.dir, 'kept.db') })).result).toEqual(parsed.results['band:4']);
      // The narrower band hedges more and leaves less delta risk.
      expect(parsed.results['band:0.5']!.total.hedgeCount).toBeGreaterThan(parsed.results['band:4']!.total.hedgeCount);
      expect(parsed.results['band:0.5']!.total.deltaPnlSdUsd).toBeLessThan(parsed.results['band:4']!.total.deltaPnlSdUsd);
      const report = join(oneDay.dir, 'report');
      const { writeReport } = await import('../../../src/cli/report/writeReport.ts');
      const html = readFileSync(writeReport(report, { runs: out.runs, json: out.json, compare: true, sweeps: plan.sweeps }), 'utf8');
      const data = JSON.parse(/<script id="data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as { sweeps: unknown[] };
      expect(data.sweeps).toEqual(parsed.sweeps);
    } finally {
      oneDay.cleanup();
    }
  });

  it('refuses a bad sweep, or one mixed with --policy or --db', () => {
    expect(() => planBacktest({ prices: slice, sweep: 'ww:gamma=1..2' })).toThrow(CliError);
    expect(() => planBacktest({ prices: slice, sweep: 'band:hedgeBtc=1..2', policy: 'ww' })).toThrow(CliError);
    expect(() => planBacktest({ prices: slice, sweep: 'band:hedgeBtc=1..2', db: join(dir, 'x.db') })).toThrow(CliError);
    expect(() => planBacktest({ prices: slice, sweep: 'band:hedgeBtc=1..2:2', compare: 'band:1' })).toThrow(/both/);
  });
});

describe('backtest command line', () => {
  it('refuses bad policies, targets and seeds with a CliError', async () => {
    for (const args of [['--policy', 'sometimes'], ['--policy', 'time'], ['--policy', 'time:-5'], ['--policy', 'move:0'], ['--policy', 'band:x'],
      ['--compare', 'band,band'], ['--compare', ','], ['--target', 'middle'], ['--seed', '1.5'], ['--policy', 'band', '--compare', 'ww']]) {
      await expect(program().parseAsync(['node', 'x', 'backtest', '--prices', slice, ...args]), args.join(' ')).rejects.toBeInstanceOf(CliError);
    }
    await expect(program().parseAsync(['node', 'x', 'backtest', '--prices', join(dir, 'missing.csv')])).rejects.toThrow(/does not exist/);
  });

  it('keeps the journal in a new --db file, and refuses one that already holds a journal', async () => {
    const db = join(dir, 'kept.db');
    const first = await backtestJson({ prices: slice, policy: 'move:0.5', db });
    expect(first.result.total.hedgeCount).toBeGreaterThan(0);
    await expect(program().parseAsync(['node', 'x', 'backtest', '--prices', slice, '--db', db])).rejects.toThrow(/already holds a journal/);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database at all, but not empty either');
    await expect(program().parseAsync(['node', 'x', 'backtest', '--prices', slice, '--db', junk])).rejects.toBeInstanceOf(CliError);
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    expect((await backtestJson({ prices: slice, policy: 'move:0.5', db: empty })).json).toBe(first.json);
  });

  it('prints one JSON object with --json and writes a self-contained report with --report', async () => {
    const report = join(dir, 'report');
    mkdirSync(report);
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { chunks.push(String(c)); return true; });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program().parseAsync(['node', 'x', 'backtest', '--prices', slice, '--policy', 'move:0.5', '--target', 'edge', '--json', '--report', report]);
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
    const stdout = chunks.join('');
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const result = JSON.parse(stdout) as BacktestResult;
    expect(result.policy).toBe('move:0.5');
    expect(result.target).toBe('edge');
    expect(JSON.parse(readFileSync(join(report, 'result.json'), 'utf8'))).toEqual(result);
    const html = readFileSync(join(report, 'index.html'), 'utf8');
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']?https?:|cdn\./i);
    const data = JSON.parse(/<script id="data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as { runs: { series: Record<string, { t: number[]; hedges: unknown[] }> }[] };
    expect(Object.keys(data.runs[0]!.series)).toEqual(['alpha', 'beta']);
    expect(data.runs[0]!.series.alpha!.t.length).toBeGreaterThan(100);
    expect(data.runs[0]!.series.alpha!.hedges.length).toBe(result.vaults.alpha!.hedgeCount);
  });
});
