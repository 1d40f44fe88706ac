// Loads the configured price path as validated records (CSV file or a seeded synthetic path):
// the one place a price file is read, for run, backtest and sim-venue alike.
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import type { PriceTickInput, Validated } from '../../streams/inputTypes.ts';
import type { CsvPriceField } from '../../streams/csvParse.ts';
import { readCsvPrices } from '../../streams/readCsvPrices.ts';
import { syntheticPrices } from '../../streams/syntheticPriceSource.ts';
import { CliError } from '../cliError.ts';
import type { RunConfig } from '../config/configSchema.ts';

export interface PriceRecords {
  /** Stable source name: journal offsets and rejections are keyed by it. */
  source: string;
  records: Validated<PriceTickInput>[];
}

export type ReplayPrices = Extract<RunConfig['prices'], { kind: 'csv' | 'synthetic' }>;

export function isReplay(prices: RunConfig['prices']): prices is ReplayPrices {
  return prices.kind === 'csv' || prices.kind === 'synthetic';
}

export function loadPriceRecords(prices: RunConfig['prices']): PriceRecords {
  if (!isReplay(prices)) throw new CliError(`prices.kind ${prices.kind} is a live feed: it cannot be replayed (use a csv or synthetic price path)`);
  if (prices.kind === 'csv') return readPriceFile(prices.path, prices.priceField);
  const source = `prices:synthetic-${prices.seed}`;
  const records: Validated<PriceTickInput>[] = [];
  for (const t of syntheticPrices({
    seed: prices.seed, startPriceUsd: prices.s0, volPerYear: prices.volPerYear, driftPerYear: prices.muPerYear,
    stepMs: prices.stepMs, startAt: prices.startMs, steps: prices.count, source,
  })) records.push({ ok: true, value: t });
  return { source, records };
}

/** Reads and validates a price file; a missing or unreadable file is a CliError naming it. */
export function readPriceFile(path: string, priceField: CsvPriceField = 'close'): PriceRecords {
  if (!existsSync(path)) throw new CliError(`price file ${path} does not exist`);
  const source = `prices:${basename(path)}`;
  try {
    return { source, records: readCsvPrices(path, { source, priceField }) };
  } catch (err) {
    throw new CliError(`price file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The valid points, for a venue that takes its reference price from the same path. */
export function validPoints(records: readonly Validated<PriceTickInput>[]): { at: number; priceUsd: number }[] {
  const out: { at: number; priceUsd: number }[] = [];
  for (const r of records) if (r.ok) out.push({ at: r.value.at, priceUsd: r.value.priceUsd });
  return out;
}
