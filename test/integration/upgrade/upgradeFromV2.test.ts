// The acceptance test of the upgrade path from machine version 2 (the exposure group; release
// f4334de, test/fixtures/upgrade/machine-v2, made by scripts/make-upgrade-fixtures.sh) to version
// 3 (expiry as a planned event, hedges in clips, the vol surface): its databases, once after a
// clean stop and once SIGKILLed with a hedge in flight and a journal tail past a snapshot, open
// under this code with the states, perp positions, option books, cash and open hedge orders that
// release reported; `verify` passes, replaying their rows by version 2's frozen rules; and `run`
// continues them under version 3 (its snapshots migrated: each leg keeps its vol): the hedge left
// in flight is looked up and finished, the venue position reconciles, and the journal is the very
// one the release wrote when it continued the same database (no expiry, no hedge above
// maxOrderBtc in these 10 hours: version 3 decides them as version 2 did). Each test works on its own unpacked copy.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MACHINE_VERSION } from '../../../machines/vault.machine.ts';
import type { JournalRow } from '../../../storage/journalStore.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { collectStatus } from '../../../src/cli/commands/status.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import { runCli } from '../../fixtures/cliProcess.ts';
import { unpackCase, upgradeFixture } from '../../fixtures/upgradeFixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `case-${++n}`);

const V2 = upgradeFixture(2);
const { rows: ROWS, moreRows: MORE } = V2.manifest.prices;

/** The journal as the fixture script hashed it: `journal --all --json` without the wall-clock field and the machine version. */
function digest(rows: JournalRow[]): { rows: number; sha256: string } {
  const lines = rows.map((r) => {
    const { recordedAt: _w, machineVersion: _v, ...rest } = r;
    return JSON.stringify(rest);
  });
  return { rows: lines.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

/** As the CLI prints it (JSON): what `status --json` of either release compares on. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe.each(['clean', 'killed'])('a machine version 2 database (%s)', (name) => {
  const report = V2.report(name);

  it('is the situation it claims to be', () => {
    const c = V2.manifest.cases[name];
    expect(V2.manifest.machineVersion).toBe(2);
    if (name === 'killed') {
      expect(c?.tails.some((t) => t.tail > 0)).toBe(true);
      expect(c?.hedgeOrdersNotFinal.length).toBeGreaterThan(0);
    } else {
      expect(c?.tails.every((t) => t.tail === 0)).toBe(true);
    }
  });

  it('opens with the states, positions, books, cash and open hedge orders the release reported; verify passes by version 2 rules', async () => {
    const { db } = unpackCase(2, name, fresh(), ROWS);
    const store = await SqliteJournalStore.open({ path: db });
    try {
      expect(plain(await collectStatus(store))).toEqual(report.status.vaults);
      const rows = await store.readJournal({});
      expect(new Set(rows.map((r) => r.machineVersion))).toEqual(new Set([2]));
      const verified = await verifyJournal(store);
      expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true });
      expect(verified.vaults.map((v) => v.machineVersions)).toEqual([[2], [2]]);
    } finally {
      await store.close();
    }
  });

  it('`run` continues it as the release did: the same journal, states and positions; new rows and snapshots under the current version', async () => {
    const { db, config } = unpackCase(2, name, fresh(), ROWS + MORE);
    const run = await runCli(['run', '--config', config, '--speed', 'max', '--until-end', '--db', db, '--no-http']);
    expect(run.code, run.stderr).toBe(0);
    const store = await SqliteJournalStore.open({ path: db });
    try {
      const rows = await store.readJournal({});
      expect(digest(rows)).toEqual(report.continued.journal);
      expect(plain(await collectStatus(store))).toEqual(report.continued.status.vaults);
      // Reconciled: the hedge left in flight was looked up and finished, no vault halted.
      expect(await store.openHedgeOrders()).toEqual([]);
      expect(rows.filter((r) => r.eventType === 'control.pause')).toEqual([]);
      expect((await store.sourceOffsets()).map((o) => o.offset)).toEqual([ROWS + MORE - 1]);
      // The release's rows keep version 2; this run's rows and the stop's snapshots are the current version.
      const before = new Map(report.status.vaults.map((v) => [v.vaultId, v.seq]));
      for (const r of rows) expect(r.machineVersion, `${r.vaultId} #${r.seq}`).toBe(r.seq <= (before.get(r.vaultId) ?? 0) ? 2 : MACHINE_VERSION);
      expect(rows.length).toBeGreaterThan([...before.values()].reduce((a, b) => a + b, 0));
      const last = new Map(rows.map((r) => [r.vaultId, r.seq]));
      for (const s of await store.latestSnapshots()) expect([s.vaultId, s.seq, s.machineVersion]).toEqual([s.vaultId, last.get(s.vaultId), MACHINE_VERSION]);
      const verified = await verifyJournal(store);
      expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true });
      expect(verified.vaults.map((v) => v.machineVersions)).toEqual([[2, MACHINE_VERSION], [2, MACHINE_VERSION]]);
    } finally {
      await store.close();
    }
  }, 180_000);
});
