// CSV replay of 1-minute (or any) price files as validated ticks.
// Determinism after a crash: fromOffset re-runs validation over every record from the start
// of the file (so the validator's window state is identical) and emits only records with
// offset > fromOffset. Speed 'max' emits synchronously (lockstep consumers can instead
// iterate readCsvPrices' array and await each step); speed N waits event-time gaps / N.
import { readFileSync } from 'node:fs';
import { Observable, asyncScheduler } from 'rxjs';
import type { SchedulerLike, Subscription } from 'rxjs';
import { scanCsvPrices } from './csvParse.ts';
import type { CsvParseOptions } from './csvParse.ts';
import { TickValidator } from './tickValidator.ts';
import type { TickValidatorConfig } from './tickValidator.ts';
import { reject } from './inputTypes.ts';
import type { PriceTickInput, Validated } from './inputTypes.ts';

export interface CsvPriceOptions extends CsvParseOptions {
  /** Source name stored with ticks and rejections; default `csv:<path>`. */
  source?: string;
  validator?: Partial<TickValidatorConfig>;
}

export interface CsvReplayOptions extends CsvPriceOptions {
  /** 'max': as fast as possible; N: N times real (event) time. */
  speed: 'max' | number;
  /** Emit only records with offset > fromOffset (validation still runs from the start). */
  fromOffset?: number;
  /** Scheduler for timed replay (tests pass a virtual-time scheduler). */
  scheduler?: SchedulerLike;
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
    // The raw line is sliced only for a rejection (validator calls rawOf lazily).
    out.push(v.check({ at, priceUsd, source, offset }, () => text.slice(a, b)));
  });
  return out;
}

/** Reads and validates a whole CSV price file synchronously (30k rows in a few ms). */
export function readCsvPrices(path: string, opts: CsvPriceOptions = {}): Validated<PriceTickInput>[] {
  return validateCsvText(readFileSync(path, 'utf8'), { ...opts, source: opts.source ?? `csv:${path}` });
}

function eventTime(v: Validated<PriceTickInput>): number | null {
  return v.ok ? v.value.at : v.rejected.at;
}

function assertSpeed(speed: 'max' | number): void {
  if (speed !== 'max' && !(speed > 0 && Number.isFinite(speed))) throw new Error(`replay speed must be 'max' or a finite number > 0, got ${String(speed)}`);
}

/** Replays validated records (ok and rejected) as an Observable at the chosen speed. */
export function replayValidated(
  all: readonly Validated<PriceTickInput>[], opts: { speed: 'max' | number; fromOffset?: number; scheduler?: SchedulerLike },
): Observable<Validated<PriceTickInput>> {
  const from = opts.fromOffset ?? -1;
  const items = all.filter((v) => (v.ok ? v.value.offset : (v.rejected.offset ?? -1)) > from);
  const speed = opts.speed;
  assertSpeed(speed);
  return new Observable<Validated<PriceTickInput>>((sub) => {
    if (speed === 'max') {
      for (const it of items) {
        if (sub.closed) return;
        sub.next(it);
      }
      sub.complete();
      return;
    }
    const sched = opts.scheduler ?? asyncScheduler;
    let i = 0;
    let prevAt: number | null = null;
    let pending: Subscription | null = null;
    const step = (): void => {
      // Emit every record due now (rejections without a time go out with their neighbours).
      for (;;) {
        if (sub.closed) return;
        const it = items[i];
        if (it === undefined) {
          sub.complete();
          return;
        }
        const at = eventTime(it);
        if (at !== null && prevAt !== null && at > prevAt) {
          const waitMs = (at - prevAt) / speed;
          prevAt = at;
          pending = sched.schedule(() => {
            const next = items[i++];
            if (next !== undefined) sub.next(next);
            step();
          }, waitMs);
          return;
        }
        if (at !== null && (prevAt === null || at > prevAt)) prevAt = at;
        i++;
        sub.next(it);
      }
    };
    step();
    return () => pending?.unsubscribe();
  });
}

/** Observable CSV replay: reads the file on subscribe. */
export function csvPriceSource(path: string, opts: CsvReplayOptions): Observable<Validated<PriceTickInput>> {
  assertSpeed(opts.speed);
  return new Observable<Validated<PriceTickInput>>((sub) => {
    const all = readCsvPrices(path, opts);
    return replayValidated(all, opts).subscribe(sub);
  });
}
