// The current committed state of every vault in a database, for read-only tools (status): each
// recovered exactly as a restart would recover it (recovery.ts), without writing anything.
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';
import type { JournalStore } from '../../storage/journalStore.ts';
import { recoverVault } from './recovery.ts';

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
    const r = await recoverVault(store, id, snaps.get(id));
    if (!r) continue;
    out.push({ vaultId: id, state: r.runtime.state, seq: r.runtime.seq, context: r.runtime.context });
    r.runtime.stop();
  }
  return out;
}
