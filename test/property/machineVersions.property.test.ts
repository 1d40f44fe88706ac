// The frozen machine version 1 (flat states) and the current machine decide alike: over random
// inputs and event sequences both rest in the same (leaf) state with the same context after
// every event, version 1's persisted snapshot migrated to the current version is the current
// machine's persisted snapshot, and a current actor restored from that migrated snapshot half-way
// carries on exactly as version 1 does.
import fc from 'fast-check';
import { createActor, type Snapshot } from 'xstate';
import { describe, expect, it } from 'vitest';
import { vaultMachineV1 } from '../../machines/history/vaultMachineV1.ts';
import { migrateSnapshot } from '../../machines/migrations/snapshotMigrations.ts';
import { leafState, MACHINE_VERSION, vaultMachine } from '../../machines/vault.machine.ts';
import type { VaultInput } from '../../machines/vault.types.ts';
import { cmd, concrete, input, type Cmd } from '../fixtures/vaultCommands.ts';
import { T0 } from '../fixtures/vaults.ts';

function compareVersions(inp: VaultInput, cmds: Cmd[]): void {
  const v1 = createActor(vaultMachineV1, { input: inp }).start();
  let now2 = createActor(vaultMachine, { input: inp }).start();
  const check = (where: string): void => {
    const a = v1.getSnapshot(), b = now2.getSnapshot();
    expect(b.status, where).toBe('active');
    expect(leafState(b.value), where).toBe(leafState(a.value));
    expect(b.context, where).toEqual(a.context);
    expect(migrateSnapshot(v1.getPersistedSnapshot(), 1, MACHINE_VERSION), where).toEqual(now2.getPersistedSnapshot());
  };
  check('start');
  let now = T0;
  const half = Math.floor(cmds.length / 2);
  cmds.forEach((c, k) => {
    if (k === half) {
      // An upgrade half-way: the current machine restored from version 1's migrated snapshot.
      now2.stop();
      now2 = createActor(vaultMachine, { snapshot: migrateSnapshot(v1.getPersistedSnapshot(), 1, MACHINE_VERSION) as unknown as Snapshot<unknown>, input: inp }).start();
      check(`restored at step ${k}`);
    }
    const ev = concrete(c, v1.getSnapshot().context, now, k);
    now = Math.max(now, ev.at);
    v1.send(ev);
    now2.send(ev);
    check(`step ${k} ${JSON.stringify(ev)}`);
  });
  v1.stop();
  now2.stop();
}

describe('machine version 1 (frozen) and the current machine', () => {
  it('rest in the same state with the same context after every event; the migrated snapshot is the current one', () => {
    fc.assert(fc.property(input, fc.array(cmd, { minLength: 1, maxLength: 60 }), compareVersions), { numRuns: Number(process.env.PROP_RUNS ?? 300) });
  });
});
