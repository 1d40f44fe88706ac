// Price rows out of CSV text, in one pass and without validation (tickValidator judges the
// values). Fields are located in place (RFC 4180: quoted fields, "" escapes, CRLF, a quoted
// field may span lines) and only the time and price fields are parsed. The layouts users
// download are told apart without options:
//   a header naming a time column (open_time, timestamp, time, date, ...) and a close/price column;
//   headerless, 2 columns: time, price;
//   headerless, 5 or more: time, open, high, low, close, ... (Binance klines: 12 columns, ms;
//   Kraken OHLCVT: 7, s; ccxt / Deribit OHLCV: 6, ms).
// Times are ISO 8601 or unix s / ms / us (by magnitude); see timeParse.ts.
import { parseNumberIn, parseTimeIn } from './timeParse.ts';

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
  /** Overrides the columns found from the header or the layout. */
  columns?: CsvColumnMap;
  /** Default: auto (a first row whose time field is not a time is a header). */
  hasHeader?: boolean;
  /** One character; default ','. */
  delimiter?: string;
  /**
   * Added to every parsed time, ms. Candle files stamp the open time while the close is
   * known only at the end: 60_000 on 1-minute candles stamps each close when it happened
   * (no look-ahead). Default 0 (the file's own time).
   */
  timeShiftMs?: number;
}

/** Called for each data row: the raw row is text.slice(rowStart, rowEnd) (sliced only when needed). */
export type CsvRowVisitor = (offset: number, at: number, priceUsd: number, missing: boolean, rowStart: number, rowEnd: number) => void;

const TIME_NAMES = ['open_time', 'timestamp', 'time', 'datetime', 'date', 'ts', 'open time', 'opentime', 'ticks'];
const PRICE_NAMES = ['close', 'price', 'mid', 'last', 'c'];
const QUOTE = 34;
const CR = 13;
const LF = 10;

/** Columns of a headerless file, from its number of columns; null when the layout is not one we know. */
function headerlessColumns(count: number): CsvColumnMap | null {
  if (count === 2) return { time: 0, price: 1 };
  if (count >= 5) return { time: 0, high: 2, low: 3, price: 4 };
  return null;
}

