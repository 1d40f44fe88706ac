// Restart: load each vault's latest snapshot, check its machine version, fold the journal
// tail, and hand the runtimes to the engine. A vault with no journal starts from its config
// with a genesis row ('vault.created') so the journal alone can rebuild it (see verify).
import { MACHINE_VERSION } from '../../machines/vault.machine.ts';
import type { VaultEvent, VaultInput } from '../../machines/vault.types.ts';
import type { JournalRow, JournalStore } from '../../storage/journalStore.ts';
import { VaultRuntime, type Inspect } from './vaultRuntime.ts';

export const GENESIS_EVENT = 'vault.created';

export interface RecoveredVault {
  runtime: VaultRuntime;
  /** 'new' (no journal), 'snapshot' (snapshot + tail), 'journal' (rebuilt from the journal). */
  from: 'new' | 'snapshot' | 'journal';
  tailEvents: number;
}

/** Replays journal rows onto a runtime, checking each lands where the journal says it did. */
export function foldRows(rt: VaultRuntime | null, rows: readonly JournalRow[], inspect?: Inspect): VaultRuntime {
  let runtime = rt;
  for (const row of rows) {
    if (row.eventType === GENESIS_EVENT) {
      if (runtime) throw new Error(`vault ${row.vaultId}: a second genesis row at seq ${row.seq}`);
      runtime = VaultRuntime.create(row.event as VaultInput, inspect);
      runtime.seq = row.seq;
      continue;
    }
    if (!runtime) throw new Error(`vault ${row.vaultId}: journal starts at seq ${row.seq} without a genesis row`);
    const applied = runtime.apply(row.event as VaultEvent);
    if (!applied || applied.seq !== row.seq || applied.to !== row.toState) {
      throw new Error(`vault ${row.vaultId}: replay of seq ${row.seq} (${row.eventType}) gave ${applied ? `${applied.to} at seq ${applied.seq}` : 'no change'}, journal says ${row.toState}`);
    }
  }
  if (!runtime) throw new Error('empty journal');
  return runtime;
}

export async function recoverVault(store: JournalStore, input: VaultInput, snapshot: { seq: number; machineVersion: number; snapshot: unknown } | undefined, inspect?: Inspect): Promise<RecoveredVault> {
  const id = input.vaultId;
  if (snapshot && snapshot.machineVersion === MACHINE_VERSION) {
    const rt = VaultRuntime.restore(snapshot.snapshot, snapshot.seq, inspect);
    const tail = await store.journalTail(id, snapshot.seq);
    return { runtime: foldRows(rt, tail), from: 'snapshot', tailEvents: tail.length };
  }
  // No snapshot, or one from another machine version: never misread it, rebuild from the journal.
  const rows = await store.journalTail(id, 0);
  if (rows.length === 0) {
    if (snapshot) throw new Error(`vault ${id}: snapshot of machine version ${snapshot.machineVersion} (code is ${MACHINE_VERSION}) and no journal to rebuild from`);
    return { runtime: VaultRuntime.create(input, inspect), from: 'new', tailEvents: 0 };
  }
  return { runtime: foldRows(null, rows, inspect), from: 'journal', tailEvents: rows.length };
}
