// The current committed state of every vault in a database, for read-only tools (status):
// its latest snapshot plus the journal tail after it, or the whole journal without one.
import { MACHINE_VERSION } from '../../machines/vault.machine.ts';
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';
import type { JournalStore } from '../../storage/journalStore.ts';
import { foldRows } from './recovery.ts';
import { VaultRuntime } from './vaultRuntime.ts';

export interface CommittedVault {
  vaultId: string;
  state: VaultStateName;
  seq: number;
  context: VaultContext;
}

export async function loadVaultStates(store: JournalStore): Promise<CommittedVault[]> {
  const snaps = new Map((await store.latestSnapshots()).map((s) => [s.vaultId, s]));
  const out: CommittedVault[] = [];
  for (const id of (await store.vaultIds()).sort()) {
    const snap = snaps.get(id);
    const rt = snap && snap.machineVersion === MACHINE_VERSION
      ? foldRows(VaultRuntime.restore(snap.snapshot, snap.seq), await store.journalTail(id, snap.seq))
      : foldRows(null, await store.journalTail(id, 0));
    out.push({ vaultId: id, state: rt.state, seq: rt.seq, context: rt.context });
    rt.stop();
  }
  return out;
}
