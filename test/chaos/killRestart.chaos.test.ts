// Chaos: the real `omm-hedger run` against the simulated venue running in a separate process,
// on a replayed price file with simulated takers, killed with SIGKILL at random moments (>= 20
// kills, some while a hedge is in flight) and restarted each time. At the end it must match an
// uninterrupted run of the same inputs: identical journal and final positions, the same hedge
// orders and fills (none lost, none twice), and `verify` passes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteJournalStore } from '../../storage/sqliteJournalStore.ts';
import { hashUniform } from '../../src/domain/rng.ts';
import { runCli, startCli, startSimVenue } from '../fixtures/cliProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-chaos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 2_880; // two days of minutes
const lines = readFileSync(new URL('../../data/btcusdt-binanceus-1m-2023-03-01_21.csv', import.meta.url), 'utf8').split('\n');
const prices = join(dir, 'prices.csv');
// Two garbage lines ride along: they must be rejected the same way in every life of the process.
writeFileSync(prices, [...lines.slice(0, 700), 'not,a,price,line', ...lines.slice(700, 1900), '2023-03-02 07:39:30+00:00,1,1,1,-5,1', ...lines.slice(1900, ROWS + 1)].join('\n'));
const config = join(dir, 'config.json');
writeFileSync(config, JSON.stringify({
  seed: 3,
  prices: { kind: 'csv', path: prices, speed: 'max' },
  takers: { arrivalsPerMinute: 0.5, buyShare: 0.5, meanSizeContracts: 1 },
  log: { level: 'warn' },
  vaults: [{
    id: 'chaos',
    volPerYear: 0.6,
    book: [
      { instrument: 'BTC-31MAR23-23000-C', qty: -10 }, { instrument: 'BTC-31MAR23-23000-P', qty: -10 },
      { instrument: 'BTC-31MAR23-25000-C', qty: 0 }, { instrument: 'BTC-31MAR23-21000-P', qty: 0 },
    ],
    bands: { kind: 'fixed', quoteBtc: 0.3, hedgeBtc: 0.8, reentryBtc: 0.15, hardBtc: 3 },
    cooldownMs: 600_000,
  }],
}));

async function journalJson(db: string): Promise<unknown[]> {
  const r = await runCli(['journal', '--db', db, '--all', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').map((l) => { const { recordedAt: _w, ...rest } = JSON.parse(l) as { recordedAt: number }; return rest; });
}

async function venuePosition(url: string): Promise<unknown> {
  return (await fetch(`${url}/position/BTC-PERP`)).json();
}

async function dbFacts(db: string): Promise<{ orders: string[]; fills: string[]; openOrders: number; state: string }> {
  const store = await SqliteJournalStore.open({ path: db, create: 'never' });
  try {
    const orders = (await store.hedgeOrders()).map((o) => `${o.clientOrderId}:${o.status}:${o.filledBtc}`).sort();
    const fills = (await store.fillsOf('chaos')).map((f) => f.fillId).sort();
    const openOrders = (await store.openHedgeOrders()).length;
    const snap = (await store.latestSnapshots())[0]?.snapshot as { value?: string } | undefined;
    return { orders, fills, openOrders, state: snap?.value ?? 'none' };
  } finally {
    await store.close();
  }
}

const runArgs = (db: string, url: string): string[] => ['run', '--config', config, '--speed', 'max', '--until-end', '--db', db, '--create', '--venue', url, '--seed', '3', '--no-http'];

describe('chaos: SIGKILL the engine, restart, compare', () => {
  it('matches an uninterrupted run after >= 20 kills', async () => {
    // 1. The uninterrupted reference, with its own venue process.
    const venueA = await startSimVenue(['--db', join(dir, 'venue-a.db'), '--prices', prices, '--seed', '5']);
    const t0 = Date.now();
    const ref = await runCli(runArgs(join(dir, 'ref.db'), venueA.url));
    const refMs = Date.now() - t0;
    expect(ref.code, ref.stderr).toBe(0);
    const refJournal = await journalJson(join(dir, 'ref.db'));
    const refFacts = await dbFacts(join(dir, 'ref.db'));
    const refPosition = await venuePosition(venueA.url);
    // How long a restart takes to boot and recover: `run` again on the finished journal (it has
    // nothing left to do). Kills are timed from it so that they land after startup, where hedges are.
    const boot = Date.now();
    expect((await runCli(runArgs(join(dir, 'ref.db'), venueA.url))).code).toBe(0);
    const bootMs = Date.now() - boot;
    await venueA.stop();
    expect(refFacts.orders.length).toBeGreaterThan(10);

    // 2. The same inputs against a fresh venue process; the engine is killed again and again.
    //    The venue holds each placement answer 40 ms and the engine pauses 25 ms around each hedge
    //    effect, so kills land while hedges are out.
    const venueB = await startSimVenue(['--db', join(dir, 'venue-b.db'), '--prices', prices, '--seed', '5', '--answer-delay-ms', '40']);
    const db = join(dir, 'chaos.db');
    let kills = 0, killedInFlight = 0, finished = false;
    for (let life = 0; life < 200 && !finished; life++) {
      const p = startCli([...runArgs(db, venueB.url), '--fault-effect-delay-ms', '25']);
      if (kills < 22) {
        // Past most of the boot, then a random point in about a fifteenth of the replay (some 20
        // lives of progress), so that most kills land in the replay, some with a hedge out.
        const waitMs = bootMs * 0.8 + hashUniform(17, life) * Math.max(400, (refMs - bootMs) / 7.5);
        const killed = await Promise.race([
          new Promise<boolean>((r) => setTimeout(() => r(true), waitMs)),
          p.done.then(() => false),
        ]);
        if (killed) {
          p.child.kill('SIGKILL');
          const end = await p.done;
          if (end.signal === 'SIGKILL') {
            kills++;
            const facts = await dbFacts(db).catch(() => null);
            if (facts && facts.openOrders > 0) killedInFlight++;
            continue;
          }
        }
      }
      const end = await p.done;
      expect(end.code, end.stderr).toBe(0);
      finished = true;
    }
    expect(finished).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(killedInFlight).toBeGreaterThan(0);

    // 3. Same journal, same orders and fills, same venue position; verify passes.
    expect(await journalJson(db)).toEqual(refJournal);
    const facts = await dbFacts(db);
    expect(facts.orders).toEqual(refFacts.orders);
    expect(facts.fills).toEqual(refFacts.fills);
    expect(new Set(facts.fills).size).toBe(facts.fills.length);
    expect(facts.openOrders).toBe(0);
    expect(await venuePosition(venueB.url)).toEqual(refPosition);
    const health = await (await fetch(`${venueB.url}/health`)).json() as { orders: number };
    expect(health.orders).toBe(refFacts.orders.length);
    const verify = await runCli(['verify', '--db', db]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    await venueB.stop();
    console.log(JSON.stringify({ kills, killedInFlight, refMs, bootMs, orders: refFacts.orders.length, fills: refFacts.fills.length }));
  }, 600_000);
});
