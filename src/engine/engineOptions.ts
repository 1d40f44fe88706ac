// What an Engine is built from: its store, venue, clock and logger, and its live flush,
// hedge-polling, snapshot and fault-injection settings.
import type { JournalStore } from '../../storage/journalStore.ts';
import type { HedgeVenue } from '../venues/hedgeVenue.ts';
import type { EngineClock, Logger } from './engineTypes.ts';
import type { Inspect } from './vaultRuntime.ts';

export interface EngineOptions {
  store: JournalStore;
  venue: HedgeVenue;
  market: string;
  clock: EngineClock;
  log: Logger;
  /** 'lockstep': the driver commits and awaits effects itself; 'live': commits are timed. */
  mode: 'lockstep' | 'live';
  /** Live flush policy: longest an event waits for its commit (ms) and most rows per commit. */
  maxBatchDelayMs?: number;
  maxBatchRows?: number;
  /** Hedge reactor polling (ms) while an outcome is unknown or open. */
  hedgePollMs?: number;
  wallClock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Fault injection (chaos tests): wall-clock pause before placing and before reporting a hedge, ms. */
  effectDelayMs?: number;
  /** XState inspection of every vault actor (run --inspect). */
  inspect?: Inspect;
  /** Snapshot a vault at least every this many of its journaled events (default 100); always on a state change. */
  snapshotEvery?: number;
  /**
   * 'recovery' (default): snapshots as snapshotEvery says, so a restart folds a short tail.
   * 'at-stop': only the genesis commit's and the clean stop's (every event is still journaled),
   * for a journal nothing recovers from: a backtest's in-memory store, dropped after the run.
   */
  snapshots?: 'recovery' | 'at-stop';
  /** Fill ids kept in memory for dedup (default 50,000); older ones are looked up in storage. */
  maxRememberedFills?: number;
}
