// A Deribit vault's book against its account. First start (no genesis yet): the account's
// positions become the vault's genesis input (options -> legs with their contracts, the perp ->
// perpBtc at the index), and the read itself is kept in the genesis row as `venueImport` (the
// perp's USD size among it: an inverse perp is USD-sized, its BTC value moves with the price).
// Later: the vault's book as committed (legs; perp USD = the import's plus every hedge fill's
// USD, filledBtc x avgPriceUsd, which is the USD amount Deribit filled) is compared with the
// account's; a difference halts the vault through the ccxt reconcile's halt path (haltAll).
import type { VaultInput } from '../../../machines/vault.types.ts';
import type { JournalStore } from '../../../storage/journalStore.ts';
import { bookMismatchReason, compareAccountBooks, type AccountBook } from '../../domain/accountBooks.ts';
import { parseInstrument } from '../../domain/instrument.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Logger } from '../../engine/engineTypes.ts';
import { haltAll } from '../../engine/positionWatch.ts';
import { GENESIS_EVENT } from '../../engine/recovery.ts';
import { VenueError } from '../../venues/hedgeVenue.ts';
import type { BookPositions, OptionsBook } from '../../venues/optionsBook.ts';

/** What the account held when the vault was created (kept in its genesis row). */
export interface VenueImport {
  venue: 'deribit';
  /** Wall clock of the positions read, unix ms: trades at or before it are inside it. */
  at: number;
  indexPriceUsd: number;
  perpUsd: number;
  equityBtc: number;
  balanceBtc: number;
  options: { instrument: string; qty: number }[];
}

export type ImportedVaultInput = VaultInput & { venueImport: VenueImport };

/** The genesis input of a vault created from the account: the config's series (quoted) with the account's contracts. */
export function importedInput(input: VaultInput, pos: BookPositions): ImportedVaultInput {
  const held = new Map(pos.options.map((o) => [o.instrument, o.sizeContracts]));
  const legs = input.book.map((l) => ({ ...l, qty: held.get(l.instrument) ?? 0 }));
  for (const o of pos.options) {
    if (legs.some((l) => l.instrument === o.instrument)) continue;
    const inst = parseInstrument(o.instrument);
    legs.push({ instrument: o.instrument, kind: inst.kind, strikeUsd: inst.strikeUsd, expiryMs: inst.expiryMs, qty: o.sizeContracts });
  }
  const perpUsd = pos.perp?.sizeUsd ?? 0;
  return {
    ...input, book: legs, perpBtc: perpUsd / pos.indexPriceUsd,
    venueImport: {
      venue: 'deribit', at: pos.at, indexPriceUsd: pos.indexPriceUsd, perpUsd, equityBtc: pos.equityBtc, balanceBtc: pos.balanceBtc,
      options: pos.options.map((o) => ({ instrument: o.instrument, qty: o.sizeContracts })),
    },
  };
}

/** Vaults new to the journal get their genesis from the account's positions; the others are left as configured. */
export async function importNewVaults(store: JournalStore, book: OptionsBook, inputs: readonly VaultInput[], log: Logger): Promise<VaultInput[]> {
  const known = new Set(await store.vaultIds());
  if (inputs.every((i) => known.has(i.vaultId))) return [...inputs];
  const pos = await book.positions();
  return inputs.map((i) => {
    if (known.has(i.vaultId)) return i;
    if (i.book.some((l) => l.qty !== 0)) log.warn({ vault: i.vaultId }, 'config book quantities ignored: a new deribit vault takes its positions from the account');
    const imported = importedInput(i, pos);
    log.info({ vault: i.vaultId, options: imported.venueImport.options.length, perpUsd: imported.venueImport.perpUsd }, 'vault book imported from the deribit account');
    return imported;
  });
}

