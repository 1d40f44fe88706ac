import { describe, expect, it } from 'vitest';
import { readCsvPrices, validateCsvText } from '../../../src/streams/readCsvPrices.ts';
import { numericTimeToMs, parseNumber, parseTimeMs } from '../../../src/streams/timeParse.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';

const REAL = 'data/btcusdt-binanceus-1m-2023-03-01_21.csv';
const FIX = 'test/fixtures/streams';
const T0 = Date.UTC(2023, 2, 1);
const reasons = (vs: Validated<PriceTickInput>[]): string[] => vs.map((v) => (v.ok ? 'ok' : v.rejected.reason));
const points = (vs: Validated<PriceTickInput>[]): [number, number][] => vs.flatMap((v) => (v.ok ? [[v.value.at, v.value.priceUsd] as [number, number]] : []));

describe('time parsing', () => {
  it('parses ISO variants and numeric units', () => {
    const t = Date.UTC(2023, 2, 1, 0, 1, 0);
    expect(parseTimeMs('2023-03-01 00:01:00+00:00')).toBe(t);
    expect(parseTimeMs('2023-03-01T00:01:00Z')).toBe(t);
    expect(parseTimeMs('2023-03-01T00:01:00')).toBe(t);
    expect(parseTimeMs('2023-03-01T00:01')).toBe(t);
    expect(parseTimeMs('2023-03-01 00:01Z')).toBe(t);
    expect(parseTimeMs('2023-03-01T01:01:00+01:00')).toBe(t);
    expect(parseTimeMs('2023-03-01T01:01:00+0100')).toBe(t);
    expect(parseTimeMs('2023-02-28T23:01:00-01')).toBe(t);
    expect(parseTimeMs('2023-03-01T00:01:00.250Z')).toBe(t + 250);
    expect(parseTimeMs('2023-03-01')).toBe(T0);
    expect(parseTimeMs(' 2024-02-29 ')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTimeMs('1969-12-31T23:59:59Z')).toBe(-1000);
    expect(parseTimeMs('2023-02-29')).toBeNaN();
    expect(parseTimeMs('2023-02-30T00:00:00Z')).toBeNaN();
    expect(parseTimeMs('2023-03-01T24:00:00Z')).toBeNaN();
    expect(parseTimeMs('2023-03-01T00:00:00 CET')).toBeNaN();
    expect(parseTimeMs('03/01/2023')).toBeNaN();
    expect(parseTimeMs('garbage')).toBeNaN();
    expect(parseTimeMs('')).toBeNaN();
    expect(numericTimeToMs(1_677_628_860)).toBe(t);
    expect(numericTimeToMs(1_677_628_860_000)).toBe(t);
    expect(numericTimeToMs(1_677_628_860_000_000)).toBe(t);
    expect(parseTimeMs('1677628860')).toBe(t);
  });

  it('agrees with Date.UTC on dates across four centuries (leap years included)', () => {
    const wrong: string[] = [];
    for (let d = Date.UTC(1900, 0, 1); d < Date.UTC(2300, 0, 1); d += 86_400_000 * 3 + 3_600_000 + 1) {
      const iso = new Date(d).toISOString();
      if (parseTimeMs(iso) !== d) wrong.push(iso);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the shipped file', () => {
  const all = readCsvPrices(REAL);
  it('reads 30,240 rows with offsets 0.. and very few rejections', () => {
    expect(all).toHaveLength(30_240);
    const badOffsets = all.filter((v, i) => (v.ok ? v.value.offset : v.rejected.offset) !== i);
    expect(badOffsets).toEqual([]);
    const rejected = all.filter((v) => !v.ok);
    expect(rejected.length).toBeLessThanOrEqual(5);
    for (const r of rejected) if (!r.ok) expect(r.rejected.reason).toBe('jump');
    const first = all[0];
    expect(first?.ok && first.value).toEqual({ at: T0, priceUsd: 23142.31, source: `csv:${REAL}`, offset: 0 });
  });
  it('mid of high/low is an option', () => {
    const mid = readCsvPrices(REAL, { priceField: 'mid' });
    const first = mid[0];
    expect(first?.ok && first.value.priceUsd).toBeCloseTo((23150.77 + 23128.52) / 2, 9);
    expect(mid.filter((v) => !v.ok).length).toBeLessThanOrEqual(5);
  });
});

describe('the layouts users download', () => {
  const minute = (i: number): number => T0 + i * 60_000;

  it('Binance klines: headerless, 12 columns, open time in ms, close in column 5', () => {
    const v = readCsvPrices(`${FIX}/binance-klines.csv`);
    expect(points(v)).toEqual([[minute(0), 23142.31], [minute(1), 23137.77], [minute(2), 23139.66]]);
    const mid = readCsvPrices(`${FIX}/binance-klines.csv`, { priceField: 'mid' });
    expect(points(mid)[0]?.[1]).toBeCloseTo((23150.77 + 23128.52) / 2, 9);
  });

  it('Kraken OHLCVT: headerless, 7 columns, time in seconds', () => {
    expect(points(readCsvPrices(`${FIX}/kraken-ohlcvt.csv`))).toEqual([[minute(0), 23142.3], [minute(1), 23137.8], [minute(2), 23139.7]]);
  });

  it('Kraken OHLCVT with a timestamp header reads the same prices', () => {
    expect(points(readCsvPrices(`${FIX}/kraken-ohlcvt-header.csv`))).toEqual(points(readCsvPrices(`${FIX}/kraken-ohlcvt.csv`)));
  });

  it('ccxt / Deribit OHLCV ([timestamp ms, o, h, l, c, v]) with and without a header', () => {
    const want: [number, number][] = [[minute(0), 23142.3], [minute(1), 23137.8], [minute(2), 23139.7]];
    expect(points(readCsvPrices(`${FIX}/ccxt-ohlcv.csv`))).toEqual(want);
    expect(points(readCsvPrices(`${FIX}/ccxt-ohlcv-header.csv`))).toEqual(want);
  });

  it('a `time` header with ISO times and CRLF line ends', () => {
    expect(points(readCsvPrices(`${FIX}/time-header.csv`))).toEqual([[minute(0), 23142.3], [minute(1), 23137.8], [minute(2), 23139.7]]);
  });

  it('a `Date` header with ISO dates (daily candles)', () => {
    const day = 86_400_000;
    expect(points(readCsvPrices(`${FIX}/date-header.csv`))).toEqual([[T0, 23646.5], [T0 + day, 23470], [T0 + 2 * day, 22354.2]]);
  });

  it('quoted fields: quoted header and values, a comma and "" inside quotes, a field spanning two lines', () => {
    const v = readCsvPrices(`${FIX}/quoted.csv`);
    expect(points(v)).toEqual([[minute(0), 23142.3], [minute(1), 23137.8], [minute(2), 23139.7]]);
    expect(v.map((x) => (x.ok ? x.value.offset : -1))).toEqual([0, 1, 2]);
  });

  it('a bad row inside quotes is refused with its raw text', () => {
    const v = validateCsvText('timestamp,close\n"1677628800","23142.3"\n"1677628860","x""y"\n', { source: 's' });
    expect(reasons(v)).toEqual(['ok', 'nan-price']);
    expect(!v[1]?.ok && v[1]?.rejected.payload).toBe('"1677628860","x""y"');
  });
});

describe('other variants', () => {
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
  it('a headerless file of an unknown layout is an error naming the layouts; so is a header with no time column', () => {
    expect(() => validateCsvText('1677628800,1,2\n', {})).toThrow(/2 columns \(time, price\) or 5 and more .*this one has 3/);
    expect(() => validateCsvText('foo,bar\n1,2\n', {})).toThrow(/time column/);
  });
  it('a headerless time,price file needs no column map', () => {
    expect(points(validateCsvText('1677628800,23142.31\n1677628860,23137.77\n', {}))).toEqual([[T0, 23142.31], [T0 + 60_000, 23137.77]]);
  });
  it('mid on a file without high/low is an error', () => {
    expect(() => readCsvPrices(`${FIX}/prices-unix-seconds.csv`, { priceField: 'mid' })).toThrow(/high and low/);
  });
  it('timeShiftMs stamps 1-minute closes at the end of their candle', () => {
    const v = readCsvPrices(`${FIX}/prices-unix-seconds.csv`, { timeShiftMs: 60_000 });
    expect(v[0]?.ok && v[0].value.at).toBe(1_677_628_860_000);
  });
});

describe('fast number parsing', () => {
  it('parseNumber equals Number() on decimal strings and rejects blanks', async () => {
    const fc = (await import('fast-check')).default;
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
