// Chaos on a live venue through ccxt: the real `omm-hedger run` hedging on the Hyperliquid
// double, which runs in its own process (its state in a file) with the venue's mark as the
// price feed. The mark walks while the engine is killed with SIGKILL again and again (20
// kills), some while a hedge is in flight and some while the double holds back an order's
// answer (booked, answer delayed), and restarted each time on the same journal. At the end the
// venue's position equals the vaults' perp positions, every hedge order is final, `verify`
// passes, nothing was halted, and no client id was sent twice as a new order (the double
// counts order actions per cloid).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteJournalStore } from '../../storage/sqliteJournalStore.ts';
import { hashUniform } from '../../src/domain/rng.ts';
import { runCli, startCli } from '../fixtures/cliProcess.ts';
import { startHlDoubleProcess, type HlDoubleProcess } from '../fixtures/ccxt/hyperliquid/hlDoubleProcess.ts';
import { writeHlRunConfig } from '../fixtures/ccxt/hyperliquid/hlRunConfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-chaos-hl-'));
let venue: HlDoubleProcess | undefined;
afterAll(async () => { await venue?.stop(); rmSync(dir, { recursive: true, force: true }); });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function dbFacts(db: string): Promise<{ openOrders: number; orders: number; perpBtc: number; halts: number }> {
  const store = await SqliteJournalStore.open({ path: db, create: 'never' });
  try {
    const snaps = await store.latestSnapshots();
    let perpBtc = 0;
    let halts = 0;
    for (const id of await store.vaultIds()) {
      for (const r of await store.readJournal({ vaultId: id })) if (r.eventType === 'control.pause') halts++;
    }
    for (const s of snaps) perpBtc += (s.snapshot as { context?: { perpBtc?: number } }).context?.perpBtc ?? 0;
    return { openOrders: (await store.openHedgeOrders()).length, orders: (await store.hedgeOrders()).length, perpBtc, halts };
  } finally {
    await store.close();
  }
}

describe('chaos: SIGKILL the engine hedging on the Hyperliquid double', () => {
  it('ends with the venue position equal to the vaults\' and every client id placed at most once', async () => {
    venue = await startHlDoubleProcess({ state: join(dir, 'venue.json'), mark: 25_000, depth: 50 });
    const { config } = writeHlRunConfig(dir, venue.url, {
      venue: { timeoutMs: 1_000 },
      top: { reconcileEveryMs: 1_000, prices: { kind: 'venue', pollMs: 100 } },
      vault: { cooldownMs: 200 },
    });
    const db = join(dir, 'chaos.db');
    const args = ['run', '--config', config, '--db', db, '--create', '--fault-effect-delay-ms', '25'];

    // The mark walks in 0.4% steps (seeded) every 150 ms while the engine lives and dies.
    let walking = true;
    let px = 25_000;
    const walk = (async () => {
      for (let i = 0; walking; i++) {
        px = Math.round(px * (1 + (hashUniform(5, i) < 0.5 ? -0.004 : 0.004)));
        px = Math.min(26_500, Math.max(23_500, px));
        await venue?.mark(px);
        await sleep(150);
      }
    })();

    // The CLI's bare start-up, measured in the same run: lives are mostly start-ups (ratios compare across machines and loads).
    const boot = Date.now();
    await runCli(['--version']);
    const bootMs = Date.now() - boot;
    let kills = 0, killedInFlight = 0, killedWithAnswerHeld = 0;
    const t0 = Date.now();
    for (let life = 0; kills < 20 && life < 60; life++) {
      // Every other life the double books each order at once and holds its answer 300 ms.
      await venue.faults({ answerDelayMs: life % 2 === 0 ? 300 : 0 });
      const before = await venue.stats();
      const p = startCli(args);
      // Up: the engine has read the venue's position (start-up reconciliation).
      for (const end = Date.now() + 60_000; (await venue.stats()).positionReads === before.positionReads;) {
        if (Date.now() > end || p.child.exitCode !== null) throw new Error(`engine did not come up: ${(await p.done).stderr}`);
        await sleep(50);
      }
      await sleep(150 + hashUniform(17, life) * 1_200);
      p.child.kill('SIGKILL');
      const end = await p.done;
      expect(end.signal, end.stderr).toBe('SIGKILL');
      kills++;
      const facts = await dbFacts(db);
      if (facts.openOrders > 0) killedInFlight++;
      // An answer the double was holding back found its connection gone: killed while it waited.
      if (life % 2 === 0) {
        await sleep(320);
        if ((await venue.stats()).lostAnswers > before.lostAnswers) killedWithAnswerHeld++;
      }
    }
    walking = false;
    await walk;
    const chaosMs = Date.now() - t0;

    // A last life on a still mark: hedges left in flight are looked up and finished.
    await venue.faults({ answerDelayMs: 0 });
    const last = startCli(args);
    const reads = (await venue.stats()).positionReads;
    for (const end = Date.now() + 60_000; (await venue.stats()).positionReads < reads + 3 && Date.now() < end;) await sleep(100);
    last.child.kill('SIGTERM');
    const fin = await last.done;
    expect(fin.code, fin.stderr).toBe(0);

    const facts = await dbFacts(db);
    const { state } = await venue.state();
    const attempts = Object.values(state.attempts);
    console.log(JSON.stringify({ kills, killedInFlight, killedWithAnswerHeld, chaosMs, bootMs, msPerLifeOverBoot: Number((chaosMs / kills / bootMs).toFixed(2)), orders: facts.orders, maxAttemptsPerCloid: Math.max(...attempts), cloids: attempts.length, venueBtc: state.positionSzi, vaultsBtc: facts.perpBtc }));
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(killedInFlight).toBeGreaterThan(0);
    expect(killedWithAnswerHeld).toBeGreaterThan(0);
    expect(facts.orders).toBeGreaterThan(10);
    expect(facts.openOrders).toBe(0);
    expect(facts.halts).toBe(0);
    expect(state.positionSzi).toBeCloseTo(facts.perpBtc, 9);
    expect(attempts.length).toBe(facts.orders);
    expect(attempts.every((n) => n === 1)).toBe(true);
    const verify = await runCli(['verify', '--db', db]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 900_000);
});
