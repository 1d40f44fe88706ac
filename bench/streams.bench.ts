// Streams benchmark: the shared 30,240-row file read to validated ticks (target <= 100 ms)
// against a plain read-and-split-lines baseline. Prints one JSON object; medians of several runs.
import { readFileSync } from 'node:fs';
import { readCsvPrices } from '../src/streams/readCsvPrices.ts';

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

console.log(JSON.stringify({
  bench: 'streams',
  csvReplay: {
    file: FILE, rows, rejected, runs: RUNS, medianMs: Number(replayMs.toFixed(2)), targetMs: 100,
    withinTarget: replayMs <= 100, baselineSplitLinesMs: Number(baselineMs.toFixed(2)),
    ratioToBaseline: Number((replayMs / baselineMs).toFixed(2)), rowsPerSec: Math.round(rows / (replayMs / 1000)),
  },
  sink,
}));
