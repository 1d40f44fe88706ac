// Fast CSV price parsing (no validation): one pass over the file text with indexOf, a
// hand-written ISO-8601 parser for the common `YYYY-MM-DD[ T]HH:MM:SS[.fff][Z|+HH:MM]` shape
// (Date.parse fallback) and numeric timestamps whose unit is detected by magnitude.

export interface CsvColumnMap {
  /** 0-based column index of the time (ISO string or unix s/ms/us/ns). */
  time: number;
  /** Column of the price used when priceField is 'close' (or a single price column). */
  price?: number;
  high?: number;
  low?: number;
}

export type CsvPriceField = 'close' | 'mid';

export interface CsvParseOptions {
  priceField?: CsvPriceField;
  /** Required for files without a header; overrides header detection when given. */
  columns?: CsvColumnMap;
  /** Default: auto (a first line whose time field is not a number or date is a header). */
  hasHeader?: boolean;
  delimiter?: string;
  /**
   * Added to every parsed time, ms. Candle files stamp the open time while the close is
   * known only at the end: 60_000 on 1-minute candles stamps each close when it happened
   * (no look-ahead). Default 0 (the file's own time).
   */
  timeShiftMs?: number;
}

export interface CsvRecord {
  /** Data-record index (0-based, header and blank lines excluded). */
  offset: number;
  /** Unix ms, NaN when unparseable. */
  at: number;
  /** NaN when missing or unparseable. */
  priceUsd: number;
  line: string;
  /** Set when the row lacks a needed column. */
  missing: boolean;
}

const TIME_NAMES = ['open_time', 'timestamp', 'time', 'datetime', 'date', 'ts', 'open time', 'opentime'];
const PRICE_NAMES = ['close', 'price', 'mid', 'last', 'c'];

/** Converts a numeric timestamp of unknown unit to unix ms (s < 1e11 <= ms < 1e14 <= us < 1e17 <= ns). */
export function numericTimeToMs(n: number): number {
  const a = Math.abs(n);
  if (a < 1e11) return n * 1000;
  if (a < 1e14) return n;
  if (a < 1e17) return n / 1000;
  return n / 1e6;
}

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

// Cache of the last calendar day seen: consecutive rows almost always share it.
let cachedDayKey = -1;
let cachedDayMs = Number.NaN;
function dayStartMs(y: number, mo: number, d: number): number {
  const key = (y * 100 + mo) * 100 + d;
  if (key === cachedDayKey) return cachedDayMs;
  const t = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 2023-02-30 over to March: reject days that do not exist.
  const ok = new Date(t).getUTCDate() === d;
  cachedDayKey = key;
  cachedDayMs = ok ? t : Number.NaN;
  return cachedDayMs;
}

/** Parses a time field to unix ms; ISO strings without an offset are taken as UTC. */
export function parseTimeMs(raw: string): number {
  return parseTimeIn(raw, 0, raw.length);
}

/** parseTimeMs of s[a, b) without slicing on the common ISO path. */
function parseTimeIn(s: string, a: number, b: number): number {
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  const len = b - a;
  if (len === 0) return Number.NaN;
  if (len >= 19 && s.charCodeAt(a + 4) === 45 && s.charCodeAt(a + 7) === 45) {
    const y = digits(s, a, 4), mo = digits(s, a + 5, 2), d = digits(s, a + 8, 2);
    const h = digits(s, a + 11, 2), mi = digits(s, a + 14, 2), se = digits(s, a + 17, 2);
    const sep = s.charCodeAt(a + 10);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && se >= 0 && se < 60 && (sep === 32 || sep === 84)) {
      let i = a + 19;
      let ms = 0;
      if (s.charCodeAt(i) === 46) {
        let scale = 100;
        i++;
        while (i < b) {
          const c = s.charCodeAt(i) - 48;
          if (c < 0 || c > 9) break;
          ms += c * scale;
          scale /= 10;
          i++;
        }
      }
      let offMin = 0;
      const rest = b - i;
      if (rest === 1 && s.charCodeAt(i) === 90) offMin = 0;
      else if (rest === 6 && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45) && s.charCodeAt(i + 3) === 58) {
        const oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
        if (oh < 0 || om < 0) return Number.NaN;
        offMin = (s.charCodeAt(i) === 45 ? -1 : 1) * (oh * 60 + om);
      } else if (rest !== 0) return Date.parse(s.slice(a, b));
      const day = dayStartMs(y, mo, d);
      if (Number.isNaN(day)) return Number.NaN;
      return day + ((h * 60 + mi) * 60 + se) * 1000 + Math.round(ms) - offMin * 60_000;
    }
    return Date.parse(s.slice(a, b));
  }
  const c0 = s.charCodeAt(a);
  if ((c0 >= 48 && c0 <= 57) || c0 === 45) {
    const n = parseNumberIn(s, a, b);
    if (Number.isFinite(n)) return numericTimeToMs(n);
  }
  return Number.NaN;
}

