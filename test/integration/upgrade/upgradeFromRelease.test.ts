// The acceptance test of the upgrade path, on the databases each earlier release wrote
// (test/fixtures/upgrade/machine-vN, made by scripts/make-upgrade-fixtures.sh with release N):
// once after a clean stop and once SIGKILLed with a hedge in flight and a journal tail past a
// snapshot. Under this code they open with the states, perp positions, option books, cash and open
// hedge orders that release reported; `verify` passes, replaying their rows by version N's rules;
// and `run` continues them: more ticks are journaled under the current version, the hedge left in
// flight is looked up and finished, the venue position reconciles, the release's rows are kept as
// they were. Each test works on its own unpacked copy.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MachineVersionError } from '../../../machines/machineVersions.ts';
import { MACHINE_VERSION } from '../../../machines/vault.machine.ts';
import type { JournalRow } from '../../../storage/journalStore.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { collectStatus } from '../../../src/cli/commands/status.ts';
import { fundingTermsOfConfig } from '../../../src/cli/compose/fundingTerms.ts';
import { demoConfig } from '../../../src/cli/config/demoConfig.ts';
import { validateConfig } from '../../../src/cli/config/loadConfig.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import { runCli } from '../../fixtures/cliProcess.ts';
import { unpackCase, upgradeFixture, upgradeFixtureVersions } from '../../fixtures/upgradeFixture.ts';
import { execSql } from '../../fixtures/writeSql.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `case-${++n}`);

/**
 * Versions whose rules the current machine has not changed: continuing their databases must give
 * the very journal their release wrote when it continued them. A version bump that changes what a
 * guard or action decides removes the versions it decides differently from (their continuation is
 * then checked for the invariants alone). Version 3 (expiry planned, hedges in clips, the vol
 * surface) decides the fixtures' 10 hours as versions 1 and 2 did: no expiry falls in them and no
 * hedge is larger than maxOrderBtc. Version 4 (venue vol marks, the MMP freeze, the inverse
 * account) decides them as version 3 did: their vaults are linear and take none of its new events.
 */
const DECIDES_AS_CURRENT = new Set([1, 2, 3]);
/** The funding model `status --db` uses without --config (the demo's simulated venue), as the release's status ran. */
const STATUS_FUNDING = fundingTermsOfConfig(validateConfig(demoConfig(), '(embedded demo)').venue);

