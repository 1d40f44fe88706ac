import { describe, expect, it } from 'vitest';
import { VirtualTimeScheduler, lastValueFrom, toArray } from 'rxjs';
import { csvPriceSource, readCsvPrices, validateCsvText } from '../../../src/streams/csvPriceSource.ts';
import { parseTimeMs, numericTimeToMs } from '../../../src/streams/csvParse.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';

const REAL = 'data/btcusdt-binanceus-1m-2023-03-01_21.csv';
const FIX = 'test/fixtures/streams';
const reasons = (vs: Validated<PriceTickInput>[]): string[] => vs.map((v) => (v.ok ? 'ok' : v.rejected.reason));

describe('time parsing', () => {
  it('parses ISO variants and numeric units', () => {
    const t = Date.UTC(2023, 2, 1, 0, 1, 0);
    expect(parseTimeMs('2023-03-01 00:01:00+00:00')).toBe(t);
    expect(parseTimeMs('2023-03-01T00:01:00Z')).toBe(t);
    expect(parseTimeMs('2023-03-01T00:01:00')).toBe(t);
    expect(parseTimeMs('2023-03-01T01:01:00+01:00')).toBe(t);
    expect(parseTimeMs('2023-03-01T00:01:00.250Z')).toBe(t + 250);
    expect(parseTimeMs('2023-02-30T00:00:00Z')).toBeNaN();
    expect(parseTimeMs('garbage')).toBeNaN();
    expect(parseTimeMs('')).toBeNaN();
    expect(numericTimeToMs(1_677_628_860)).toBe(t);
    expect(numericTimeToMs(1_677_628_860_000)).toBe(t);
    expect(numericTimeToMs(1_677_628_860_000_000)).toBe(t);
    expect(parseTimeMs('1677628860')).toBe(t);
  });
});

describe('readCsvPrices on the shared real file', () => {
  const all = readCsvPrices(REAL);
  it('reads 30,240 rows with offsets 0.. and very few rejections', () => {
    expect(all).toHaveLength(30_240);
    const badOffsets = all.filter((v, i) => (v.ok ? v.value.offset : v.rejected.offset) !== i);
    expect(badOffsets).toEqual([]);
    const rejected = all.filter((v) => !v.ok);
    expect(rejected.length).toBeLessThanOrEqual(5);
    for (const r of rejected) if (!r.ok) expect(r.rejected.reason).toBe('jump');
    const first = all[0];
    expect(first?.ok && first.value).toEqual({ at: Date.UTC(2023, 2, 1), priceUsd: 23142.31, source: `csv:${REAL}`, offset: 0 });
  });
  it('mid of high/low is an option', () => {
    const mid = readCsvPrices(REAL, { priceField: 'mid' });
    const first = mid[0];
    expect(first?.ok && first.value.priceUsd).toBeCloseTo((23150.77 + 23128.52) / 2, 9);
    expect(mid.filter((v) => !v.ok).length).toBeLessThanOrEqual(5);
  });
});

describe('CSV variants', () => {
  it('timestamp column in unix seconds', () => {
    const v = readCsvPrices(`${FIX}/prices-unix-seconds.csv`);
    expect(reasons(v)).toEqual(['ok', 'ok', 'nan-price', 'ok', 'non-positive-price', 'ok']);
    expect(v[0]?.ok && v[0].value.at).toBe(1_677_628_800_000);
  });
  it('timestamp in ms with close column; duplicate and out-of-order rows', () => {
    const v = readCsvPrices(`${FIX}/prices-unix-ms.csv`);
    expect(reasons(v)).toEqual(['ok', 'ok', 'duplicate-time', 'out-of-order', 'ok']);
    expect(v[4]?.ok && v[4].value.priceUsd).toBe(23155);
  });
  it('headerless file with a column map, other delimiter, CRLF, blank and short lines', () => {
    const v = readCsvPrices(`${FIX}/prices-noheader-semicolon.csv`, { columns: { time: 0, price: 1 }, delimiter: ';' });
    expect(reasons(v)).toEqual(['ok', 'ok', 'ok', 'missing-field', 'out-of-order']);
    expect(v[2]?.ok && v[2].value.at).toBe(Date.UTC(2023, 2, 1, 0, 2, 0, 500));
  });
  it('headerless file without a column map is an error; so is a header with no time column', () => {
    expect(() => validateCsvText('1677628800,1\n', {})).toThrow(/columns/);
    expect(() => validateCsvText('foo,bar\n1,2\n', {})).toThrow(/time column/);
  });
  it('mid on a file without high/low is an error', () => {
    expect(() => readCsvPrices(`${FIX}/prices-unix-seconds.csv`, { priceField: 'mid' })).toThrow(/high and low/);
  });
});

describe('csvPriceSource', () => {
  it('speed max emits everything; fromOffset emits only later records with identical verdicts', async () => {
    const full = await lastValueFrom(csvPriceSource(REAL, { speed: 'max' }).pipe(toArray()));
    const resumed = await lastValueFrom(csvPriceSource(REAL, { speed: 'max', fromOffset: 20_000 }).pipe(toArray()));
    expect(full).toHaveLength(30_240);
    expect(resumed).toHaveLength(30_240 - 20_001);
    expect(resumed).toEqual(full.slice(20_001));
  });

  it('speed N waits event-time gaps / N', () => {
    const sched = new VirtualTimeScheduler();
    const seen: { t: number; at: number | null }[] = [];
    csvPriceSource(`${FIX}/prices-unix-seconds.csv`, { speed: 60, scheduler: sched }).subscribe((v) => {
      seen.push({ t: sched.now(), at: v.ok ? v.value.at : v.rejected.at });
    });
    sched.flush();
    // Rows are 60 s apart: at 60x real time, 1 s apart. Row 3 (nan price) and row 4 share a time.
    expect(seen.map((s) => s.t)).toEqual([0, 1000, 2000, 2000, 3000, 4000]);
  });

  it('rejects a bad speed', () => {
    expect(() => csvPriceSource(REAL, { speed: 0 })).toThrow(/speed/);
    expect(() => csvPriceSource(REAL, { speed: Number.NaN })).toThrow(/speed/);
  });
});

describe('fast number parsing', () => {
  it('parseNumber equals Number() on decimal strings and rejects blanks', async () => {
    const fc = (await import('fast-check')).default;
    const { parseNumber } = await import('../../../src/streams/csvParse.ts');
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.nat(12), (x, d) => {
      for (const s of [String(x), x.toFixed(d), Math.abs(x) < 1e21 ? x.toFixed(d) : '1']) expect(Object.is(parseNumber(s), Number(s)) || (parseNumber(s) === 0 && Number(s) === 0)).toBe(true);
    }), { numRuns: 2000 });
    for (const s of ['23142.31', '0.000001', '-5', '5.', '.5', ' 12.5 ', '1e5', '0x10', '12345678901234567890.5']) expect(parseNumber(s)).toBe(Number(s));
    expect(parseNumber('')).toBeNaN();
    expect(parseNumber('  ')).toBeNaN();
    expect(parseNumber('-')).toBeNaN();
    expect(parseNumber('1,5')).toBeNaN();
  });
});

describe('timeShiftMs', () => {
  it('stamps 1-minute closes at the end of their candle', () => {
    const v = readCsvPrices(`${FIX}/prices-unix-seconds.csv`, { timeShiftMs: 60_000 });
    expect(v[0]?.ok && v[0].value.at).toBe(1_677_628_860_000);
  });
});
