// How a Deribit vault starts once recovered, in this order: the account's option trades become
// its fills (the live stream, then those made while the engine was away), hedges left in flight
// are finished (looked up, never re-placed blindly), then the whole book (options exactly, the
// USD perp within a contract) is compared with the account; a difference halts the vault with
// both books in the reason. Then the same comparison runs every reconcileEveryMs.
import type { JournalStore } from '../../../storage/journalStore.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Logger } from '../../engine/engineTypes.ts';
import { reconcile } from '../../engine/openEngine.ts';
import { haltAll } from '../../engine/positionWatch.ts';
import type { HedgeVenue } from '../../venues/hedgeVenue.ts';
import type { OptionsBook } from '../../venues/optionsBook.ts';
import { checkDeribitBook, watchDeribitBook } from './deribitBook.ts';
import { followDeribitTrades } from './deribitTrades.ts';

export interface DeribitStartOptions {
  engine: Engine;
  store: JournalStore;
  book: OptionsBook;
  venue: HedgeVenue;
  market: string;
  /** The perp's contract, USD: the perp compare's tolerance. */
  contractUsd: number;
  everyMs: number;
  /** The newest event time seen (halts carry it). */
  eventTime: () => number;
  log: Logger;
  /** A failure that is not the venue's: the run must stop. */
  onFatal: (what: string) => (err: unknown) => void;
}

/** Returns what the caller stops at shutdown: the trade intake and the running book check. */
export async function startDeribitVault(o: DeribitStartOptions): Promise<{ trades: { stop(): Promise<void> }; watch: { stop(): Promise<void> } }> {
  const { engine, store, book, log } = o;
  // One vault per Deribit account (the config refuses more).
  const vaultId = engine.vaultIds()[0];
  if (vaultId === undefined) throw new Error('a deribit run needs its vault');
  const trades = await followDeribitTrades(engine, store, book, vaultId, log, o.onFatal('deribit trade intake'));
  try {
    await reconcile(engine, o.market, o.venue);
    const c = await checkDeribitBook(engine, store, book, vaultId, o.contractUsd);
    if (c && !c.ok) {
      log.error({ reason: c.reason }, 'deribit book does not match the vault: halting until an operator resumes');
      await haltAll(engine, c.reason ?? 'reconcile', o.eventTime());
    }
  } catch (err) {
    await trades.stop();
    throw err;
  }
  const watch = watchDeribitBook(engine, store, book, vaultId, o.contractUsd, {
    everyMs: o.everyMs, eventTime: o.eventTime, log, onFatal: o.onFatal('book check'), intakeIdle: () => trades.idle(),
  });
  return { trades, watch };
}