/** Number() that treats '' as NaN instead of 0. */
export function parseNumber(s: string | undefined): number {
  return s === undefined ? Number.NaN : parseNumberIn(s, 0, s.length);
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Number(s[a, b)) with '' as NaN. Fast path for plain decimals `[-]ddd[.ddd]`: the digits as
 * an integer m < 2^53 divided by 10^k (k <= 22, exact) is correctly rounded, i.e. exactly
 * what Number() returns. Anything else falls back to Number().
 */
function parseNumberIn(s: string, a: number, b: number): number {
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  if (a === b) return Number.NaN;
  let i = a;
  let neg = false;
  if (s.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  let m = 0;
  let k = -1;
  let nd = 0;
  for (; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      nd++;
      if (k >= 0) k++;
    } else if (c === 46 && k < 0) k = 0;
    else return Number(s.slice(a, b));
  }
  if (nd === 0 || nd > 15 || k > 22) return Number(s.slice(a, b));
  const v = k > 0 ? m / (POW10[k] as number) : m;
  return neg ? -v : v;
}

function columnsFromHeader(header: string[]): CsvColumnMap {
  const lower = header.map((h) => h.trim().toLowerCase());
  const time = lower.findIndex((h) => TIME_NAMES.includes(h));
  if (time < 0) throw new Error(`CSV header has no time column (one of ${TIME_NAMES.join(', ')}): ${header.join(',')}`);
  const price = lower.findIndex((h) => PRICE_NAMES.includes(h));
  const high = lower.indexOf('high');
  const low = lower.indexOf('low');
  const map: CsvColumnMap = { time };
  if (price >= 0) map.price = price;
  if (high >= 0) map.high = high;
  if (low >= 0) map.low = low;
  return map;
}

/** Called for each data row: line is text.slice(lineStart, lineEnd) (sliced only when needed). */
export type CsvRowVisitor = (offset: number, at: number, priceUsd: number, missing: boolean, lineStart: number, lineEnd: number) => void;

// Bounds of the last field found by locate() (module scratch: no allocation per field).
let fieldStart = 0;
let fieldEnd = 0;

/** Finds field k (0-based) of text[lineStart, lineEnd); false if the row is shorter. */
function locate(text: string, lineStart: number, lineEnd: number, k: number, delim: string): boolean {
  let a = lineStart;
  for (let i = 0; i < k; i++) {
    const d = text.indexOf(delim, a);
    if (d < 0 || d >= lineEnd) return false;
    a = d + delim.length;
  }
  let b = text.indexOf(delim, a);
  if (b < 0 || b > lineEnd) b = lineEnd;
  fieldStart = a;
  fieldEnd = b;
  return true;
}

/**
 * Scans CSV text without building per-row arrays (the hot path of replay). Returns the
 * number of data rows. Invalid values are passed as NaN for the validator to reject.
 */
export function scanCsvPrices(text: string, opts: CsvParseOptions, visit: CsvRowVisitor): number {
  const delim = opts.delimiter ?? ',';
  const field = opts.priceField ?? 'close';
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let first = true;
  let cols = opts.columns;
  let offset = 0;
  const len = text.length;
  const shift = opts.timeShiftMs ?? 0;
  while (pos < len) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = len;
    const start = pos;
    pos = end + 1;
    let lineEnd = end;
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (lineEnd === start) continue;
    const c0 = text.charCodeAt(start);
    if ((c0 === 32 || c0 === 9) && text.slice(start, lineEnd).trim().length === 0) continue;
    if (first) {
      first = false;
      const header = opts.hasHeader ?? !(locate(text, start, lineEnd, cols?.time ?? 0, delim) && !Number.isNaN(parseTimeIn(text, fieldStart, fieldEnd)));
      if (header) {
        cols ??= columnsFromHeader(text.slice(start, lineEnd).split(delim));
        checkColumns(cols, field);
        continue;
      }
      if (!cols) throw new Error('CSV without a header needs opts.columns ({ time, price } or { time, high, low })');
      checkColumns(cols, field);
    }
    const c = cols as CsvColumnMap;
    let missing = false;
    let at = Number.NaN;
    let price = Number.NaN;
    if (locate(text, start, lineEnd, c.time, delim)) at = parseTimeIn(text, fieldStart, fieldEnd);
    else missing = true;
    if (field === 'mid') {
      if (locate(text, start, lineEnd, c.high as number, delim)) {
        const hi = parseNumberIn(text, fieldStart, fieldEnd);
        if (locate(text, start, lineEnd, c.low as number, delim)) price = (hi + parseNumberIn(text, fieldStart, fieldEnd)) / 2;
        else missing = true;
      } else missing = true;
    } else if (locate(text, start, lineEnd, c.price as number, delim)) price = parseNumberIn(text, fieldStart, fieldEnd);
    else missing = true;
    visit(offset++, at + shift, price, missing, start, lineEnd);
  }
  return offset;
}

function checkColumns(cols: CsvColumnMap, field: CsvPriceField): void {
  if (field === 'mid' && (cols.high === undefined || cols.low === undefined)) throw new Error('priceField "mid" needs high and low columns');
  if (field === 'close' && cols.price === undefined) throw new Error('CSV has no close/price column');
}

/** Parses CSV text into raw price records (invalid values stay NaN for the validator to reject). */
export function parseCsvPrices(text: string, opts: CsvParseOptions = {}): CsvRecord[] {
  const out: CsvRecord[] = [];
  scanCsvPrices(text, opts, (offset, at, priceUsd, missing, a, b) => {
    out.push({ offset, at, priceUsd, line: text.slice(a, b), missing });
  });
  return out;
}