/** The import kept in the vault's genesis row (a Deribit vault is always created from one). */
export async function venueImportOf(store: JournalStore, vaultId: string): Promise<VenueImport> {
  const [genesis] = await store.readJournal({ vaultId, limit: 1 });
  const vi = genesis?.eventType === GENESIS_EVENT ? (genesis.event as Partial<ImportedVaultInput>).venueImport : undefined;
  if (!vi) throw new Error(`vault ${vaultId} was not created from a deribit account (its genesis has no venueImport): it cannot run on venue.kind deribit`);
  return vi;
}

/** The vault's book as committed: option legs, and the perp in USD from the import and every hedge fill. */
export async function vaultAccountBook(engine: Engine, store: JournalStore, vaultId: string): Promise<AccountBook> {
  const c = engine.committedOf(vaultId);
  if (!c) throw new Error(`unknown vault ${vaultId}`);
  const vi = await venueImportOf(store, vaultId);
  let perpUsd = vi.perpUsd;
  for (const o of await store.hedgeOrders(vaultId)) perpUsd += (o.side === 'buy' ? 1 : -1) * o.filledBtc * o.avgPriceUsd;
  return { options: c.context.book.map((l) => ({ instrument: l.instrument, qty: l.qty })), perpUsd };
}

export function accountBookOf(pos: BookPositions): AccountBook {
  return { options: pos.options.map((o) => ({ instrument: o.instrument, qty: o.sizeContracts })), perpUsd: pos.perp?.sizeUsd ?? 0 };
}

export interface BookCheck { ok: boolean; reason: string | null; venue: AccountBook; vault: AccountBook }

/** One comparison of the (single) vault's committed book with the account; null when committed state moved during the reads. */
export async function checkDeribitBook(engine: Engine, store: JournalStore, book: OptionsBook, vaultId: string, contractUsd: number): Promise<BookCheck | null> {
  const before = engine.exposure().commits;
  const pos = await book.positions();
  const vault = await vaultAccountBook(engine, store, vaultId);
  if (engine.exposure().commits !== before) return null;
  const venue = accountBookOf(pos);
  const cmp = compareAccountBooks(venue, vault, contractUsd);
  return { ok: cmp.ok, reason: cmp.ok ? null : bookMismatchReason(venue, vault), venue, vault };
}

export interface BookWatchOptions {
  everyMs: number;
  eventTime: () => number;
  log: Logger;
  onFatal: (err: unknown) => void;
  /** Resolves when the trade intake has booked what it received (a check never races it). */
  intakeIdle: () => Promise<void>;
}

/**
 * The running check (the generic BTC position watch does not fit an inverse perp): every
 * everyMs, skipped while a hedge is in flight. A trade can be in the account's positions before
 * its notification arrives, so a difference halts only when the same one is seen twice in a row.
 */
export function watchDeribitBook(engine: Engine, store: JournalStore, book: OptionsBook, vaultId: string, contractUsd: number, o: BookWatchOptions): { stop: () => Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let lastReason: string | null = null;
  const round = async (): Promise<void> => {
    try {
      await o.intakeIdle();
      if (stopped || engine.committedOf(vaultId)?.context.inFlight || engine.committedOf(vaultId)?.state === 'halted') return;
      const c = await checkDeribitBook(engine, store, book, vaultId, contractUsd);
      if (stopped || c === null) return;
      if (c.ok) { lastReason = null; return; }
      if (c.reason !== lastReason) { lastReason = c.reason; o.log.warn({ reason: c.reason }, 'deribit book differs from the vault: checking again next round'); return; }
      o.log.error({ reason: c.reason }, 'deribit book does not match the vault: halting until an operator resumes');
      await haltAll(engine, c.reason ?? 'reconcile', o.eventTime());
    } catch (err) {
      if (err instanceof VenueError) o.log.warn({ err: err.message }, 'book check skipped: venue did not answer');
      else o.onFatal(err);
    }
  };
  const timer = setInterval(() => { running = running.then(round); }, o.everyMs);
  return { stop: async () => { stopped = true; clearInterval(timer); await running; } };
}
