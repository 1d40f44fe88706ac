// Worker-thread side of `backtest --sweep`: plans once from the main thread's validated config,
// target and seed (the same prices, read again here) and runs each policy it is sent,
// returning the whole run (result and chart series). The runs are deterministic, so a point
// run here gives the same bytes as the same policy run with --policy.
import { workerData } from 'node:worker_threads';
import { parsePolicy } from '../../engine/backtest/backtestPolicy.ts';
import type { BacktestRun } from '../../engine/backtest/backtestResult.ts';
import { backtestOnce, planInWorker, type WorkerPlan } from '../commands/backtestOnce.ts';
import { serveWorkerTasks } from './workerPool.ts';

const { data } = workerData as { data: WorkerPlan };
const plan = planInWorker(data);
serveWorkerTasks<{ policy: string }, BacktestRun>((req) => backtestOnce(plan, parsePolicy(req.policy)));
