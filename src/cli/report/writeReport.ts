// placeholder
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BacktestRun } from '../../engine/backtest/backtestResult.ts';
export function writeReport(dir: string, r: { runs: BacktestRun[]; json: unknown; compare: boolean }): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'result.json'), JSON.stringify(r.json, null, 2));
  return join(dir, 'index.html');
}
