// Shared parsing of numeric CLI options: strict decimal syntax (no '', '0x10', '1_000'), range
// checks, and one-line CliError reasons naming the flag, so every subcommand fails the same way.
import { MAX_VOL_PER_YEAR } from '../domain/volMarks.ts';
import { CliError } from './cliError.ts';

export interface NumberRule {
  /** Inclusive lower bound unless `exclusiveMin`. */
  min?: number;
  exclusiveMin?: boolean;
  /** Inclusive upper bound. */
  max?: number;
  integer?: boolean;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function describe(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(rule.exclusiveMin ? `> ${rule.min}` : `>= ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return parts.join(' and ');
}

/** Parses `raw` as the value of `--flag`; throws CliError on a missing, malformed or out-of-range value. */
export function parseNumberOption(flag: string, raw: unknown, rule: NumberRule = {}): number {
  if (raw === undefined || raw === null) throw new CliError(`missing --${flag}`);
  if (typeof raw !== 'string' && typeof raw !== 'number') throw new CliError(`--${flag} must be a number`);
  const text = String(raw).trim();
  if (!DECIMAL.test(text)) throw new CliError(`--${flag} must be a number, got '${String(raw)}'`);
  const value = Number(text);
  if (!Number.isFinite(value)) throw new CliError(`--${flag} is out of range, got '${text}'`);
  if (rule.integer && !Number.isInteger(value)) throw new CliError(`--${flag} must be an integer, got ${text}`);
  const tooLow = rule.min !== undefined && (rule.exclusiveMin ? value <= rule.min : value < rule.min);
  const tooHigh = rule.max !== undefined && value > rule.max;
  if (tooLow || tooHigh) throw new CliError(`--${flag} must be ${describe(rule)}, got ${text}`);
  return value;
}

/** Like parseNumberOption, but an absent option yields `fallback`. */
export function parseOptionalNumber(flag: string, raw: unknown, fallback: number, rule: NumberRule = {}): number {
  return raw === undefined ? fallback : parseNumberOption(flag, raw, rule);
}

/** Parses an option restricted to a fixed set of words (e.g. --type call|put). */
export function parseChoice<T extends string>(flag: string, raw: unknown, choices: readonly T[]): T {
  if (raw === undefined || raw === null) throw new CliError(`missing --${flag} (${choices.join('|')})`);
  const found = choices.find((c) => c === raw);
  if (found === undefined) throw new CliError(`--${flag} must be one of ${choices.join('|')}, got '${typeof raw === 'string' ? raw : typeof raw}'`);
  return found;
}

// Above MAX_VOL_PER_YEAR an annualised vol (a decimal: 0.6 = 60% a year) is implausible for BTC
// options; commands refuse it or warn, and the vault refuses such a venue mark (one constant).
export { MAX_VOL_PER_YEAR };

/** "6000%" for 60: a vol as a whole percentage a year. */
export function volPercent(vol: number): string {
  return `${Math.round(vol * 100)}%`;
}

/** Parses an annualised vol option; a value above MAX_VOL_PER_YEAR is refused with the likely mistake named. */
export function parseVolOption(flag: string, raw: unknown, rule: NumberRule = { min: 0 }): number {
  const vol = parseNumberOption(flag, raw, rule);
  if (vol > MAX_VOL_PER_YEAR) {
    throw new CliError(`--${flag} ${String(raw).trim()} is ${volPercent(vol)} a year, above the ${volPercent(MAX_VOL_PER_YEAR)} accepted: vol is a decimal (0.6 = 60%)`);
  }
  return vol;
}
