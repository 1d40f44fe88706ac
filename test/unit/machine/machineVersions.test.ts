// The registry of machine versions: every version from the oldest kept to MACHINE_VERSION, the
// current one being the live machine; what it cannot run is refused with what to do instead.
import { describe, expect, it } from 'vitest';
import { vaultMachineV1 } from '../../../machines/history/vaultMachineV1.ts';
import { assertNotNewer, isMigratable, MACHINE_VERSIONS, machineFor, MachineVersionError } from '../../../machines/machineVersions.ts';
import { MACHINE_VERSION, vaultMachine } from '../../../machines/vault.machine.ts';

describe('machine versions', () => {
  it('keeps every version from 1 to the current one; the current one is the live machine', () => {
    expect([...MACHINE_VERSIONS.keys()]).toEqual(Array.from({ length: MACHINE_VERSION }, (_, i) => i + 1));
    expect(MACHINE_VERSIONS.get(MACHINE_VERSION)).toBe(vaultMachine);
    expect(machineFor(1, 'x')).toBe(vaultMachineV1);
    for (const v of MACHINE_VERSIONS.keys()) expect(isMigratable(v)).toBe(true);
  });

  it('refuses a version newer than the code, saying a newer omm-hedger wrote it', () => {
    const what = 'vault alpha: snapshot at seq 12';
    for (const f of [() => machineFor(MACHINE_VERSION + 1, what), () => assertNotNewer(MACHINE_VERSION + 1, what)]) {
      expect(f).toThrow(MachineVersionError);
      expect(f).toThrow(`vault alpha: snapshot at seq 12 was written by vault machine version ${MACHINE_VERSION + 1}, newer than this omm-hedger's (${MACHINE_VERSION}): the database was last run by a newer omm-hedger; run that release (or a newer one) on it, never an older one`);
    }
    expect(isMigratable(MACHINE_VERSION + 1)).toBe(false);
    expect(() => assertNotNewer(MACHINE_VERSION, what)).not.toThrow();
  });

  it('refuses rows of a version whose rules are no longer kept, saying how to upgrade through its release', () => {
    const withoutV1 = new Map([...MACHINE_VERSIONS].filter(([v]) => v !== 1));
    expect(() => machineFor(1, 'vault alpha: journal row 7', withoutV1)).toThrow(
      `vault alpha: journal row 7 was decided by vault machine version 1, whose rules this omm-hedger no longer keeps (it replays versions ${[...withoutV1.keys()].join(', ')}): ` +
      'start the release that wrote it on this database and stop it with Ctrl-C (a clean stop snapshots every vault, and a snapshot migrates), then start this one',
    );
  });
});
