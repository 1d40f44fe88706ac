// `status` on a database a crash left with hedge decisions in the lane log (release 2739246's
// crash databases, test/fixtures/lane-log): it shows them beside the tables, per vault, and
// changes nothing; once a start has folded them they are in the tables and no longer pending.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import type { VaultStatus } from '../../../src/cli/commands/status.ts';
import { runCli } from '../../fixtures/cliProcess.ts';

const FIXTURES = new URL('../../fixtures/lane-log/', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'omm-status-pending-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function statusJson(db: string): Promise<VaultStatus[]> {
  const r = await runCli(['status', '--db', db, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { vaults: VaultStatus[] }).vaults;
}

describe('status on a database with decisions in the lane log', () => {
  it('lists each vault\'s decided orders until a start folds them into the tables', async () => {
    const db = join(dir, 'crash-0.db');
    writeFileSync(db, gunzipSync(readFileSync(new URL('crash-0.db.gz', FIXTURES))));
    const store = await SqliteJournalStore.open({ path: db });
    const entries = await store.pendingDecisions();
    await store.close();
    expect(entries.length).toBeGreaterThan(0);
    const decided = entries.flatMap((e) => e.hedgeOrders);
    expect(decided.length).toBeGreaterThan(0);

    const before = await statusJson(db);
    const shown = before.flatMap((v) => v.pendingDecisions.flatMap((d) => d.orders.map((o) => ({ vaultId: v.vaultId, ...o }))));
    expect(shown).toEqual(decided.map((o) => ({ vaultId: o.vaultId, clientOrderId: o.clientOrderId, side: o.side, sizeBtc: o.sizeBtc, status: o.status })));
    for (const v of before) {
      for (const d of v.pendingDecisions) {
        const rows = entries.flatMap((e) => e.journal).filter((r) => r.vaultId === v.vaultId);
        expect(d.seqs).toEqual(rows.map((r) => r.seq));
        // The tables' view stops before the decision: its rows come after the vault's seq.
        expect(Math.min(...d.seqs)).toBeGreaterThan(v.seq);
      }
    }
    const text = await runCli(['status', '--db', db]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('decided, not yet in the tables (lane log; the next run writes it in first and looks its orders up at the venue): #');
    for (const o of decided) expect(text.stdout).toContain(`${o.clientOrderId} ${o.side} ${o.sizeBtc} (${o.status})`);

    // status wrote nothing: the entries are still there for the next start.
    const again = await SqliteJournalStore.open({ path: db });
    expect(await again.pendingDecisions()).toEqual(entries);
    expect(await again.foldDecisions()).toBe(entries.length);
    const orderIds = new Set((await again.hedgeOrders()).map((o) => o.clientOrderId));
    await again.close();
    for (const o of decided) expect(orderIds.has(o.clientOrderId)).toBe(true);

    const after = await statusJson(db);
    expect(after.every((v) => v.pendingDecisions.length === 0)).toBe(true);
    const moved = new Set(shown.map((o) => o.vaultId));
    for (const v of after.filter((x) => moved.has(x.vaultId))) {
      expect(v.seq).toBeGreaterThan((before.find((b) => b.vaultId === v.vaultId) as VaultStatus).seq);
    }
  }, 60_000);
});
