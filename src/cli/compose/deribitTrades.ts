// The Deribit account's option trades as the vault's fills, through the engine's one fill
// intake (bookFills: the fill-id dedup, then fill.received): fillId = Deribit's trade id, the
// account's side (the vault's: one vault per account), qty = contracts, priceUsd = priceBtc x
// the index at the trade, at = the trade's time. The live stream is subscribed first; then the
// history since the last journaled fill (or the account import) is read, so that nothing traded
// while the engine was away is lost; what both deliver is booked once.
import type { Subscription } from 'rxjs';
import type { JournalStore } from '../../../storage/journalStore.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Logger } from '../../engine/engineTypes.ts';
import type { FillInput } from '../../streams/inputTypes.ts';
import type { OptionTrade, OptionsBook } from '../../venues/optionsBook.ts';
import { venueImportOf } from './deribitBook.ts';
import { bookFills } from './externalFills.ts';

export const DERIBIT_FILL_SOURCE = 'fills:deribit';

export function tradeToFill(t: OptionTrade, vaultId: string): FillInput {
  if (!(t.amountContracts > 0) || !Number.isFinite(t.priceUsd) || !(t.priceUsd >= 0)) {
    throw new Error(`deribit trade ${t.tradeId} has an impossible amount or price (${t.amountContracts} contracts at ${t.priceUsd} USD)`);
  }
  // No offset: after a restart the history since the last fill is the resume point, not an offset.
  return { fillId: t.tradeId, vaultId, instrument: t.instrument, side: t.side, qty: t.amountContracts, priceUsd: t.priceUsd, at: t.at, source: DERIBIT_FILL_SOURCE, offset: null };
}

export interface TradeIntake {
  /** Resolves once everything received so far is booked and committed. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Books the account's trades into `vaultId`; resolves once the backfill is committed. Trades at
 * or before the account import's read are inside the imported book and are skipped.
 */
export async function followDeribitTrades(engine: Engine, store: JournalStore, book: OptionsBook, vaultId: string, log: Logger, onFatal: (err: unknown) => void): Promise<TradeIntake> {
  const imported = await venueImportOf(store, vaultId);
  let chain: Promise<void> = Promise.resolve();
  const take = (trades: readonly OptionTrade[], how: string): Promise<void> => {
    chain = chain.then(async () => {
      const fills = trades.filter((t) => t.at > imported.at).map((t) => tradeToFill(t, vaultId));
      if (fills.length === 0) return;
      const r = await bookFills(engine, fills);
      await engine.commit();
      if (r.accepted.length) log.info({ vault: vaultId, how, accepted: r.accepted, duplicates: r.duplicates.length }, 'deribit trades booked');
    });
    // The chain stays usable for later trades; a failure to book is fatal for the run (a fill must never be dropped).
    chain = chain.catch((err: unknown) => onFatal(err));
    return chain;
  };
  const sub: Subscription = book.trades().subscribe({
    next: (t) => { void take([t], 'streamed'); },
    error: (err: unknown) => onFatal(err),
  });
  const fills = await store.fillsOf(vaultId);
  const from = Math.max(imported.at, ...fills.map((f) => f.at));
  const missed = await book.tradesSince(from);
  await take(missed, 'backfilled');
  return {
    idle: () => chain,
    stop: async () => { sub.unsubscribe(); await chain; },
  };
}
