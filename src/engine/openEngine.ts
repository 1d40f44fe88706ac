// Start-up: write into the tables the hedge decisions a crash left durable ahead of them
// (JournalStore.foldDecisions), recover every configured vault (snapshot + journal tail, each row by its own
// machine version's rules, then migrated to this code's: see recovery.ts), restore source offsets and the set of booked fill ids, then
// reconcile with the venue before the caller resumes intake: hedges left in flight are looked
// up (placed only if the venue never saw them) and finished; the venue position must match the
// vaults' perp positions.
import { MACHINE_VERSION } from '../../machines/vault.machine.ts';
import type { VaultInput } from '../../machines/vault.types.ts';
import type { JournalStore } from '../../storage/journalStore.ts';
import { Engine } from './engine.ts';
import type { EngineOptions } from './engineOptions.ts';
import { recoverVault } from './recovery.ts';

export interface RecoveryReport {
  /** upgradedFrom: the vault machine version it was stored under, when older than this code's (it was migrated). */
  vaults: { vaultId: string; from: 'new' | 'snapshot' | 'journal'; tailEvents: number; state: string; seq: number; upgradedFrom?: number }[];
  ignoredVaults: string[];
  offsets: Record<string, number>;
  fills: number;
  /** Hedge decisions a crash left durable ahead of the tables, written into them at start. */
  foldedDecisions: number;
}

export async function openEngine(opts: EngineOptions, inputs: readonly VaultInput[]): Promise<{ engine: Engine; report: RecoveryReport }> {
  const store: JournalStore = opts.store;
  const engine = new Engine(opts);
  // Before anything is read: the reads see the tables only.
  const foldedDecisions = await store.foldDecisions();
  const snaps = new Map((await store.latestSnapshots()).map((s) => [s.vaultId, s]));
  const known = new Set(await store.vaultIds());
  const report: RecoveryReport = { vaults: [], ignoredVaults: [], offsets: {}, fills: 0, foldedDecisions };
  for (const input of inputs) {
    if (!known.has(input.vaultId)) {
      const rt = engine.addNewVault(input);
      report.vaults.push({ vaultId: input.vaultId, from: 'new', tailEvents: 0, state: rt.state, seq: rt.seq });
      continue;
    }
    const snap = snaps.get(input.vaultId);
    const r = await recoverVault(store, input.vaultId, snap, opts.inspect ? { inspect: opts.inspect } : {});
    if (!r) throw new Error(`vault ${input.vaultId} is listed in the database but has neither a snapshot nor a journal`);
    // A snapshot of this version with nothing after it is current; any other is rewritten at
    // the vault's next state change, every 100 events or at the stop.
    const current = r.from === 'snapshot' && r.tailEvents === 0 && r.storedVersion === MACHINE_VERSION;
    engine.addVault(r.runtime, current ? snap?.seq : undefined);
    if (r.storedVersion !== MACHINE_VERSION) {
      opts.log.info({ vault: input.vaultId, fromVersion: r.storedVersion, toVersion: MACHINE_VERSION, tailEvents: r.tailEvents },
        'vault machine upgraded: its journal replayed by the rules of the version that wrote it, its snapshot migrated');
    }
    if (JSON.stringify(r.runtime.context.config) !== JSON.stringify(input.config)) {
      opts.log.warn({ vault: input.vaultId }, 'config differs from the persisted vault; the persisted state is kept (journal is the truth)');
    }
    // The newest fills go to the in-memory dedup set; older ones are found in storage on demand.
    const ids = (await store.fillsOf(input.vaultId)).map((f) => f.fillId);
    engine.rememberFills(ids.slice(-50_000));
    report.fills += ids.length;
    report.vaults.push({
      vaultId: input.vaultId, from: r.from, tailEvents: r.tailEvents, state: r.runtime.state, seq: r.runtime.seq,
      ...(r.storedVersion !== MACHINE_VERSION ? { upgradedFrom: r.storedVersion } : {}),
    });
  }
  const configured = new Set(inputs.map((i) => i.vaultId));
  report.ignoredVaults = [...known].filter((id) => !configured.has(id));
  for (const o of await store.sourceOffsets()) {
    engine.setOffset(o.source, o.offset);
    report.offsets[o.source] = o.offset;
  }
  await engine.commit();
  return { engine, report };
}

/** Finishes hedges left in flight (lookup first, never a blind re-place), then checks the venue position. */
export async function reconcile(engine: Engine, market: string, venue: EngineOptions['venue']): Promise<{ venueBtc: number; vaultsBtc: number; ok: boolean }> {
  engine.resumeEffects();
  await engine.quiesce();
  const pos = await venue.position(market);
  let vaultsBtc = 0;
  for (const id of engine.vaultIds()) vaultsBtc += engine.vault(id)?.context.perpBtc ?? 0;
  return { venueBtc: pos.sizeBtc, vaultsBtc, ok: Math.abs(pos.sizeBtc - vaultsBtc) < 1e-6 };
}
