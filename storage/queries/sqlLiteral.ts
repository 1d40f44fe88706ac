// SQL literal text for a bound value, exact: the literal evaluates in SQLite to the very value
// and storage class that binding it with the sqlite3 driver stores (test/integration/storage/
// sqlLiteral.test.ts checks this against SQLite on 100,000 random doubles). This lets a whole commit
// go to the worker thread as one exec() (one round trip) instead of one per statement.
//
// Doubles: SQLite's decimal-to-double conversion is not correctly rounded in every case (about
// 1 in 7,000 random doubles came back 1 ulp off through 17-digit text), so a non-integer double
// is written as an exact dyadic expression: (M * 1.0 / 2^k), M a <= 53-bit integer and each
// division by a power of two exact in IEEE arithmetic. Strings are quoted ('' for '), or hex
// when they hold a NUL byte (exec() takes C strings).
import type { SqlParam } from '../sqliteConnection.ts';

const TWO_52 = 2 ** 52;
const TWO_53 = 2 ** 53;
/** The largest power of two written as one integer literal: 2^62 fits an SQLite INTEGER. */
const MAX_SHIFT = 62;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little- or big-endian word order of the float's bits.
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** Exact SQL expression for a finite double (NaN is NULL, as the driver binds it). */
export function doubleLiteral(x: number): string {
  if (Number.isNaN(x)) return 'NULL';
  if (!Number.isFinite(x)) throw new RangeError(`no SQL literal for ${x}`);
  // The driver binds an int32 (and -0) as INTEGER, any other number as REAL: so do we, so
  // the storage class matches in every column affinity.
  if ((x | 0) === x) return String(x | 0);
  if (Number.isInteger(x) && Math.abs(x) <= TWO_53) return `${x}.0`;
  // x = (-1)^s * mant * 2^(exp - 1075), mant a 53-bit integer (52 for subnormals).
  f64[0] = x;
  const hi = u32[HI] as number;
  const lo = u32[LO] as number;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (hi & 0xfffff) * 2 ** 32 + lo;
  let exp: number;
  if (biased === 0) exp = -1074;
  else { mant += TWO_52; exp = biased - 1075; }
  // Fewest divisions: strip trailing zero bits of the mantissa.
  while (mant % 2 === 0 && exp < 0) { mant /= 2; exp += 1; }
  const sign = x < 0 ? '-' : '';
  if (exp >= 0) {
    // A large integer beyond 2^53 (rare in this journal): mant * 2^exp, in steps that fit INTEGER.
    let text = `(${mant}*1.0`;
    for (let e = exp; e > 0; e -= MAX_SHIFT) text += `*${powerOfTwo(Math.min(e, MAX_SHIFT))}`;
    return `${sign}${text})`;
  }
  let text = `(${mant}*1.0`;
  for (let e = -exp; e > 0; e -= MAX_SHIFT) text += `/${powerOfTwo(Math.min(e, MAX_SHIFT))}`;
  return `${sign}${text})`;
}

/** 2^k as exact integer text (a JS number prints 2^62 rounded to 17 digits). */
const POWERS = Array.from({ length: MAX_SHIFT + 1 }, (_, k) => (1n << BigInt(k)).toString());
function powerOfTwo(k: number): string { return POWERS[k] as string; }

export function stringLiteral(s: string): string {
  if (s.includes('\0')) return `CAST(X'${Buffer.from(s, 'utf8').toString('hex')}' AS TEXT)`;
  return `'${s.replaceAll("'", "''")}'`;
}

export function sqlLiteral(v: SqlParam): string {
  if (v === null) return 'NULL';
  switch (typeof v) {
    case 'number': return doubleLiteral(v);
    case 'string': return stringLiteral(v);
    case 'bigint': return v.toString();
    default: return `X'${v.toString('hex')}'`;
  }
}
