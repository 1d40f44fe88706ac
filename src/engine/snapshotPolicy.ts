// Which vault snapshots a commit writes. Every event is journaled; a vault's snapshot is
// rewritten when its state changes, every `every` events, and at a clean stop (so a restart
// after it folds nothing). Recovery folds the short journal tail after the last snapshot. A
// journal no one recovers from (a backtest's in-memory store) can skip the ones in between.
import { MACHINE_VERSION } from '../../machines/vault.machine.ts';
import type { VaultStateName } from '../../machines/vault.types.ts';
import type { SnapshotRow } from '../../storage/journalStore.ts';
import { JsonText } from '../../storage/jsonText.ts';
import type { VaultRuntime } from './vaultRuntime.ts';

export class SnapshotPolicy {
  /** Seq and state of each vault's last written snapshot. */
  private readonly written = new Map<string, { seq: number; state: VaultStateName }>();
  /** Set at stop: every vault whose snapshot is behind its last event gets one. */
  private final = false;

  /**
   * `every`: events between snapshots (null: none between a vault's first one and the stop,
   * state changes included); `runtimes`: every vault of the engine (read at stop).
   */
  constructor(private readonly every: number | null, private readonly runtimes: () => Iterable<VaultRuntime>) {}

  /** A vault whose snapshot is current (restored with no journal tail). */
  knownAt(vaultId: string, seq: number, state: VaultStateName): void {
    this.written.set(vaultId, { seq, state });
  }

  /**
   * A clean stop: from now on every commit also writes the snapshot of each vault that has none
   * at its last event (one recovered with a journal tail and untouched since included), so the
   * next start, of this version or a newer one, folds no journal tail.
   */
  snapshotAll(): void { this.final = true; }

  /** Anything left to write even without new events (the stop flush)? */
  get pending(): boolean {
    if (!this.final) return false;
    for (const rt of this.runtimes()) if (this.behind(rt)) return true;
    return false;
  }

  /** The snapshot rows for the vaults changed since the last commit (and, at stop, the rest). */
  rows(changed: readonly VaultRuntime[]): SnapshotRow[] {
    const out: SnapshotRow[] = [];
    const take = (rt: VaultRuntime): void => {
      out.push({ vaultId: rt.vaultId, seq: rt.seq, machineVersion: MACHINE_VERSION, snapshot: new JsonText(rt.persistedJson()) });
      this.written.set(rt.vaultId, { seq: rt.seq, state: rt.state });
    };
    for (const rt of changed) {
      const last = this.written.get(rt.vaultId);
      if (!last || (this.every !== null && (last.state !== rt.state || rt.seq - last.seq >= this.every))) take(rt);
    }
    if (this.final) for (const rt of this.runtimes()) if (this.behind(rt)) take(rt);
    return out;
  }

  private behind(rt: VaultRuntime): boolean {
    return this.written.get(rt.vaultId)?.seq !== rt.seq;
  }
}
