// Every journal row is replayed by the rules of the machine version that journaled it, never
// re-decided by newer ones: a journal that version 1 began and a later version continued
// (different rules, here a stand-in version 2 that halts on any price tick; both on version 2's
// frozen guards and actions, their vault of version 2's shape) folds, recovers and
// verifies with each row's own rules; the current rules would refuse the later rows. A row or
// snapshot of a version newer than the code is refused.
import { describe, expect, it } from 'vitest';
import { MACHINE_VERSIONS, MachineVersionError } from '../../../machines/machineVersions.ts';
import { vaultMachineV2 } from '../../../machines/history/vaultMachineV2.ts';
import { vaultSetupV2 } from '../../../machines/history/v2/vaultSetupV2.ts';
import { MACHINE_VERSION, type VaultMachine } from '../../../machines/vault.machine.ts';
import type { VaultEvent, VaultInput } from '../../../machines/vault.types.ts';
import type { JournalRow, SnapshotRow } from '../../../storage/journalStore.ts';
import { emptyBatch } from '../../../storage/journalStore.ts';
import { genesisRow, journalRow } from '../../../src/engine/journalRows.ts';
import { foldRows, recoverVault } from '../../../src/engine/recovery.ts';
import { VaultRuntime } from '../../../src/engine/vaultRuntime.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import { memoryStore } from '../../fixtures/engineHarness.ts';
import { straddleVault, T0 } from '../../fixtures/vaults.ts';

// Version 2 as a stand-in with other rules: any price tick halts the vault.
const haltingV2 = vaultSetupV2.createMachine({
  ...vaultMachineV2.config,
  on: { ...vaultMachineV2.config.on, 'price.tick': { target: '.halted', actions: 'applyTick' } },
} as Parameters<typeof vaultSetupV2.createMachine>[0]) as unknown as VaultMachine;
const versions = new Map<number, VaultMachine>([...MACHINE_VERSIONS, [2, haltingV2]]);

/** The straddle vault as versions 1 and 2 knew it (no vol surface, expiry treatment or account kind in its config). */
const { vol: _vol, expiry: _expiry, account: _account, ...configV2 } = straddleVault({}, 'a').config;
const input = { ...straddleVault({}, 'a'), config: configV2 } as unknown as VaultInput;
const tick = (i: number): VaultEvent => ({ type: 'price.tick', at: T0 + i * 60_000, priceUsd: 23_000 + 10 * i });

/** 10 rows under version 1 (genesis + 9 ticks, a snapshot at seq 6), then 3 ticks under the stand-in version 2. */
function mixedJournal(): { rows: JournalRow[]; v1Snapshot: SnapshotRow; v2Snapshot: SnapshotRow } {
  let rt = VaultRuntime.create(input, { version: 1 });
  rt.seq = 1;
  const rows: JournalRow[] = [genesisRow(input, rt, T0, 0)];
  let v1Snapshot: SnapshotRow | undefined;
  for (let i = 1; i <= 9; i++) {
    const a = rt.apply(tick(i));
    if (!a) throw new Error('a tick always changes the context');
    rows.push(journalRow(a, null, 0));
    if (rt.seq === 6) v1Snapshot = { vaultId: 'a', seq: 6, machineVersion: 1, snapshot: rt.persisted() };
  }
  rt = rt.upgradeTo(2);
  // The runtime upgraded by real migrations but deciding by the stand-in's rules from here on.
  const stand = VaultRuntime.restore(rt.persisted(), rt.seq, { version: 2, versions });
  rt.stop();
  for (let i = 10; i <= 12; i++) {
    const a = stand.apply(tick(i));
    if (!a) throw new Error('a tick always changes the context');
    rows.push(journalRow(a, null, 0));
  }
  const v2Snapshot: SnapshotRow = { vaultId: 'a', seq: stand.seq, machineVersion: 2, snapshot: stand.persisted() };
  stand.stop();
  return { rows, v1Snapshot: v1Snapshot as SnapshotRow, v2Snapshot };
}

