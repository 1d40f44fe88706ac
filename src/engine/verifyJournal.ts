// `omm-hedger verify`: rebuild every vault from its journal alone and compare with its snapshot.
// Every row is replayed by the rules of the machine version that journaled it; the rebuilt vault
// and the snapshot are compared as this code's version (both migrated up by the same pure steps).
import { assertNotNewer, isMigratable, MachineVersionError } from '../../machines/machineVersions.ts';
import { migrateSnapshot } from '../../machines/migrations/snapshotMigrations.ts';
import { MACHINE_VERSION } from '../../machines/vault.machine.ts';
import type { JournalStore } from '../../storage/journalStore.ts';
import { foldRows, type ReplayOptions } from './recovery.ts';

export interface VerifyResult {
  ok: boolean;
  /** machineVersions: the versions whose rules replayed the vault's journal, oldest first. */
  vaults: { vaultId: string; events: number; machineVersions: number[]; ok: boolean; difference?: string }[];
}

/** First path at which two JSON values differ, or null when equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (a === b) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return `${path || '(root)'}: journal ${JSON.stringify(a)} vs snapshot ${JSON.stringify(b)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b as object)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return null;
}

/** Refuses (MachineVersionError) a database written by a newer omm-hedger; any other problem is a vault's difference. */
export async function verifyJournal(store: JournalStore, opts: Pick<ReplayOptions, 'versions'> = {}): Promise<VerifyResult> {
  const snaps = new Map((await store.latestSnapshots()).map((s) => [s.vaultId, s]));
  const ids = await store.vaultIds();
  const vaults: VerifyResult['vaults'] = [];
  for (const id of ids) {
    const rows = await store.journalTail(id, 0);
    const snap = snaps.get(id);
    const machineVersions = [...new Set(rows.map((r) => r.machineVersion))].sort((a, b) => a - b);
    let difference: string | undefined;
    try {
      // Fold the journal up to the snapshot's seq and compare; then fold the rest (the tail a
      // restart would replay), which must land on every journaled state too.
      if (!snap) throw new Error('no snapshot stored');
      assertNotNewer(snap.machineVersion, `vault ${id}: snapshot at seq ${snap.seq}`);
      if (!isMigratable(snap.machineVersion)) throw new Error(`snapshot of vault machine version ${snap.machineVersion}, which this omm-hedger cannot read`);
      const upto = rows.filter((r) => r.seq <= snap.seq);
      if (upto.length === 0 || (upto[upto.length - 1]?.seq ?? 0) !== snap.seq) throw new Error(`snapshot at seq ${snap.seq}, which the journal does not hold`);
      const rt = foldRows(null, upto, opts);
      if (rt.version > snap.machineVersion) throw new Error(`snapshot at seq ${snap.seq} is of machine version ${snap.machineVersion}, older than the journal row it was taken after (${rt.version})`);
      const rebuilt = migrateSnapshot(JSON.parse(JSON.stringify(rt.persisted())), rt.version, MACHINE_VERSION);
      const d = firstDifference(rebuilt, migrateSnapshot(snap.snapshot, snap.machineVersion, MACHINE_VERSION));
      if (d) difference = d;
      else foldRows(rt, rows.filter((r) => r.seq > snap.seq), opts).stop();
      rt.stop();
    } catch (err) {
      if (err instanceof MachineVersionError) throw err;
      difference = err instanceof Error ? err.message : String(err);
    }
    vaults.push(difference ? { vaultId: id, events: rows.length, machineVersions, ok: false, difference } : { vaultId: id, events: rows.length, machineVersions, ok: true });
  }
  return { ok: vaults.every((v) => v.ok), vaults };
}
