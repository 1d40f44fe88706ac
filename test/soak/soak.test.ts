// Soak: the demo's engine at full speed over the whole shared file (21 days of market minutes)
// with 20 vaults, simulated takers and the simulated venue, journal on disk. Memory must stay
// flat and `verify` must pass afterwards. The heap (after a forced GC) grows at first while
// the bounded caches fill (the last 50,000 fill ids for dedup, the dashboard's per-vault
// history); from the middle of the run to its end it must not grow.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import type { VaultInput } from '../../machines/vault.types.ts';
import { SqliteJournalStore } from '../../storage/sqliteJournalStore.ts';
import { EngineViewAdapter } from '../../src/engine/engineView.ts';
import { replay } from '../../src/engine/replayDriver.ts';
import { verifyJournal } from '../../src/engine/verifyJournal.ts';
import { machineGraph } from '../../machines/vault.graph.ts';
import { leg, testConfig } from '../fixtures/vaults.ts';
import { priceSlice, SOURCE, simVenue, startEngine } from '../fixtures/engineHarness.ts';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;
const dir = mkdtempSync(join(tmpdir(), 'omm-soak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function vaults(n: number): VaultInput[] {
  return Array.from({ length: n }, (_, i) => ({
    vaultId: `v${String(i).padStart(2, '0')}`,
    config: testConfig({ bands: { kind: 'fixed', quoteBtc: 0.5 + (i % 4) * 0.25, hedgeBtc: 1.5 + (i % 5) * 0.5, reentryBtc: 0.25, hardBtc: 6 }, cooldownMs: (5 + (i % 3) * 5) * 60_000 }),
    book: [
      leg('BTC-31MAR23-22000-C', -(2 + (i % 3))), leg('BTC-31MAR23-22000-P', -2), leg('BTC-31MAR23-24000-C', -(i % 4)), leg('BTC-31MAR23-24000-P', 0),
      leg('BTC-31MAR23-26000-C', 0), leg('BTC-31MAR23-20000-P', -(1 + (i % 2))), leg('BTC-31MAR23-28000-C', 0), leg('BTC-31MAR23-18000-P', 0),
    ],
  }));
}

describe('soak: 20 vaults over 21 days of minutes', () => {
  it('keeps memory flat and verifies', async () => {
    const records = priceSlice(30_240);
    const store = await SqliteJournalStore.open({ path: join(dir, 'soak.db'), create: 'if-missing' });
    const run = await startEngine(store, await simVenue(records), vaults(20));
    // The dashboard's view is attached too: its histories must stay bounded.
    const view = new EngineViewAdapter(run.engine, { machineGraph, feedAgeMs: () => ({}), feedsFresh: () => true, recoveryDone: () => true, now: () => 0 });
    const sub = view.updates().subscribe(() => undefined);
    const samples: { done: number; heapMb: number }[] = [];
    const t0 = Date.now();
    await replay({
      engine: run.engine, records, source: SOURCE, seed: 5, takers: { arrivalsPerMinute: 0.2, buyShare: 0.5, meanSizeContracts: 0.5 },
      staleAfterMs: 10 * 60_000, commitEveryRows: 5_000,
      onProgress: (done) => { if (done === 1 || done % 3_000 === 0) samples.push({ done, heapMb: heapMb() }); },
    });
    const wallMs = Date.now() - t0;
    const end = heapMb();
    const rows = (await store.readJournal({ vaultId: 'v00' })).length;
    sub.unsubscribe();
    view.close();
    await run.engine.stop();
    const verify = await verifyJournal(store);
    await store.close();
    const start = samples[0]?.heapMb ?? end;
    const mid = samples.find((x) => x.done >= 15_000)?.heapMb ?? end;
    const lateMax = Math.max(...samples.filter((x) => x.done >= 15_000).map((x) => x.heapMb), end);
    console.log(JSON.stringify({ wallMs, heapStartMb: start.toFixed(1), heapMidMb: mid.toFixed(1), heapEndMb: end.toFixed(1), samples: samples.map((x) => `${x.done}:${x.heapMb.toFixed(1)}`), journalRowsPerVault: rows }));
    expect(samples.length).toBeGreaterThanOrEqual(8);
    expect(verify.ok).toBe(true);
    expect(verify.vaults).toHaveLength(20);
    // Flat over the second half of the run (15,000 market minutes): within 8 MB.
    expect(lateMax - mid).toBeLessThan(8);
  }, 900_000);
});
