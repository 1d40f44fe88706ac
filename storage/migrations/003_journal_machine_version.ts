// Schema version 3: each journal row names the vault machine version that decided it, so that
// replay (recovery of a journal tail, `verify`) applies that version's rules, never newer ones
// (machines/machineVersions.ts). Every row written before this migration was decided by machine
// version 1, the only version before it. ADD COLUMN with a constant default rewrites no row.
export const MIGRATION_003_JOURNAL_MACHINE_VERSION = `
ALTER TABLE journal ADD COLUMN machine_version INTEGER NOT NULL DEFAULT 1 CHECK (machine_version >= 1);
`;
