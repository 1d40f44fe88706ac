// The literals of a one-exec() commit must store exactly what binding the same value stores:
// checked against the real SQLite on random bit patterns (every exponent, subnormals) and on
// the awkward strings.
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrng } from '../../../src/domain/rng.ts';
import { doubleLiteral, sqlLiteral, stringLiteral } from '../../../storage/queries/sqlLiteral.ts';

let db: sqlite3.Database;
const exec = (sql: string): Promise<void> => new Promise((res, rej) => { db.exec(sql, (e) => (e ? rej(e) : res())); });
const run = (sql: string, p: unknown[]): Promise<void> => new Promise((res, rej) => { db.run(sql, p, (e) => (e ? rej(e) : res())); });
const all = <T>(sql: string): Promise<T[]> => new Promise((res, rej) => { db.all<T>(sql, (e, r) => (e ? rej(e) : res(r))); });

beforeAll(async () => {
  db = new sqlite3.Database(':memory:');
  await exec('CREATE TABLE r (i INTEGER PRIMARY KEY, bound REAL, lit REAL); CREATE TABLE n (i INTEGER PRIMARY KEY, bound INTEGER, lit INTEGER); CREATE TABLE t (i INTEGER PRIMARY KEY, bound TEXT, lit TEXT)');
});
afterAll(() => new Promise<void>((res) => { db.close(() => res()); }));

/** Writes each value bound and as a literal; returns the rows where the two differ in value or storage class. */
async function mismatches(table: 'r' | 'n' | 't', values: readonly (number | string | null)[]): Promise<unknown[]> {
  await exec(`DELETE FROM ${table}`);
  await exec('BEGIN');
  for (let c = 0; c < values.length; c += 400) {
    const chunk = values.slice(c, c + 400);
    await run(`INSERT INTO ${table} (i, bound) VALUES ${chunk.map(() => '(?, ?)').join(',')}`, chunk.flatMap((v, j) => [c + j, v]));
    await exec(`UPDATE ${table} SET lit = CASE i ${chunk.map((v, j) => `WHEN ${c + j} THEN ${sqlLiteral(v)}`).join(' ')} END WHERE i >= ${c} AND i < ${c + chunk.length}`);
  }
  await exec('COMMIT');
  const rows = await all<{ i: number; bound: unknown; lit: unknown; tb: string; tl: string }>(`SELECT i, bound, lit, typeof(bound) tb, typeof(lit) tl FROM ${table} ORDER BY i`);
  expect(rows).toHaveLength(values.length);
  return rows.filter((r) => !Object.is(r.bound, r.lit) || r.tb !== r.tl).map((r) => ({ ...r, value: values[r.i] }));
}

describe('exact SQL literals', () => {
  const rng = createPrng(20261125);
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const randomBits = (): number => {
    for (;;) {
      u32[0] = Math.floor(rng.next() * 2 ** 32);
      u32[1] = Math.floor(rng.next() * 2 ** 32);
      if (Number.isFinite(f64[0])) return f64[0] as number;
    }
  };
  const specials = [0, -0, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 31 - 1, -(2 ** 31) - 1, 4_294_967_296, 1_677_628_800_000, -1_677_628_800_000.5, 1e15 + 0.5, 0.1, 1 / 3, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 2 ** 80, 1e21, 123456789012345680000, Number.MAX_VALUE,
    -Number.MAX_VALUE, Number.MIN_VALUE, 2.2250738585072014e-308, 2.225073858507201e-308, 23_456.78, 0.000_123_4, -3.205_1, NaN];
  const values = [...specials, ...Array.from({ length: 60_000 }, randomBits), ...Array.from({ length: 40_000 }, () => (rng.next() - 0.5) * 10 ** (rng.next() * 30 - 15))];

  it('stores every double in a REAL column exactly as binding it does (100,000 values)', async () => {
    expect(await mismatches('r', values)).toEqual([]);
  });

  it('and in INTEGER and TEXT columns (same storage class and value as bound)', async () => {
    expect(await mismatches('n', values.slice(0, 20_000))).toEqual([]);
    expect(await mismatches('t', values.slice(0, 20_000))).toEqual([]);
  });

  it('stores strings byte for byte: quotes, NUL, non-ASCII, SQL fragments, NULL', async () => {
    const strings = ["it's", "''", '\u0000', 'a\u0000b', 'ü 😀 ∂', "X'00'", '"; DROP TABLE t; --', '', ' ', '\\', '\n\r\t', null];
    expect(await mismatches('t', strings)).toEqual([]);
  });

  it('writes a NUL-free string as a quoted literal and NaN as NULL; refuses infinities', () => {
    expect(stringLiteral("it's")).toBe("'it''s'");
    expect(stringLiteral('a\u0000')).toBe("CAST(X'6100' AS TEXT)");
    expect(doubleLiteral(NaN)).toBe('NULL');
    expect(doubleLiteral(42)).toBe('42');
    expect(doubleLiteral(-0)).toBe('0');
    expect(doubleLiteral(1_677_628_800_000)).toBe('1677628800000.0');
    expect(doubleLiteral(0.5)).toBe('(1*1.0/2)');
    expect(() => doubleLiteral(Infinity)).toThrow(RangeError);
  });
});
