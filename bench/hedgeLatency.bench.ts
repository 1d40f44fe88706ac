// Hedge latency (issue 5): from a price tick that crosses a vault's hedge band to the hedge
// order leaving the engine (the venue's placeIoc called), with the durable commit of the
// decision in between, 100 active vaults on one price stream (live mode: a vault that decides
// to hedge has its rows made durable at once on their own, as one lane log entry, ahead of the
// other vaults' ticks, which share a group commit: src/engine/hedgeFirst.ts). Baseline in the same
// run: the same with the journal in memory (no disk). Prints one JSON object; target p99 <= 2 ms on disk.
// Scenarios: 'btc-1m' replays real BTC/USDT minute closes (data/, March 2023: the SVB crash
// and rally) and is the one the target is checked on (`meetsTarget`); 'spread' and 'clustered'
// are synthetic stress tests beyond it (a random walk of +-0.2% per tick, ~650% annualised vol,
// cooldown 0) in which one tick can make 20-70 vaults hedge at once: reported, marked `stress`.
// The VM is noisy and a scenario's p99 rests on its slowest few ticks, so each scenario runs
// --runs times (default 3; memory then disk each time) and reports the run with the median disk
// p99, with every run's p99 beside it.
// Usage: node bin/run-ts.mjs bench/hedgeLatency.bench.ts [--runs N] [--ticks N] [--warmup N] [--gap-ms MS] [--scenario btc-1m|spread|clustered]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import type { VaultInput } from '../machines/vault.types.ts';
import { SqliteJournalStore } from '../storage/sqliteJournalStore.ts';
import { silentLogger } from '../src/engine/engineTypes.ts';
import { runLive } from '../src/engine/liveDriver.ts';
import { openEngine } from '../src/engine/openEngine.ts';
import { createPrng } from '../src/domain/rng.ts';
import type { PriceTickInput, Validated } from '../src/streams/inputTypes.ts';
import { instantVenue } from '../test/fixtures/instantVenue.ts';
import { leg, T0, testConfig } from '../test/fixtures/vaults.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const TICKS = arg('ticks', 1_500);
/** Repetitions of each scenario (memory, then disk, each time). */
const RUNS = arg('runs', 3);
if (!(Number.isInteger(RUNS) && RUNS >= 1)) throw new Error(`--runs must be a whole number >= 1, got ${RUNS}`);
/** Ticks run before measuring (JIT warm-up, first database pages); their orders are not counted. */
const WARMUP_TICKS = arg('warmup', 200);
/**
 * Scenarios: 'btc-1m' and 'spread' give each vault its own straddle strike and one of 13 bands,
 * so most hedging ticks make a few vaults hedge; 'clustered' gives all one book and ten vaults
 * each band, so a hedging tick makes ~12 vaults hedge at once. Default all three.
 */
type Scenario = 'btc-1m' | 'spread' | 'clustered';
const ALL_SCENARIOS: Scenario[] = ['btc-1m', 'spread', 'clustered'];
/** The scenario the 2 ms target is checked on: real prices; the others are stress beyond it. */
const TARGET_SCENARIO: Scenario = 'btc-1m';
const scenarioArg = process.argv.indexOf('--scenario');
const SCENARIOS: Scenario[] = scenarioArg >= 0 ? [process.argv[scenarioArg + 1] as Scenario] : ALL_SCENARIOS;
for (const sc of SCENARIOS) if (!ALL_SCENARIOS.includes(sc)) throw new Error(`--scenario must be one of ${ALL_SCENARIOS.join(', ')}, got ${String(sc)}`);
/** Real minute closes, in file order (the demo's copy of the shared data). */
const BTC_CLOSES: number[] = readFileSync(new URL('../data/btcusdt-binanceus-1m-2023-03-01_21.csv', import.meta.url), 'utf8')
  .trim().split('\n').slice(1).map((line) => Number(line.split(',')[4]));
/** Wall time between price ticks, ms: each tick goes to all 100 vaults (100 events). */
const GAP_MS = arg('gap-ms', 20);
const VAULTS = 100;

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};


