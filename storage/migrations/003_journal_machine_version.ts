// Schema version 3: each journal row names the vault machine version that decided it, so that
// replay (recovery of a journal tail, `verify`) applies that version's rules, never newer ones
// (machines/machineVersions.ts). Every row written before this migration was decided by machine
// version 1, the only version before it. ADD COLUMN with a constant default rewrites no row; no
// CHECK on it, which would make SQLite read every row (about 1 s a million rows, measured): the
// readers refuse any version they do not know (machines/machineVersions.ts).
export const MIGRATION_003_JOURNAL_MACHINE_VERSION = `
ALTER TABLE journal ADD COLUMN machine_version INTEGER NOT NULL DEFAULT 1;
`;
