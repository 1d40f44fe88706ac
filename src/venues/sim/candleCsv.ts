// A small reader for candle files (header open_time,open,high,low,close,volume; ISO times such
// as `2023-03-01 00:00:00+00:00`). The venue prices off each candle's close at its open time.
// Kept here because venues may not import src/streams; the general price source lives there.
import { readFileSync } from 'node:fs';
import { SeriesPriceReference } from './priceReference.ts';

export interface CandleCsvResult {
  points: { at: number; priceUsd: number }[];
  /** Data lines skipped as unreadable (bad time, bad close, out of order), 1-based line numbers. */
  skippedLines: number[];
}

/** Parses candle CSV text. Unreadable or out-of-order lines are skipped and reported, never guessed. */
export function parseCandleCsv(text: string): CandleCsvResult {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const timeCol = header.indexOf('open_time');
  const closeCol = header.indexOf('close');
  if (timeCol < 0 || closeCol < 0) throw new Error('price file: header must name open_time and close columns');
  const points: { at: number; priceUsd: number }[] = [];
  const skippedLines: number[] = [];
  let lastAt = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const at = Date.parse((cells[timeCol] ?? '').trim().replace(' ', 'T'));
    const close = Number((cells[closeCol] ?? '').trim());
    if (!Number.isFinite(at) || !(Number.isFinite(close) && close > 0) || at <= lastAt) {
      skippedLines.push(i + 1);
      continue;
    }
    points.push({ at, priceUsd: close });
    lastAt = at;
  }
  return { points, skippedLines };
}

/** Loads a candle file as a price reference; fails if it holds no usable price. */
export function loadCandleCsvReference(path: string): { reference: SeriesPriceReference; skippedLines: number[] } {
  const { points, skippedLines } = parseCandleCsv(readFileSync(path, 'utf8'));
  if (points.length === 0) throw new Error(`price file ${path}: no usable prices`);
  return { reference: new SeriesPriceReference(points), skippedLines };
}
