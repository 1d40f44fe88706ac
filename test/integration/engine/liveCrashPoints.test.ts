// Randomised crash points in live mode: ticks arrive in bursts and at random gaps, vaults hedge
// first (their decisions in transactions of their own) while the shared batch commits on its
// timer, and at a random moment
// the database is copied atomically (VACUUM INTO: exactly what a crash at that moment would
// leave). Every copy must satisfy the recovery invariants: per-vault seqs 1..n without gaps; a
// committed source offset only when every vault's row for that tick is committed too; every
// pending hedge order belongs to a vault whose last committed state is `hedging`; the journal
// rebuilds every snapshot (verify); and the engine opens on it, writing the hedge decisions a
// crash left durable ahead of the tables into them, after which the invariants hold again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnlyQuery } from '../../fixtures/readOnlyQuery.ts';
import type { VaultInput } from '../../../machines/vault.types.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { createPrng } from '../../../src/domain/rng.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import { runLive } from '../../../src/engine/liveDriver.ts';
import { openEngine } from '../../../src/engine/openEngine.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';
import { atomicCopy } from '../../fixtures/crashCopy.ts';
import { instantVenue } from '../../fixtures/instantVenue.ts';
import { straddleVault, T0 } from '../../fixtures/vaults.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-crashpoints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The answer takes a moment, so crashes also land between a placement and its result.
const venue = (): ReturnType<typeof instantVenue> => instantVenue({ delayMs: 1 });

const vaults = (n: number): VaultInput[] => Array.from({ length: n }, (_, i) => straddleVault({
  bands: { kind: 'fixed', quoteBtc: 0.2 + 0.1 * i, hedgeBtc: 0.5 + 0.25 * i, reentryBtc: 0.1, hardBtc: 30 }, cooldownMs: 0,
}, `v${i}`));


/** The invariants on the tables as they are on disk; returns the committed offset and journal rows. */
async function tableInvariants(file: string, n: number): Promise<{ offset: number | null; rows: number }> {
  const journal = await readOnlyQuery<{ vault_id: string; seq: number; event_type: string; to_state: string; source_offset: number | null }>(file, 'SELECT vault_id, seq, event_type, to_state, source_offset FROM journal ORDER BY vault_id, seq');
  const offsets = await readOnlyQuery<{ offset: number }>(file, 'SELECT "offset" FROM source_offsets WHERE source = \'feed\'');
  const pending = await readOnlyQuery<{ vault_id: string }>(file, "SELECT vault_id FROM hedge_orders WHERE status = 'pending'");
  const byVault = new Map<string, typeof journal>();
  for (const r of journal) byVault.set(r.vault_id, [...(byVault.get(r.vault_id) ?? []), r]);
  for (const [id, rows] of byVault) expect(rows.map((r) => r.seq), id).toEqual(rows.map((_, i) => i + 1));
  const offset = offsets[0]?.offset ?? null;
  if (offset !== null) {
    for (let i = 0; i < n; i++) {
      const ticks = (byVault.get(`v${i}`) ?? []).filter((r) => r.event_type === 'price.tick').map((r) => r.source_offset ?? -1);
      expect(Math.max(-1, ...ticks), `v${i} has every tick up to the committed offset ${offset}`).toBeGreaterThanOrEqual(offset);
    }
  }
  for (const p of pending) expect(byVault.get(p.vault_id)?.at(-1)?.to_state, `${p.vault_id} pending order`).toBe('hedging');
  return { offset, rows: journal.length };
}

/**
 * Every crash copy: the invariants hold on the tables alone; the journal rebuilds every
 * snapshot; the engine opens on it, writing the decisions durable ahead of the tables into
 * them, after which the invariants hold again with the same offset. Returns how many.
 */
async function checkCopy(file: string, n: number): Promise<{ offset: number | null; rows: number; foldedDecisions: number }> {
  const { offset, rows } = await tableInvariants(file, n);
  const store = await SqliteJournalStore.open({ path: file });
  let foldedDecisions = 0;
  try {
    expect((await verifyJournal(store)).ok).toBe(true);
    const { engine, report } = await openEngine({ store, venue: venue(), market: 'BTC-PERP', log: silentLogger, mode: 'live', clock: { now: () => T0 } }, vaults(n));
    foldedDecisions = report.foldedDecisions;
    expect(report.offsets.feed ?? null).toBe(offset);
    expect((await readOnlyQuery<{ n: number }>(file, 'SELECT count(*) n FROM lane_log'))[0]?.n).toBe(0);
    await engine.stop(0);
  } finally {
    await store.close();
  }
  expect((await tableInvariants(file, n)).offset).toBe(offset);
  return { offset, rows, foldedDecisions };
}

describe('live mode: crash at a random moment', () => {
  it('every crash point leaves a journal that satisfies the recovery invariants (120 seeded scenarios; CRASH_SCENARIOS=N for more)', async () => {
    let copies = 0;
    let withPending = 0;
    let withDecisions = 0;
    for (let scenario = 0; scenario < Number(process.env.CRASH_SCENARIOS ?? 120); scenario++) {
      const rng = createPrng(1000 + scenario);
      const n = 3 + Math.floor(rng.next() * 4);
      const path = join(dir, `s${scenario}.db`);
      const store = await SqliteJournalStore.open({ path, create: 'if-missing' });
      let now = T0;
      const { engine } = await openEngine({
        store, venue: venue(), market: 'BTC-PERP', log: silentLogger, mode: 'live', clock: { now: () => now },
        maxBatchDelayMs: Math.floor(rng.next() * 4),
      }, vaults(n));
      const ticks = new Subject<Validated<PriceTickInput>>();
      const live = runLive({ engine, ticks, source: 'feed', staleAfterMs: 3_600_000, now: () => now, log: silentLogger, expiryCheckMs: 3_600_000 });
      const crashAt = 5 + Math.floor(rng.next() * 40);
      let price = 23_000;
      for (let i = 1; i <= crashAt; i++) {
        price *= 1 + (rng.next() - 0.5) * 0.03;
        now = T0 + i * 60_000;
        ticks.next({ ok: true, value: { at: now, priceUsd: price, source: 'feed', offset: i } });
        const gap = rng.next();
        if (gap < 0.3) continue; // a burst: the next tick arrives while slices are pending
        if (gap < 0.6) await new Promise((r) => setImmediate(r));
        else await new Promise((r) => setTimeout(r, Math.floor(gap * 3)));
      }
      // The crash: an atomic copy of what is committed right now, while commits are in flight.
      const copy = join(dir, `s${scenario}-crash.db`);
      await atomicCopy(path, copy);
      live.stop();
      await engine.stop(2_000);
      await store.close();
      const pendingHere = (await readOnlyQuery<{ n: number }>(copy, "SELECT count(*) n FROM hedge_orders WHERE status = 'pending'"))[0]?.n ?? 0;
      if (pendingHere > 0) withPending++;
      if ((await checkCopy(copy, n)).foldedDecisions > 0) withDecisions++;
      copies++;
    }
    expect(copies).toBe(Number(process.env.CRASH_SCENARIOS ?? 120));
    // The scenarios do crash with hedges in flight, not only between them.
    expect(withPending).toBeGreaterThan(0);
    // And some crash with hedge decisions durable only ahead of the tables.
    expect(withDecisions).toBeGreaterThan(0);
  }, 180_000);
});
