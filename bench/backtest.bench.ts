// Backtest benchmark (issue 9): the shared 30,240-minute BTC file through the whole engine
// (openEngine + lockstep replay driver + vault machine + simulated venue and takers) for one
// vault with a 40-series book priced on a smile per expiry, with the expiry handling (two
// expiries settle inside the file, each hedged at settlement; 60-minute pin floor). Targets: <= 1.5 s with the journal in memory
// (MemoryJournalStore, as `backtest` without --db runs), <= 5 s with a durable journal file; also
// measured: an in-memory SQLite journal (what `backtest` used before MemoryJournalStore). Baseline measured in the same run: the same file through CSV parsing
// and the tick validator alone. Prints one JSON object; medians of RUNS runs (after a warm-up).
// Usage: node bin/run-ts.mjs bench/backtest.bench.ts [--runs N]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VaultInput } from '../machines/vault.types.ts';
import type { JournalStore } from '../storage/journalStore.ts';
import { MemoryJournalStore } from '../storage/memoryJournalStore.ts';
import { SqliteJournalStore } from '../storage/sqliteJournalStore.ts';
import { runBacktest } from '../src/engine/backtest/runBacktest.ts';
import { parseExpiryCode, parseInstrument } from '../src/domain/instrument.ts';
import { validateCsvText } from '../src/streams/readCsvPrices.ts';
import { SeriesPriceReference } from '../src/venues/sim/priceReference.ts';
import { SimPerpVenue } from '../src/venues/sim/simPerpVenue.ts';

const FILE = 'data/btcusdt-binanceus-1m-2023-03-01_21.csv';
const SOURCE = 'prices:btcusdt-binanceus-1m-2023-03-01_21.csv';
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** 5 expiries x 4 strikes x call/put = 40 series; short ATM calls and OTM puts, the rest quoted at 0. */
function book40(): VaultInput['book'] {
  const out: VaultInput['book'] = [];
  for (const e of EXPIRIES) {
    for (const k of [20000, 22000, 24000, 26000]) {
      for (const cp of ['C', 'P'] as const) {
        const instrument = `BTC-${e}-${k}-${cp}`;
        const inst = parseInstrument(instrument);
        const qty = cp === 'C' ? (k === 24000 ? -4 : k === 26000 ? -2 : 0) : k === 22000 ? -4 : 0;
        out.push({ instrument, kind: inst.kind, strikeUsd: inst.strikeUsd, expiryMs: inst.expiryMs, qty });
      }
    }
  }
  return out;
}

const EXPIRIES = ['10MAR23', '17MAR23', '24MAR23', '31MAR23', '28APR23'];
/** Vol by strike / spot for every expiry of the book. */
const SMILES = EXPIRIES.map((e) => ({ expiryMs: parseExpiryCode(e), moneyness: [0.8, 0.9, 1, 1.1, 1.2], volPerYear: [0.76, 0.66, 0.6, 0.63, 0.69] }));

const VAULT: VaultInput = {
  vaultId: 'bench',
  config: {
    underlying: 'BTC', bands: { kind: 'fixed', quoteBtc: 1, hedgeBtc: 2.5, reentryBtc: 0.5, hardBtc: 5 }, trigger: { kind: 'band' },
    hedgeTarget: 'zero', maxOrderBtc: 25, minOrderBtc: 0.001, lotBtc: 0.0001, slippageBps: 50, cooldownMs: 15 * 60_000,
    retryBaseMs: 5_000, retryMaxMs: 300_000, maxConsecutiveFailures: 5, maxHedgeNotionalPerDayUsd: 50_000_000, ratePerYear: 0,
    quote: { halfSpreadBps: 150, minHalfSpreadUsd: 5, maxLeanBps: 100, baseSizeContracts: 2 },
    vol: { flatVolPerYear: 0.6, smiles: SMILES }, expiry: { mode: 'atSettlement', pinMinutes: 60 }, account: { kind: 'linear' },
  },
  book: book40(),
};

const text = readFileSync(FILE, 'utf8');
const records = validateCsvText(text, { source: SOURCE });
const points = records.flatMap((r) => (r.ok ? [{ at: r.value.at, priceUsd: r.value.priceUsd }] : []));

type Mode = 'memory' | 'sqlite-memory' | 'file';

