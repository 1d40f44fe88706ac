// Worker-thread side of `backtest --sweep`: plans the backtest once from the same flags as the
// main thread (config, prices, seed, target) and runs each policy it is sent, returning the
// whole run (result and chart series). The runs are deterministic, so a point run here gives
// the same bytes as the same policy run with --policy.
import { workerData } from 'node:worker_threads';
import { parsePolicy } from '../../engine/backtest/backtestPolicy.ts';
import type { BacktestRun } from '../../engine/backtest/backtestResult.ts';
import { backtestOnce, planBacktest, type BacktestFlags } from '../commands/backtest.ts';
import { serveWorkerTasks } from './workerPool.ts';

const { data } = workerData as { data: BacktestFlags };
const plan = planBacktest(data);
serveWorkerTasks<{ policy: string }, BacktestRun>((req) => backtestOnce(plan, parsePolicy(req.policy)));
