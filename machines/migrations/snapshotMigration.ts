// The shape of one step of the persisted-snapshot upgrade path (see snapshotMigrations.ts).

/** A vault actor's persisted snapshot as stored (actor.getPersistedSnapshot(), plain JSON). */
export interface PersistedVaultSnapshot {
  status: string;
  value: unknown;
  historyValue?: unknown;
  context: unknown;
  children?: unknown;
  [key: string]: unknown;
}

/** Machine version `from` to `from + 1`: pure, total on every snapshot version `from` can write, never mutates its input. */
export interface SnapshotMigration {
  from: number;
  to: number;
  /** What changed, in a line (logged when a database is upgraded). */
  summary: string;
  migrate(snapshot: PersistedVaultSnapshot): PersistedVaultSnapshot;
}