describe('replay by machine version', () => {
  const { rows, v1Snapshot, v2Snapshot } = mixedJournal();

  it('the journal holds both versions, each row stamped with its own', () => {
    expect(rows.map((r) => r.machineVersion)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2]);
    expect(rows.slice(1, 10).every((r) => r.toState !== 'halted')).toBe(true);
    expect(rows.slice(10).map((r) => r.toState)).toEqual(['halted', 'halted', 'halted']);
  });

  it('folds each row by its own version: version 1 rows by version 1, the later ones by theirs', () => {
    const rt = foldRows(null, rows, { versions });
    expect(rt.version).toBe(2);
    expect(rt.state).toBe('halted');
    expect(rt.seq).toBe(13);
    rt.stop();
    // The rules of one version for every row would misread the journal: the current ones never halt on a tick.
    expect(() => foldRows(null, rows)).toThrow(/replay of seq 11 \(price\.tick\) gave .*journal says halted/);
  });

  it('recovers a version 1 snapshot and its version 1 tail by version 1 rules, then migrates to the current version', async () => {
    const store = await memoryStore();
    await store.commit({ ...emptyBatch(), journal: rows.slice(0, 10), snapshots: [v1Snapshot] });
    const r = await recoverVault(store, 'a', (await store.latestSnapshots())[0], { versions });
    expect(r).toMatchObject({ from: 'snapshot', tailEvents: 4, storedVersion: 1 });
    expect(r?.runtime.version).toBe(MACHINE_VERSION);
    expect(r?.runtime.seq).toBe(10);
    const straight = foldRows(null, rows.slice(0, 10)).upgradeTo(MACHINE_VERSION);
    expect(r?.runtime.context).toEqual(straight.context);
    expect(r?.runtime.state).toBe(straight.state);
    r?.runtime.stop();
    straight.stop();
    await store.close();
  });

  it('verifies a journal that two versions wrote, against a snapshot of either', async () => {
    for (const [snapshot, upto] of [[v1Snapshot, 10], [v2Snapshot, 13]] as const) {
      const store = await memoryStore();
      await store.commit({ ...emptyBatch(), journal: rows.slice(0, upto), snapshots: [snapshot] });
      const result = await verifyJournal(store, { versions });
      expect(result.vaults[0]?.machineVersions).toEqual(upto === 10 ? [1] : [1, 2]);
      expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
      // With the current rules for the later rows, the mixed journal does not verify.
      if (upto === 13) expect((await verifyJournal(store)).ok).toBe(false);
      await store.close();
    }
  });

  it('refuses a row or a snapshot of a version newer than the code, and a row going back a version', async () => {
    const newer = MACHINE_VERSION + 1;
    expect(() => foldRows(null, [...rows.slice(0, 3), { ...rows[3] as JournalRow, machineVersion: newer }])).toThrow(MachineVersionError);
    expect(() => foldRows(null, [...rows.slice(0, 3), { ...rows[3] as JournalRow, machineVersion: newer }])).toThrow(`vault a: journal row 4 was written by vault machine version ${newer}`);
    const store = await memoryStore();
    await store.commit({ ...emptyBatch(), journal: rows.slice(0, 10), snapshots: [{ ...v1Snapshot, machineVersion: newer }] });
    await expect(recoverVault(store, 'a', (await store.latestSnapshots())[0])).rejects.toThrow(`vault a: snapshot at seq 6 was written by vault machine version ${newer}`);
    await expect(verifyJournal(store)).rejects.toThrow(MachineVersionError);
    await store.close();
    expect(() => foldRows(null, [...rows.slice(0, 11), { ...rows[11] as JournalRow, machineVersion: 1 }], { versions })).toThrow(/journal row 12 was decided by machine version 1, after rows or a snapshot of version 2/);
  });
});
