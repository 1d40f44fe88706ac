// Writes a backtest report directory: index.html (self-contained charts) and result.json
// (the same JSON object `--json` prints).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BacktestRun } from '../../engine/backtest/backtestResult.ts';
import { compareRows, type SweepSummary } from './backtestTables.ts';
import { reportData } from './reportData.ts';
import { reportHtml } from './reportHtml.ts';

export function writeReport(dir: string, r: { runs: readonly BacktestRun[]; json: unknown; compare: boolean; sweeps?: readonly SweepSummary[] | null }): string {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'result.json'), `${JSON.stringify(r.json, null, 2)}\n`);
  const first = r.runs[0];
  const label = first ? `${first.result.prices.source.replace(/^prices:/, '')}, seed ${first.result.seed}` : '';
  const file = join(out, 'index.html');
  const sweeps = r.sweeps?.map((sw) => ({ policy: sw.policy, param: sw.param, from: sw.from, to: sw.to, points: sw.points.map((p) => ({ value: p.value, label: p.label })) })) ?? null;
  writeFileSync(file, reportHtml(reportData(r.runs, r.compare ? compareRows(r.runs.map((x) => x.result)) : null, label, sweeps)));
  return file;
}
