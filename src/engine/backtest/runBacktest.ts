// A backtest is `run` in lockstep at maximum speed: the same openEngine (genesis rows, the
// committed-state loop), the same reconcile, the same replay driver and vault machine; only
// the store (in memory unless the caller passes a file) and the venue (simulated) are
// chosen by the caller. Metrics are read off the engine's committed events and each vault's
// context after every replay step; nothing here touches the machine's decisions.
import type { VaultInput } from '../../../machines/vault.types.ts';
import type { JournalStore } from '../../../storage/journalStore.ts';
import type { PriceTickInput, Validated } from '../../streams/inputTypes.ts';
import type { HedgeVenue } from '../../venues/hedgeVenue.ts';
import { silentLogger, type Logger } from '../engineTypes.ts';
import { openEngine, reconcile } from '../openEngine.ts';
import { replay, type TakerSettings } from '../replayDriver.ts';
import { BacktestCollector, type VaultView } from './backtestCollector.ts';
import type { BacktestResult, BacktestRun } from './backtestResult.ts';
import type { FundingTerms } from '../../domain/fundingAccrual.ts';

export interface BacktestOptions {
  store: JournalStore;
  venue: HedgeVenue;
  market: string;
  /** Vaults with the policy already applied (see applyPolicyToInputs). */
  inputs: readonly VaultInput[];
  records: readonly Validated<PriceTickInput>[];
  source: string;
  seed: number;
  takers: TakerSettings | null;
  staleAfterMs: number;
  /**
   * The engine's snapshot policy (EngineOptions.snapshots; default 'recovery'). 'at-stop' only
   * for a store dropped after the run (nothing recovers from it): the journal and the result are
   * the same, only the snapshot rows in between are not written.
   */
  snapshots?: 'recovery' | 'at-stop';
  /** Journal rows per commit when no hedge forces one (default 2,000, as `run --speed max`). */
  commitEveryRows?: number;
  /** The venue's funding model, to split its funding per vault. */
  funding: FundingTerms;
  takerFeeBps: number;
  policy: string;
  target: BacktestResult['target'];
  /** Moves the venue's event clock to the last tick so its funding covers the whole run. */
  advanceVenueClock?: (at: number) => Promise<void>;
  log?: Logger;
  onProgress?: (done: number, total: number) => void;
  /** Chart sample spacing, ms of event time (default: about 2,000 points over the file). */
  sampleEveryMs?: number;
}

const MINUTE_MS = 60_000;
/**
 * Records between turns of the event loop (see ReplayOptions.yieldEveryTicks): about 15 ms of
 * a run, so a sweep's main thread hands its worker threads their next run while running its own.
 */
const YIELD_EVERY_TICKS = 512;

function span(records: readonly Validated<PriceTickInput>[]): { firstAt: number; lastAt: number } {
  let firstAt = Number.NaN;
  let lastAt = Number.NaN;
  for (const r of records) {
    if (!r.ok) continue;
    if (Number.isNaN(firstAt)) firstAt = r.value.at;
    lastAt = r.value.at;
  }
  if (Number.isNaN(firstAt)) throw new Error('backtest: the price source has no valid tick');
  return { firstAt, lastAt };
}

function sorted(m: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function runBacktest(o: BacktestOptions): Promise<BacktestRun> {
  const log = o.log ?? silentLogger;
  const { firstAt, lastAt } = span(o.records);
  const sampleEveryMs = o.sampleEveryMs ?? Math.max(MINUTE_MS, Math.ceil((lastAt - firstAt) / 2_000 / MINUTE_MS) * MINUTE_MS);
  const starts = new Map(o.inputs.map((v) => [v.vaultId, { cashUsd: v.cashUsd ?? 0, perpBtc: v.perpBtc ?? 0, book: v.book, ratePerYear: v.config.ratePerYear, vol: v.config.vol }]));
  const collector = new BacktestCollector(starts, o.funding, sampleEveryMs);

  let lastEventAt = 0;
  const { engine } = await openEngine({ store: o.store, venue: o.venue, market: o.market, log, mode: 'lockstep', clock: { now: () => lastEventAt }, snapshots: o.snapshots ?? 'recovery' }, o.inputs);
  const sub = engine.updates().subscribe({ next: (ev) => collector.onEvent(ev), error: () => undefined });
  const view = (id: string): VaultView => {
    const rt = engine.vault(id);
    if (!rt) throw new Error(`backtest: vault ${id} vanished from the engine`);
    return { state: rt.state, context: rt.context };
  };
  try {
    const rec = await reconcile(engine, o.market, o.venue);
    if (!rec.ok) throw new Error(`backtest: the venue holds ${rec.venueBtc} BTC before the first tick; a backtest needs a fresh venue`);
    let tickAt = 0;
    let tickPrice = 0;
    let ticks = 0;
    const result = await replay({
      engine, records: o.records, source: o.source, seed: o.seed, takers: o.takers,
      staleAfterMs: o.staleAfterMs, commitEveryRows: o.commitEveryRows ?? 2_000, yieldEveryTicks: YIELD_EVERY_TICKS,
      onPrice: (at, priceUsd) => { lastEventAt = Math.max(lastEventAt, at); tickAt = at; tickPrice = priceUsd; },
      onFill: (id, fill, before, after) => collector.onFill(id, fill, before, after),
      onProgress: (done, total) => {
        ticks += 1;
        collector.onStep(tickAt, tickPrice, view);
        o.onProgress?.(done, total);
      },
    });
    if (engine.failed) throw engine.failed;
    await o.advanceVenueClock?.(result.lastAt);
    const pos = await o.venue.position(o.market);
    const final = collector.finish(view, result.lastAt, tickPrice, lastAt - firstAt);
    await engine.stop(0);
    const out: BacktestResult = {
      policy: o.policy,
      target: o.target,
      seed: o.seed,
      prices: { source: o.source, ticks, firstAt, lastAt, spanMs: lastAt - firstAt },
      venue: { takerFeeBps: o.takerFeeBps, fundingRatePerHour: o.funding.ratePerHour, fundingIntervalMs: o.funding.intervalMs, fundingPaidUsd: pos.fundingPaidUsd },
      vaults: final.vaults,
      total: final.total,
      rejected: sorted(engine.rejectedCounts),
      journal: { vaultEvents: collector.rows - [...engine.rejectedCounts.values()].reduce((a, n) => a + n, 0) },
    };
    return { result: out, series: final.series };
  } finally {
    sub.unsubscribe();
  }
}
