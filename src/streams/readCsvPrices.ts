// The one price-file reader: CSV text -> validated ticks, in file order, for `run`, `backtest`
// and `sim-venue` alike (the composition root reads the file and hands the result on).
// Determinism after a crash: a resumed run reads and validates the whole file again, so the
// validator's window state is identical, and skips records up to its committed offset.
import { readFileSync } from 'node:fs';
import { scanCsvPrices, type CsvParseOptions } from './csvParse.ts';
import { reject, type PriceTickInput, type Validated } from './inputTypes.ts';
import { TickValidator, type TickValidatorConfig } from './tickValidator.ts';

export interface CsvPriceOptions extends CsvParseOptions {
  /** Source name stored with ticks and rejections; default `csv:<path>`. */
  source?: string;
  validator?: Partial<TickValidatorConfig>;
}

/** Validates CSV text (already read). */
export function validateCsvText(text: string, opts: CsvPriceOptions): Validated<PriceTickInput>[] {
  const source = opts.source ?? 'csv';
  const v = new TickValidator(opts.validator);
  const out: Validated<PriceTickInput>[] = [];
  scanCsvPrices(text, opts, (offset, at, priceUsd, missing, a, b) => {
    if (missing) {
      out.push(reject(source, 'missing-field', 'row lacks the time or price column', text.slice(a, b), Number.isFinite(at) ? at : null, offset));
      return;
    }
    // The raw row is sliced only for a rejection (the validator calls rawOf lazily).
    out.push(v.check({ at, priceUsd, source, offset }, () => text.slice(a, b)));
  });
  return out;
}

/** Reads and validates a whole CSV price file synchronously. */
export function readCsvPrices(path: string, opts: CsvPriceOptions = {}): Validated<PriceTickInput>[] {
  return validateCsvText(readFileSync(path, 'utf8'), { ...opts, source: opts.source ?? `csv:${path}` });
}
