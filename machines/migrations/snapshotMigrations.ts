// The upgrade path of persisted vault snapshots: one pure step per machine version, applied in
// order. Append a step (one file, vNToVN+1.ts) when MACHINE_VERSION is bumped; never edit a
// shipped one: databases in the field were written by it.
import type { PersistedVaultSnapshot, SnapshotMigration } from './snapshotMigration.ts';
import { v1ToV2 } from './v1ToV2.ts';
import { v2ToV3 } from './v2ToV3.ts';
import { v3ToV4 } from './v3ToV4.ts';

export type { PersistedVaultSnapshot, SnapshotMigration };

/** Every step, by the version it starts from: 1 -> 2, 2 -> 3, ... */
export const SNAPSHOT_MIGRATIONS: readonly SnapshotMigration[] = [v1ToV2, v2ToV3, v3ToV4];

/** Can a snapshot of machine version `from` be brought to `to` (a step for every version between)? */
export function canMigrate(from: number, to: number): boolean {
  for (let v = from; v < to; v++) if (!SNAPSHOT_MIGRATIONS.some((m) => m.from === v)) return false;
  return from <= to;
}

/** A snapshot of machine version `from` as machine version `to` would have written it, step by step. */
export function migrateSnapshot(snapshot: unknown, from: number, to: number): PersistedVaultSnapshot {
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) {
    throw new Error(`a persisted vault snapshot is a JSON object, got ${JSON.stringify(snapshot)}`);
  }
  if (from > to) throw new Error(`snapshots are never migrated down (machine version ${from} to ${to})`);
  let s = snapshot as PersistedVaultSnapshot;
  for (let v = from; v < to; v++) {
    const step = SNAPSHOT_MIGRATIONS.find((m) => m.from === v);
    if (!step) throw new Error(`no migration of machine version ${v} snapshots to ${v + 1}`);
    s = step.migrate(s);
  }
  return s;
}
