// One backtest run and what it is planned from, apart from the `backtest` command's flags,
// tables and reports: a sweep's worker thread imports only this (and the engine), so starting
// a worker loads no report, logger or config-file code it never uses.
import { existsSync, statSync } from 'node:fs';
import type { JournalStore } from '../../../storage/journalStore.ts';
import { MemoryJournalStore } from '../../../storage/memoryJournalStore.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { applyPolicyToInputs, policyLabel, type BacktestPolicy, type HedgeTargetFlag } from '../../engine/backtest/backtestPolicy.ts';
import type { BacktestRun } from '../../engine/backtest/backtestResult.ts';
import type { SweepSpec } from '../../engine/backtest/sweepSpec.ts';
import { runBacktest } from '../../engine/backtest/runBacktest.ts';
import type { Logger } from '../../engine/engineTypes.ts';
import { SimPerpVenue } from '../../venues/sim/simPerpVenue.ts';
import { CliError } from '../cliError.ts';
import { buildVenue } from '../compose/buildVenue.ts';
import { acquireDbLock } from '../compose/processLock.ts';
import { loadPriceRecords, validPoints, type PriceRecords } from '../compose/priceRecords.ts';
import type { RunConfig } from '../config/configSchema.ts';
import { toVaultInputs } from '../config/toVaultInputs.ts';

/** Everything a backtest run needs, validated from the flags. */
export interface BacktestPlan {
  cfg: RunConfig;
  prices: PriceRecords;
  policies: BacktestPolicy[];
  compare: boolean;
  /** --sweep: the swept policies (their points follow `policies` in the runs), else null. */
  sweeps: SweepSpec[] | null;
  /** Threads for a sweep: the main thread and jobs - 1 worker threads (see sweepRuns). */
  jobs: number;
  target: HedgeTargetFlag | null;
  seed: number;
  db: string | null;
}

/** --db must be new, empty, or a journal without vaults: a backtest never mixes with a live journal. */
export async function checkFreshDb(path: string): Promise<void> {
  if (!existsSync(path) || statSync(path).size === 0) return;
  let store: SqliteJournalStore;
  try {
    store = await SqliteJournalStore.open({ path, create: 'never', check: 'header' });
  } catch (err) {
    throw new CliError(`--db ${path} exists and is not an empty journal (${err instanceof Error ? err.message : String(err)}); a backtest needs a new file`);
  }
  try {
    const vaults = await store.vaultIds();
    const offsets = await store.sourceOffsets();
    if (vaults.length > 0 || offsets.length > 0) {
      throw new CliError(`--db ${path} already holds a journal (${vaults.length} vaults); a backtest must not mix with it: name a new file`);
    }
  } finally {
    await store.close();
  }
}

/** One backtest: fresh venue and journal, the policy applied to every vault. */
export async function backtestOnce(plan: BacktestPlan, policy: BacktestPolicy, opts: { log?: Logger; onProgress?: (done: number, total: number) => void } = {}): Promise<BacktestRun> {
  const { cfg, prices } = plan;
  const simCfg = cfg.venue.kind === 'sim' ? cfg.venue : { kind: 'sim' as const, market: cfg.venue.kind === 'ccxt' || cfg.venue.kind === 'deribit' ? 'BTC-PERP' : cfg.venue.market, takerFeeBps: 5, latencyMs: 20, rejectProb: 0, timeoutProb: 0 };
  const built = await buildVenue(simCfg, validPoints(prices.records), { seed: plan.seed, statePath: null, pricesLabel: prices.source });
  const venue = built.venue;
  if (!(venue instanceof SimPerpVenue)) throw new Error('backtest: expected the in-process simulated venue');
  // A kept journal is owned by this process (as `run` owns its journal) and must start empty.
  let lock: { release: () => void } | null = null;
  let store: JournalStore;
  try {
    lock = plan.db === null ? null : acquireDbLock(plan.db);
    if (plan.db !== null) await checkFreshDb(plan.db);
    // Without --db the journal is dropped after the run: kept in memory, not in SQLite (see MemoryJournalStore).
    store = plan.db === null ? new MemoryJournalStore() : await SqliteJournalStore.open({ path: plan.db, create: 'if-missing', synchronous: cfg.db.synchronous });
  } catch (err) {
    lock?.release();
    await built.close();
    throw err;
  }
  try {
    const inputs = applyPolicyToInputs(toVaultInputs(cfg), policy, plan.target, venue.config.takerFeeBps);
    return await runBacktest({
      // An in-memory journal is dropped after the run: no snapshots between genesis and stop.
      store, snapshots: plan.db === null ? 'at-stop' : 'recovery', venue, market: built.market, inputs, records: prices.records, source: prices.source,
      seed: plan.seed, takers: cfg.takers, staleAfterMs: Math.min(...cfg.vaults.map((v) => v.limits.maxPriceAgeMs)),
      funding: { ratePerHour: venue.config.fundingRatePerHour, intervalMs: venue.config.fundingIntervalMs },
      takerFeeBps: venue.config.takerFeeBps, policy: policyLabel(policy), target: plan.target ?? 'config',
      advanceVenueClock: (at) => venue.advanceClock(at),
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  } finally {
    await built.close();
    await store.close();
    lock?.release();
  }
}

/** What a sweep's worker thread plans its runs from: the validated config, target and seed (plain JSON). */
export interface WorkerPlan { cfg: RunConfig; target: HedgeTargetFlag | null; seed: number }

/** The plan of a worker thread: the same config, prices, target and seed as the main thread's. */
export function planInWorker(w: WorkerPlan): BacktestPlan {
  return { cfg: w.cfg, prices: loadPriceRecords(w.cfg.prices), policies: [], compare: false, sweeps: null, jobs: 1, target: w.target, seed: w.seed, db: null };
}