/** The journal as the fixture script hashed it: `journal --all --json` without the wall-clock field and the machine version. */
function digest(rows: JournalRow[]): { rows: number; sha256: string } {
  const lines = rows.map((r) => {
    const { recordedAt: _w, machineVersion: _v, ...rest } = r;
    return JSON.stringify(rest);
  });
  return { rows: lines.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

/**
 * As the CLI prints it (JSON): what `status --json` of either release compares on. Compared with
 * toMatchObject: every field the release reported must be there and equal; fields a later
 * status adds are not the release's to know.
 */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const cases = upgradeFixtureVersions().flatMap((version) => ['clean', 'killed'].map((name) => ({ version, name })));

describe.each(cases)('a machine version $version database ($name)', ({ version, name }) => {
  const fixture = upgradeFixture(version);
  const { rows: ROWS, moreRows: MORE } = fixture.manifest.prices;
  const report = fixture.report(name);

  it('is the situation it claims to be', () => {
    const c = fixture.manifest.cases[name];
    expect(fixture.manifest.machineVersion).toBe(version);
    expect(version).toBeLessThan(MACHINE_VERSION);
    if (name === 'killed') {
      expect(c?.tails.some((t) => t.tail > 0)).toBe(true);
      expect(c?.hedgeOrdersNotFinal.length).toBeGreaterThan(0);
    } else {
      expect(c?.tails.every((t) => t.tail === 0)).toBe(true);
    }
  });

  it('opens with the states, positions, books, cash and open hedge orders the release reported; verify passes by that version\'s rules', async () => {
    const { db } = unpackCase(version, name, fresh(), ROWS);
    const store = await SqliteJournalStore.open({ path: db });
    try {
      expect(plain(await collectStatus(store, STATUS_FUNDING))).toMatchObject(report.status.vaults);
      const rows = await store.readJournal({});
      expect(new Set(rows.map((r) => r.machineVersion))).toEqual(new Set([version]));
      const verified = await verifyJournal(store);
      expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true });
      expect(verified.vaults.map((v) => v.machineVersions)).toEqual(verified.vaults.map(() => [version]));
    } finally {
      await store.close();
    }
  });

  it('`run` continues it: its rows kept, new rows and the stop\'s snapshots under the current version, the hedge in flight finished, positions reconciled', async () => {
    const { db, config } = unpackCase(version, name, fresh(), ROWS + MORE);
    const opened = await SqliteJournalStore.open({ path: db });
    const released = await opened.readJournal({});
    await opened.close();
    const run = await runCli(['run', '--config', config, '--speed', 'max', '--until-end', '--db', db, '--no-http']);
    expect(run.code, run.stderr).toBe(0);
    const store = await SqliteJournalStore.open({ path: db });
    try {
      const rows = await store.readJournal({});
      if (DECIDES_AS_CURRENT.has(version)) {
        // The same rules: the very journal, states and positions the release reached on the same input.
        expect(digest(rows)).toEqual(report.continued.journal);
        expect(plain(await collectStatus(store, STATUS_FUNDING))).toMatchObject(report.continued.status.vaults);
      }
      // History is never rewritten: the release's rows are all there, unchanged, still of its version.
      const key = (r: JournalRow): string => `${r.vaultId}#${r.seq}`;
      const after = new Map(rows.map((r) => [key(r), r]));
      for (const r of released) expect(after.get(key(r)), key(r)).toEqual(r);
      const last = new Map(released.map((r) => [r.vaultId, r.seq]));
      for (const r of rows) expect(r.machineVersion, key(r)).toBe(r.seq <= (last.get(r.vaultId) ?? 0) ? version : MACHINE_VERSION);
      expect(rows.length).toBeGreaterThan(released.length);
      // Reconciled: the hedge left in flight was looked up and finished, no vault halted.
      expect(await store.openHedgeOrders()).toEqual([]);
      expect(rows.filter((r) => r.eventType === 'control.pause')).toEqual([]);
      expect((await store.sourceOffsets()).map((o) => o.offset)).toEqual([ROWS + MORE - 1]);
      // A clean stop: every vault's snapshot at its last row, of the current version.
      const end = new Map(rows.map((r) => [r.vaultId, r.seq]));
      for (const s of await store.latestSnapshots()) expect([s.vaultId, s.seq, s.machineVersion]).toEqual([s.vaultId, end.get(s.vaultId), MACHINE_VERSION]);
      const verified = await verifyJournal(store);
      expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true });
      expect(verified.vaults.map((v) => v.machineVersions)).toEqual(verified.vaults.map(() => [version, MACHINE_VERSION]));
    } finally {
      await store.close();
    }
  }, 180_000);
});

describe('a database from a newer machine version than the code', () => {
  it('is refused by run (one line saying a newer omm-hedger wrote it), status and verify; nothing is written', async () => {
    const version = Math.max(...upgradeFixtureVersions());
    const { rows, moreRows } = upgradeFixture(version).manifest.prices;
    const { db, config } = unpackCase(version, 'clean', fresh(), rows + moreRows);
    // As a newer release would leave it: this schema, a snapshot of the next machine version.
    const store = await SqliteJournalStore.open({ path: db });
    const rowsBefore = (await store.readJournal({})).length;
    const beta = (await store.latestSnapshots()).find((s) => s.vaultId === 'beta')?.seq;
    await store.close();
    expect(beta).toBeGreaterThan(1);
    const newer = MACHINE_VERSION + 1;
    await execSql(db, `UPDATE snapshots SET machine_version = ${newer} WHERE vault_id = 'beta'`);
    const message = `vault beta: snapshot at seq ${beta} was written by vault machine version ${newer}, newer than this omm-hedger's (${MACHINE_VERSION}): ` +
      'the database was last run by a newer omm-hedger; run that release (or a newer one) on it, never an older one';
    const run = await runCli(['run', '--config', config, '--speed', 'max', '--until-end', '--db', db, '--no-http']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe(`omm-hedger: ${message}\n`);
    // status and verify read through the same recovery and replay (their CLI prints the same line).
    const reader = await SqliteJournalStore.open({ path: db });
    await expect(collectStatus(reader)).rejects.toThrow(new MachineVersionError(message));
    await expect(verifyJournal(reader)).rejects.toThrow(new MachineVersionError(message));
    await reader.close();
    const after = await SqliteJournalStore.open({ path: db });
    expect((await after.readJournal({})).length).toBe(rowsBefore);
    await after.close();
  }, 120_000);
});