/** dbPath: a file for 'file', null otherwise. */
async function openStore(mode: Mode, dbPath: string | null, synchronous: 'NORMAL' | 'FULL'): Promise<JournalStore> {
  if (mode === 'memory') return new MemoryJournalStore();
  return SqliteJournalStore.open(dbPath === null ? { path: ':memory:' } : { path: dbPath, create: 'if-missing', synchronous });
}

async function once(mode: Mode, dbPath: string | null, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): Promise<{ ms: number; cpuMs: number; rows: number; hedges: number; ticks: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const venue = await SimPerpVenue.open({ prices: new SeriesPriceReference(points), pricesLabel: SOURCE, config: { seed: 7 } });
  const store = await openStore(mode, dbPath, synchronous);
  const run = await runBacktest({
    store, venue, market: 'BTC-PERP', inputs: [VAULT], records, source: SOURCE, seed: 7,
    takers: { arrivalsPerMinute: 0.2, buyShare: 0.5, meanSizeContracts: 0.5 }, staleAfterMs: 300_000,
    funding: { ratePerHour: venue.config.fundingRatePerHour, intervalMs: venue.config.fundingIntervalMs },
    takerFeeBps: venue.config.takerFeeBps, policy: 'config', target: 'config', advanceVenueClock: (at) => venue.advanceClock(at),
  });
  await store.close();
  await venue.close();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, rows: run.result.journal.vaultEvents, hedges: run.result.total.hedgeCount, ticks: run.result.prices.ticks };
}

async function measure(mode: Mode, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): Promise<{ medianMs: number; medianCpuMs: number; runsMs: number[]; rows: number; hedges: number; ticks: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'omm-bt-bench-'));
  const path = (i: number): string | null => (mode === 'file' ? join(dir, `journal-${i}.db`) : null);
  try {
    await once(mode, path(-1), synchronous); // warm-up (JIT, module graph)
    const res = [];
    for (let i = 0; i < RUNS; i++) res.push(await once(mode, path(i), synchronous));
    const last = res[res.length - 1] as { rows: number; hedges: number; ticks: number };
    return { medianMs: median(res.map((r) => r.ms)), medianCpuMs: median(res.map((r) => r.cpuMs)), runsMs: res.map((r) => Math.round(r.ms)), rows: last.rows, hedges: last.hedges, ticks: last.ticks };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const baseRuns: number[] = [];
let baseRows = 0;
for (let i = 0; i < Math.max(RUNS, 5); i++) {
  const t0 = performance.now();
  baseRows = validateCsvText(text, { source: SOURCE }).length;
  baseRuns.push(performance.now() - t0);
}
const baselineMs = median(baseRuns);
const mem = await measure('memory');
const sqliteMem = await measure('sqlite-memory');
const file = await measure('file');
const fileFull = await measure('file', 'FULL');
const round = (x: number, d = 1): number => Number(x.toFixed(d));
const section = (m: typeof mem, targetMs: number): object => ({
  medianMs: round(m.medianMs), runsMs: m.runsMs, targetMs,
  // CPU time of the process (main thread + SQLite worker threads): less sensitive to other load on the machine.
  medianCpuMs: round(m.medianCpuMs), withinTarget: m.medianMs <= targetMs,
  ticks: m.ticks, vaultEvents: m.rows, hedges: m.hedges,
  eventsPerSec: Math.round(m.rows / (m.medianMs / 1000)), ticksPerSec: Math.round(m.ticks / (m.medianMs / 1000)),
  ratioToBaseline: round(m.medianMs / baselineMs, 1),
});
console.log(JSON.stringify({
  bench: 'backtest',
  loadAverage1m: round(loadavg()[0] ?? 0, 2),
  file: FILE, vaults: 1, series: VAULT.book.length, runs: RUNS,
  baseline: { what: 'CSV parse + tick validator over the same file', rows: baseRows, medianMs: round(baselineMs, 2) },
  memoryJournal: { ...section(mem, 1_500), store: 'MemoryJournalStore' },
  sqliteMemoryJournal: { ...section(sqliteMem, 1_500), store: 'SqliteJournalStore :memory:', cpuRatioToMemoryJournal: round(sqliteMem.medianCpuMs / mem.medianCpuMs, 2) },
  fileJournal: { ...section(file, 5_000), synchronous: 'NORMAL' },
  fileJournalFull: { ...section(fileFull, 5_000), synchronous: 'FULL' },
}));