function vaults(SPREAD: boolean): VaultInput[] {
  return Array.from({ length: VAULTS }, (_, i) => ({
    vaultId: `v${i}`,
    config: testConfig({ bands: { kind: 'fixed', quoteBtc: 0.3, hedgeBtc: SPREAD ? 0.6 + (i % 13) * 0.07 : 0.6 + (i % 10) * 0.1, reentryBtc: 0.1, hardBtc: 5 }, cooldownMs: 0 }),
    // Spread: each vault its own straddle strike (21,000..25,950) and band, so their deltas
    // move apart and hedges rarely coincide. Otherwise one book for all.
    book: SPREAD
      ? [leg(`BTC-31MAR23-${21_000 + i * 50}-C`, -10), leg(`BTC-31MAR23-${21_000 + i * 50}-P`, -10)]
      : [leg('BTC-31MAR23-23000-C', -10), leg('BTC-31MAR23-23000-P', -10)],
  }));
}

interface Stats { orders: number; p50Ms: number; p99Ms: number; maxMs: number }
interface Measured extends Stats {
  ordersPerHedgingTick: number;
  /** Latency by how many vaults hedged on the same tick (the orders of one tick queue behind each other). */
  bySimultaneousHedges: Record<string, Stats>;
  /** Orders of vaults the tick's ranking did not predict to hedge (given the tick with the quiet vaults). */
  unpredicted?: Stats;
}

const stats = (lat: readonly number[]): Stats => ({
  orders: lat.length, p50Ms: Number(quantile([...lat], 0.5).toFixed(3)), p99Ms: Number(quantile([...lat], 0.99).toFixed(3)),
  maxMs: Number(Math.max(...lat).toFixed(3)),
});
const CLUSTERS: [string, number, number][] = [['1', 1, 1], ['2-5', 2, 5], ['6-20', 6, 20], ['21+', 21, Infinity]];

async function measure(path: string, scenario: Scenario): Promise<Measured> {
  const spread = scenario !== 'clustered';
  const store = await SqliteJournalStore.open({ path, create: 'if-missing' });
  const sentAt = new Map<string, number>();
  let now = T0;
  const { engine } = await openEngine({
    store, venue: instantVenue({ lotSizeBtc: 0.0001, onPlace: (req) => { sentAt.set(req.clientOrderId, performance.now()); } }), market: 'BTC-PERP', log: silentLogger, mode: 'live', clock: { now: () => now },
  }, vaults(spread));
  const ticks = new Subject<Validated<PriceTickInput>>();
  const live = runLive({ engine, ticks, source: 'bench', staleAfterMs: 3_600_000, now: () => now, log: silentLogger, expiryCheckMs: 60_000 });
  // Latency of each order: from the moment its vault's triggering tick was handed to the engine.
  const tickStart = new Map<string, number>();
  const tickOf = new Map<string, number>();
  // Orders of vaults the tick's ranking did not predict to hedge: they get the tick with the quiet vaults.
  let predicted = new Set<string>();
  const unpredicted = new Set<string>();
  const sub = engine.updates().subscribe((e) => {
    if (e.kind === 'hedge' && e.status === 'pending' && tickNo >= WARMUP_TICKS) {
      tickStart.set(e.clientOrderId, lastTickAt);
      tickOf.set(e.clientOrderId, tickNo);
      if (!predicted.has(e.vaultId)) unpredicted.add(e.clientOrderId);
    }
  });
  let lastTickAt = 0;
  let tickNo = 0;
  const rng = createPrng(42);
  let price = 23_000;
  for (let i = 0; i < WARMUP_TICKS + TICKS; i++) {
    tickNo = i;
    if (scenario === 'btc-1m') price = BTC_CLOSES[i % BTC_CLOSES.length] as number;
    else price *= 1 + (rng.next() - 0.5) * 0.004;
    now = T0 + (i + 1) * (scenario === 'btc-1m' ? 60_000 : 1_000);
    const ranked = engine.rankByBand(price);
    predicted = new Set(ranked.order.slice(0, ranked.likely));
    lastTickAt = performance.now();
    ticks.next({ ok: true, value: { at: now, priceUsd: price, source: 'bench', offset: i } });
    // Let the commit, the orders and their results settle before the next price.
    await new Promise((r) => setTimeout(r, GAP_MS));
  }
  await new Promise((r) => setTimeout(r, 50));
  live.stop();
  sub.unsubscribe();
  await engine.stop();
  await store.close();
  const perTick = new Map<number, number>();
  for (const k of tickOf.values()) perTick.set(k, (perTick.get(k) ?? 0) + 1);
  const lat: number[] = [];
  const late: number[] = [];
  const byCluster = new Map<string, number[]>(CLUSTERS.map(([name]) => [name, []]));
  for (const [id, t] of sentAt) {
    const start = tickStart.get(id);
    if (start === undefined) continue;
    lat.push(t - start);
    if (unpredicted.has(id)) late.push(t - start);
    const n = perTick.get(tickOf.get(id) ?? -1) ?? 0;
    const cluster = CLUSTERS.find(([, lo, hi]) => n >= lo && n <= hi);
    if (cluster) byCluster.get(cluster[0])?.push(t - start);
  }
  return {
    ...stats(lat), ordersPerHedgingTick: Number((lat.length / Math.max(1, perTick.size)).toFixed(1)),
    bySimultaneousHedges: Object.fromEntries([...byCluster].filter(([, xs]) => xs.length > 0).map(([k, xs]) => [k, stats(xs)])),
    ...(late.length > 0 ? { unpredicted: stats(late) } : {}),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'omm-latency-'));