function columnsFromHeader(header: readonly string[]): CsvColumnMap {
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

function checkColumns(cols: CsvColumnMap, field: CsvPriceField): void {
  if (field === 'mid' && (cols.high === undefined || cols.low === undefined)) throw new Error('priceField "mid" needs high and low columns');
  if (field === 'close' && cols.price === undefined) throw new Error('CSV has no close/price column');
}

/** One row at a time: the bounds of each field of the row last read (reused, nothing allocated per field). */
class CsvRows {
  count = 0;
  rowStart = 0;
  rowEnd = 0;
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);
  /** 1 where a quoted field holds "" escapes (it must be unescaped before use). */
  private escaped = new Uint8Array(16);

  constructor(private readonly text: string, private readonly delim: number) {}

  /** Reads the row starting at pos; returns the position after its line end. */
  read(pos: number): number {
    const { text, delim } = this;
    const len = text.length;
    let i = pos;
    this.count = 0;
    this.rowStart = pos;
    for (;;) {
      if (this.count === this.starts.length) this.grow();
      let end: number;
      let esc = 0;
      if (i < len && text.charCodeAt(i) === QUOTE) {
        const start = i + 1;
        let j = start;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) { end = len; j = len; break; } // unterminated: the field runs to the end
          if (text.charCodeAt(q + 1) === QUOTE) { esc = 1; j = q + 2; continue; }
          end = q;
          j = q + 1;
          break;
        }
        this.starts[this.count] = start;
        i = j;
        // Anything between the closing quote and the delimiter is not part of the value.
        while (i < len) {
          const c = text.charCodeAt(i);
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
      } else {
        this.starts[this.count] = i;
        while (i < len) {
          const c = text.charCodeAt(i);
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        end = i;
      }
      this.ends[this.count] = end;
      this.escaped[this.count] = esc;
      this.count++;
      if (i >= len) {
        this.rowEnd = len;
        return len;
      }
      const c = text.charCodeAt(i);
      if (c === delim) {
        i++;
        continue;
      }
      this.rowEnd = i;
      return c === CR && text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    }
  }

  /** A row of one empty or blank field. */
  blank(): boolean {
    if (this.count !== 1) return false;
    for (let i = this.starts[0] as number; i < (this.ends[0] as number); i++) if (this.text.charCodeAt(i) > 32) return false;
    return true;
  }

  field(k: number): string {
    const s = this.text.slice(this.starts[k], this.ends[k]);
    return this.escaped[k] === 1 ? s.replaceAll('""', '"') : s;
  }

  fields(): string[] {
    return Array.from({ length: this.count }, (_, k) => this.field(k));
  }

  /** Field k as a time (unix ms), NaN if unreadable; undefined if the row has no field k. */
  time(k: number): number | undefined {
    return this.parse(k, parseTimeIn);
  }

  /** Field k as a number, NaN if unreadable; undefined if the row has no field k. */
  number(k: number): number | undefined {
    return this.parse(k, parseNumberIn);
  }

  private parse(k: number, parseIn: (s: string, a: number, b: number) => number): number | undefined {
    if (k >= this.count) return undefined;
    if (this.escaped[k] === 1) {
      const s = this.field(k);
      return parseIn(s, 0, s.length);
    }
    return parseIn(this.text, this.starts[k] as number, this.ends[k] as number);
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const [s, e, q] = [new Int32Array(n), new Int32Array(n), new Uint8Array(n)];
    s.set(this.starts);
    e.set(this.ends);
    q.set(this.escaped);
    [this.starts, this.ends, this.escaped] = [s, e, q];
  }
}

/**
 * Scans CSV text for prices, calling `visit` for every data row in file order. Returns the
 * number of data rows. Unreadable values are passed as NaN for the validator to refuse.
 */
export function scanCsvPrices(text: string, opts: CsvParseOptions, visit: CsvRowVisitor): number {
  const delimiter = opts.delimiter ?? ',';
  if (delimiter.length !== 1) throw new Error(`CSV delimiter must be one character, got ${JSON.stringify(delimiter)}`);
  const field = opts.priceField ?? 'close';
  const shift = opts.timeShiftMs ?? 0;
  const rows = new CsvRows(text, delimiter.charCodeAt(0));
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let cols: CsvColumnMap | null = null;
  let offset = 0;
  while (pos < text.length) {
    pos = rows.read(pos);
    if (rows.blank()) continue;
    if (cols === null) {
      const t = rows.time(opts.columns?.time ?? 0);
      const header = opts.hasHeader ?? (t === undefined || Number.isNaN(t));
      if (header) {
        cols = opts.columns ?? columnsFromHeader(rows.fields());
        checkColumns(cols, field);
        continue;
      }
      cols = opts.columns ?? headerlessColumns(rows.count);
      if (cols === null) {
        throw new Error(`a CSV file without a header needs 2 columns (time, price) or 5 and more (time, open, high, low, close, ...: Binance klines, Kraken OHLCVT, ccxt OHLCV); this one has ${rows.count}`);
      }
      checkColumns(cols, field);
    }
    const at = rows.time(cols.time);
    const price = field === 'mid' ? mid(rows.number(cols.high as number), rows.number(cols.low as number)) : rows.number(cols.price as number);
    const missing = at === undefined || price === undefined;
    visit(offset++, (at ?? Number.NaN) + shift, price ?? Number.NaN, missing, rows.rowStart, rows.rowEnd);
  }
  return offset;
}

function mid(high: number | undefined, low: number | undefined): number | undefined {
  return high === undefined || low === undefined ? undefined : (high + low) / 2;
}
