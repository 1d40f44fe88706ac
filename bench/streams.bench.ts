// Streams benchmark: CSV replay of the shared 30,240-row file to validated ticks (target
// <= 100 ms) against a plain split-lines baseline, and fan-out of one tick stream to 100
// vaults (ticks/s). Prints one JSON object; medians of several runs.
import { readFileSync } from 'node:fs';
import { from } from 'rxjs';
import { readCsvPrices } from '../src/streams/csvPriceSource.ts';
import { fanOut } from '../src/streams/routing.ts';
import type { PriceTickInput } from '../src/streams/inputTypes.ts';

const FILE = 'data/btcusdt-binanceus-1m-2023-03-01_21.csv';
const RUNS = 9;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(fn: () => void, runs = RUNS): number {
  fn(); // warm-up
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

let sink = 0;
// Baseline: read the file and split it into lines, nothing else.
const baselineMs = time(() => { sink += readFileSync(FILE, 'utf8').split('\n').length; });
let rows = 0;
let rejected = 0;
const replayMs = time(() => {
  const v = readCsvPrices(FILE);
  rows = v.length;
  rejected = v.filter((x) => !x.ok).length;
});

const ticks: PriceTickInput[] = readCsvPrices(FILE).flatMap((v) => (v.ok ? [v.value] : []));
const vaults = Array.from({ length: 100 }, (_, i) => `v${i}`);
let delivered = 0;
const fanOutMs = time(() => {
  let n = 0;
  fanOut(from(ticks), vaults).subscribe((r) => { n += r.value.priceUsd > 0 ? 1 : 0; });
  delivered = n;
}, 5);

console.log(JSON.stringify({
  bench: 'streams',
  csvReplay: {
    file: FILE, rows, rejected, runs: RUNS, medianMs: Number(replayMs.toFixed(2)), targetMs: 100,
    withinTarget: replayMs <= 100, baselineSplitLinesMs: Number(baselineMs.toFixed(2)),
    ratioToBaseline: Number((replayMs / baselineMs).toFixed(2)), rowsPerSec: Math.round(rows / (replayMs / 1000)),
  },
  fanOut: {
    ticks: ticks.length, vaults: vaults.length, deliveries: delivered, medianMs: Number(fanOutMs.toFixed(2)),
    ticksPerSec: Math.round(ticks.length / (fanOutMs / 1000)), deliveriesPerSec: Math.round(delivered / (fanOutMs / 1000)),
  },
  sink,
}));