try {
  const scenarios: Record<string, unknown> = {};
  /** The target: 100 active vaults on real prices, p99 of the run with the median p99 (unset if not run). */
  let meetsTarget: boolean | undefined;
  let file = 0;
  for (const scenario of SCENARIOS) {
    const runs: { memory: Measured; disk: Measured }[] = [];
    for (let r = 0; r < RUNS; r++) {
      const memory = await measure(':memory:', scenario);
      runs.push({ memory, disk: await measure(join(dir, `latency-${++file}.db`), scenario) });
    }
    // The run with the median disk p99 (the lower middle one for an even count).
    const byP99 = [...runs].sort((a, b) => a.disk.p99Ms - b.disk.p99Ms);
    const { memory, disk } = byP99[Math.floor((byP99.length - 1) / 2)] as (typeof runs)[number];
    if (scenario === TARGET_SCENARIO) meetsTarget = disk.p99Ms <= 2;
    scenarios[scenario] = {
      scenario: {
        'btc-1m': 'real BTC minute closes from 2023-03-01, own strike per vault, 13 bands',
        spread: 'synthetic +-0.2%/tick, own strike per vault, 13 bands',
        clustered: 'synthetic +-0.2%/tick, one book for all, ten vaults per band',
      }[scenario],
      disk, baselineMemoryJournal: memory, commitOverheadP50Ms: Number((disk.p50Ms - memory.p50Ms).toFixed(3)),
      diskP99MsEachRun: runs.map((r) => r.disk.p99Ms), memoryP99MsEachRun: runs.map((r) => r.memory.p99Ms),
      meetsTargetP99: disk.p99Ms <= 2,
      stress: scenario !== TARGET_SCENARIO,
    };
  }
  process.stdout.write(`${JSON.stringify({
    benchmark: 'hedge latency: crossing tick -> order leaves the engine (commit in between)',
    vaults: VAULTS, runs: RUNS, ticks: TICKS, warmupTicks: WARMUP_TICKS, gapMs: GAP_MS, vaultEventsPerSec: Math.round((VAULTS * 1000) / GAP_MS),
    targetP99Ms: 2, targetScenario: TARGET_SCENARIO,
    ...(meetsTarget === undefined ? {} : { meetsTarget }),
    ...scenarios,
  })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
