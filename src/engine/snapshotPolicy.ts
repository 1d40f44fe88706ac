// Which vault snapshots a commit writes. Every event is journaled; a vault's snapshot is
// rewritten when its state changes, every `every` events, and at a clean stop (so a restart
// after it folds nothing). Recovery folds the short journal tail after the last snapshot.
import { MACHINE_VERSION } from '../../machines/vault.machine.ts';
import type { VaultStateName } from '../../machines/vault.types.ts';
import type { SnapshotRow } from '../../storage/journalStore.ts';
import { JsonText } from '../../storage/jsonText.ts';
import type { VaultRuntime } from './vaultRuntime.ts';

export class SnapshotPolicy {
  /** Seq and state of each vault's last written snapshot. */
  private readonly written = new Map<string, { seq: number; state: VaultStateName }>();
  /** Vaults journaled since their last snapshot. */
  private readonly behind = new Set<string>();
  /** Set at stop: every vault gets a snapshot at its last event. */
  all = false;

  constructor(private readonly every: number) {}

  /** A vault whose snapshot is current (restored with no journal tail). */
  knownAt(vaultId: string, seq: number, state: VaultStateName): void {
    this.written.set(vaultId, { seq, state });
  }

  /** Anything left to write even without new events (the stop flush)? */
  get pending(): boolean { return this.all && this.behind.size > 0; }

  /** The snapshot rows for the vaults changed since the last commit (and, at stop, the rest). */
  rows(changed: readonly VaultRuntime[], byId: (id: string) => VaultRuntime): SnapshotRow[] {
    const out: SnapshotRow[] = [];
    const take = (rt: VaultRuntime): void => {
      out.push({ vaultId: rt.vaultId, seq: rt.seq, machineVersion: MACHINE_VERSION, snapshot: new JsonText(rt.persistedJson()) });
      this.written.set(rt.vaultId, { seq: rt.seq, state: rt.state });
      this.behind.delete(rt.vaultId);
    };
    for (const rt of changed) {
      const last = this.written.get(rt.vaultId);
      if (this.all || !last || last.state !== rt.state || rt.seq - last.seq >= this.every) take(rt);
      else this.behind.add(rt.vaultId);
    }
    if (this.all) for (const id of [...this.behind]) take(byId(id));
    return out;
  }
}
