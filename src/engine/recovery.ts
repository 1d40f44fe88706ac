// Restart and replay. A vault comes back from its latest snapshot plus the journal tail after it,
// or from its whole journal; every journal row is replayed by the rules of the machine version
// that journaled it (never re-decided by newer ones), snapshots move between versions through
// the pure migrations of machines/migrations/, and the result runs the current MACHINE_VERSION.
// A vault with no journal starts from its config with a genesis row ('vault.created') so the
// journal alone can rebuild it (see verify).
import { assertNotNewer, isMigratable, machineFor, MachineVersionError } from '../../machines/machineVersions.ts';
import { migrateSnapshot } from '../../machines/migrations/snapshotMigrations.ts';
import { MACHINE_VERSION, type VaultMachine } from '../../machines/vault.machine.ts';
import type { VaultEvent, VaultInput } from '../../machines/vault.types.ts';
import type { JournalRow, JournalStore, SnapshotRow } from '../../storage/journalStore.ts';
import { VaultRuntime, type Inspect } from './vaultRuntime.ts';

export const GENESIS_EVENT = 'vault.created';

export interface ReplayOptions {
  inspect?: Inspect;
  /** The machine versions to replay with (default MACHINE_VERSIONS; tests pass their own). */
  versions?: ReadonlyMap<number, VaultMachine>;
}

export interface RecoveredVault {
  runtime: VaultRuntime;
  /** 'snapshot' (snapshot + tail) or 'journal' (rebuilt from the journal). */
  from: 'snapshot' | 'journal';
  tailEvents: number;
  /** The machine version it was stored under (its snapshot's, or its first row's when rebuilt); older than MACHINE_VERSION: upgraded. */
  storedVersion: number;
}

/**
 * Replays journal rows onto a runtime (null: from the genesis row), each by the rules of its own
 * machine version: a row of a newer version first migrates the runtime up to it. Checks each
 * lands where the journal says it did. Returns the runtime after the last row (the one passed in
 * is stopped if it had to be migrated).
 */
export function foldRows(rt: VaultRuntime | null, rows: readonly JournalRow[], opts: ReplayOptions = {}): VaultRuntime {
  let runtime = rt;
  for (const row of rows) {
    const what = `vault ${row.vaultId}: journal row ${row.seq}`;
    assertNotNewer(row.machineVersion, what);
    machineFor(row.machineVersion, what, opts.versions);
    if (row.eventType === GENESIS_EVENT) {
      if (runtime) throw new Error(`vault ${row.vaultId}: a second genesis row at seq ${row.seq}`);
      runtime = VaultRuntime.create(row.event as VaultInput, { ...opts, version: row.machineVersion });
      runtime.seq = row.seq;
      continue;
    }
    if (!runtime) throw new Error(`vault ${row.vaultId}: journal starts at seq ${row.seq} without a genesis row`);
    if (row.machineVersion < runtime.version) {
      throw new Error(`${what} was decided by machine version ${row.machineVersion}, after rows or a snapshot of version ${runtime.version}: a journal never goes back a version`);
    }
    if (row.machineVersion > runtime.version) runtime = runtime.upgradeTo(row.machineVersion);
    const applied = runtime.apply(row.event as VaultEvent);
    if (!applied || applied.seq !== row.seq || applied.to !== row.toState) {
      throw new Error(`vault ${row.vaultId}: replay of seq ${row.seq} (${row.eventType}) gave ${applied ? `${applied.to} at seq ${applied.seq}` : 'no change'}, journal says ${row.toState}`);
    }
  }
  if (!runtime) throw new Error('empty journal');
  return runtime;
}

/**
 * A vault as committed: its snapshot (migrated up to the version of its journal tail, or to the
 * current one when there is no tail, as after a clean stop) plus the tail replayed by its own
 * rules, or its whole journal; then migrated to MACHINE_VERSION. Null when the vault has neither.
 * Refuses (MachineVersionError) what a newer omm-hedger wrote.
 */
export async function recoverVault(store: JournalStore, vaultId: string, snapshot: SnapshotRow | undefined, opts: ReplayOptions = {}): Promise<RecoveredVault | null> {
  if (snapshot) {
    const what = `vault ${vaultId}: snapshot at seq ${snapshot.seq}`;
    assertNotNewer(snapshot.machineVersion, what);
    if (isMigratable(snapshot.machineVersion)) {
      const tail = await store.journalTail(vaultId, snapshot.seq);
      const first = tail[0];
      const at = first?.machineVersion ?? MACHINE_VERSION;
      if (first && at < snapshot.machineVersion) {
        throw new Error(`vault ${vaultId}: journal row ${first.seq} of machine version ${at} follows a snapshot of version ${snapshot.machineVersion}: a journal never goes back a version`);
      }
      if (first) {
        assertNotNewer(at, `vault ${vaultId}: journal row ${first.seq}`);
        machineFor(at, `vault ${vaultId}: journal row ${first.seq}`, opts.versions);
      }
      const rt = VaultRuntime.restore(migrateSnapshot(snapshot.snapshot, snapshot.machineVersion, at), snapshot.seq, { ...opts, version: at });
      return { runtime: foldRows(rt, tail, opts).upgradeTo(MACHINE_VERSION), from: 'snapshot', tailEvents: tail.length, storedVersion: snapshot.machineVersion };
    }
  }
  // No snapshot, or one older than every migration this code has: never misread it, rebuild
  // from the journal.
  const rows = await store.journalTail(vaultId, 0);
  const first = rows[0];
  if (!first) {
    if (snapshot) throw new MachineVersionError(`vault ${vaultId}: snapshot of vault machine version ${snapshot.machineVersion}, which this omm-hedger cannot read, and no journal to rebuild it from`);
    return null;
  }
  return { runtime: foldRows(null, rows, opts).upgradeTo(MACHINE_VERSION), from: 'journal', tailEvents: rows.length, storedVersion: first.machineVersion };
}
