// Time and number fields of price files and fills, parsed in place (s[a, b), no slicing on the
// common paths). Times are ISO 8601 (`YYYY-MM-DD`, optionally `[T ]HH:MM[:SS[.fff]]`, then `Z`,
// `±HH:MM`, `±HHMM`, `±HH` or nothing, which means UTC) or unix numbers whose unit is told by
// magnitude. Anything else is NaN, for the validator to refuse with a reason: a date string is
// never handed to Date.parse, which reads some forms in the machine's local time zone.

/** Converts a numeric timestamp of unknown unit to unix ms (s < 1e11 <= ms < 1e14 <= us < 1e17 <= ns). */
export function numericTimeToMs(n: number): number {
  const a = Math.abs(n);
  if (a < 1e11) return n * 1000;
  if (a < 1e14) return n;
  if (a < 1e17) return n / 1000;
  return n / 1e6;
}

/** Parses a time field to unix ms; ISO strings without an offset are taken as UTC. */
export function parseTimeMs(raw: string): number {
  return parseTimeIn(raw, 0, raw.length);
}

/** Number() that treats '' as NaN instead of 0. */
export function parseNumber(s: string | undefined): number {
  return s === undefined ? Number.NaN : parseNumberIn(s, 0, s.length);
}

function isSpace(c: number): boolean {
  return c <= 32;
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

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); NaN if the day does not exist. */
function daysFromCivil(y: number, m: number, d: number): number {
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (m < 1 || m > 12 || d < 1 || d > (m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] as number))) return Number.NaN;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** Minutes east of UTC of a zone suffix s[i, b): '' and 'Z' are 0; NaN if it is not a zone. */
function zoneMinutes(s: string, i: number, b: number): number {
  const rest = b - i;
  if (rest === 0) return 0;
  const c = s.charCodeAt(i);
  if (rest === 1 && c === 90) return 0;
  if (c !== 43 && c !== 45) return Number.NaN;
  const sign = c === 45 ? -1 : 1;
  const oh = digits(s, i + 1, 2);
  const om = rest === 3 ? 0 : rest === 5 ? digits(s, i + 3, 2) : rest === 6 && s.charCodeAt(i + 3) === 58 ? digits(s, i + 4, 2) : -1;
  if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
  return sign * (oh * 60 + om);
}

/** An ISO 8601 date-time in s[a, b) (trimmed), unix ms; NaN if it is not one. */
function parseIsoIn(s: string, a: number, b: number): number {
  const day = daysFromCivil(digits(s, a, 4), digits(s, a + 5, 2), digits(s, a + 8, 2));
  if (Number.isNaN(day)) return Number.NaN;
  let i = a + 10;
  let secondsOfDay = 0;
  let ms = 0;
  const sep = s.charCodeAt(i);
  if (i < b && (sep === 84 || sep === 32) && b - i >= 6 && s.charCodeAt(i + 3) === 58) {
    const h = digits(s, i + 1, 2);
    const mi = digits(s, i + 4, 2);
    let se = 0;
    i += 6;
    if (i + 3 <= b && s.charCodeAt(i) === 58) {
      se = digits(s, i + 1, 2);
      i += 3;
      if (i < b && s.charCodeAt(i) === 46) {
        let scale = 100;
        for (i++; i < b; i++) {
          const c = s.charCodeAt(i) - 48;
          if (c < 0 || c > 9) break;
          ms += c * scale;
          scale /= 10;
        }
      }
    }
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return Number.NaN;
    secondsOfDay = (h * 60 + mi) * 60 + se;
  }
  const offMin = zoneMinutes(s, i, b);
  if (Number.isNaN(offMin)) return Number.NaN;
  return day * 86_400_000 + secondsOfDay * 1000 + Math.round(ms) - offMin * 60_000;
}

/** parseTimeMs of s[a, b). */
export function parseTimeIn(s: string, a: number, b: number): number {
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  if (b - a >= 10 && s.charCodeAt(a + 4) === 45 && s.charCodeAt(a + 7) === 45) return parseIsoIn(s, a, b);
  const c0 = s.charCodeAt(a);
  if (b > a && ((c0 >= 48 && c0 <= 57) || c0 === 45)) {
    const n = parseNumberIn(s, a, b);
    if (Number.isFinite(n)) return numericTimeToMs(n);
  }
  return Number.NaN;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Number(s[a, b)) with '' as NaN. Fast path for plain decimals `[-]ddd[.ddd]`: the digits as
 * an integer m < 2^53 divided by 10^k (k <= 22, exact) is correctly rounded, i.e. exactly
 * what Number() returns. Anything else falls back to Number().
 */
export function parseNumberIn(s: string, a: number, b: number): number {
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
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
