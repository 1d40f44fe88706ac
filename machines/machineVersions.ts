// Every version of the vault machine this code can run: the current one, and frozen copies of
// older ones (machines/history/) for journal rows those versions decided. A row is always
// replayed by the rules of the version that journaled it, never re-decided by newer ones;
// snapshots move between versions through the pure steps of machines/migrations/.
//
// Bumping MACHINE_VERSION from N to N+1 (the README's "Upgrading the machine"):
//   1. copy version N's state graph to history/vaultMachineVN.ts (and give it its own copy of
//      any guard or action of vaultSetup that N+1 changes), and list it below;
//   2. add migrations/vNToVN+1.ts and append it to SNAPSHOT_MIGRATIONS;
//   3. build release N's databases (scripts/make-upgrade-fixtures.sh <release N commit>): the
//      upgrade test (test/integration/upgrade/) runs on every fixture it finds.
import { vaultMachineV1 } from './history/vaultMachineV1.ts';
import { vaultMachineV2 } from './history/vaultMachineV2.ts';
import { vaultMachineV3 } from './history/vaultMachineV3.ts';
import { canMigrate } from './migrations/snapshotMigrations.ts';
import { MACHINE_VERSION, vaultMachine, type VaultMachine } from './vault.machine.ts';

/**
 * By version. Typed as the current machine: the runtime reads every version's state through
 * leafState() and its events are the same; versions 1 and 2 hold a version-2 context (no vol
 * surface, expiry treatment or planned hedge), version 3 a version-3 context (no account kind,
 * MMP deadline or account marks) until their snapshot is migrated, and the engine reads a
 * vault's context only after recovery has brought it to MACHINE_VERSION.
 */
export const MACHINE_VERSIONS: ReadonlyMap<number, VaultMachine> = new Map<number, VaultMachine>([
  [1, vaultMachineV1 as unknown as VaultMachine],
  [2, vaultMachineV2 as unknown as VaultMachine],
  [3, vaultMachineV3 as unknown as VaultMachine],
  [MACHINE_VERSION, vaultMachine],
]);

/** A database holds what this code cannot run: written by a newer omm-hedger, or decided by a version no longer kept. */
export class MachineVersionError extends Error {}

/**
 * The rules of machine version `version`, for `what` (e.g. "vault alpha: journal row 152").
 * Throws MachineVersionError saying what to do when this code does not have them.
 */
export function machineFor(version: number, what: string, versions: ReadonlyMap<number, VaultMachine> = MACHINE_VERSIONS): VaultMachine {
  const m = versions.get(version);
  if (m) return m;
  throw new MachineVersionError(version > MACHINE_VERSION ? tooNew(version, what) : `${what} was decided by vault machine version ${version}, ` +
    `whose rules this omm-hedger no longer keeps (it replays versions ${[...versions.keys()].join(', ')}): start the release that wrote it on this ` +
    'database and stop it with Ctrl-C (a clean stop snapshots every vault, and a snapshot migrates), then start this one');
}

/** Refuses what a newer omm-hedger wrote (a snapshot or journal row of a version above MACHINE_VERSION). */
export function assertNotNewer(version: number, what: string): void {
  if (version > MACHINE_VERSION) throw new MachineVersionError(tooNew(version, what));
}

/** Can this code bring a snapshot of `version` to MACHINE_VERSION (a migration step for every version between)? */
export function isMigratable(version: number): boolean {
  return version <= MACHINE_VERSION && canMigrate(version, MACHINE_VERSION);
}

function tooNew(version: number, what: string): string {
  return `${what} was written by vault machine version ${version}, newer than this omm-hedger's (${MACHINE_VERSION}): ` +
    'the database was last run by a newer omm-hedger; run that release (or a newer one) on it, never an older one';
}
