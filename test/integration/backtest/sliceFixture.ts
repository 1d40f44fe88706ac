// Shared fixture of the backtest integration tests: the first 3 days of the shared BTC minute
// file in a temporary directory, and a JSON backtest run through the command's own functions.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeBacktest, planBacktest, type BacktestFlags } from '../../../src/cli/commands/backtest.ts';
import type { BacktestResult } from '../../../src/engine/backtest/backtestResult.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';

const SHARED = 'data/btcusdt-binanceus-1m-2023-03-01_21.csv';
export const SLICE_NAME = 'btc-3d.csv';

/** Writes header + the first `days` days of the shared file into a new temp dir. */
export function makeSlice(days = 3): { dir: string; slice: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'omm-backtest-'));
  const lines = readFileSync(SHARED, 'utf8').split('\n');
  const slice = join(dir, SLICE_NAME);
  writeFileSync(slice, `${lines.slice(0, 1 + days * 1440).join('\n')}\n`);
  return { dir, slice, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function backtestJson(flags: BacktestFlags): Promise<{ json: string; result: BacktestResult }> {
  const out = await executeBacktest(planBacktest(flags), { json: true, progress: false, log: silentLogger });
  return { json: out.stdout, result: out.json as BacktestResult };
}
