// Deribit-style option names, e.g. `BTC-31MAR23-25000-C`: underlying, expiry date (day without
// a leading zero, as Deribit prints `BTC-3MAR23-...`), strike in USD, C or P. Expiry is 08:00
// UTC on that date; one contract is 1 unit of the underlying (1 BTC).

/** Same literal union as OptionKind in machines/vault.types.ts (the domain may not import it). */
export type OptionKind = 'call' | 'put';

export interface Instrument {
  underlying: string;
  /** Unix ms of expiry: 08:00 UTC on the expiry date. */
  expiryMs: number;
  strikeUsd: number;
  kind: OptionKind;
  /** Contract size in units of the underlying (BTC). */
  contractSize: 1;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const EXPIRY_HOUR_UTC = 8;

function fail(name: string, what: string): never {
  throw new Error(`bad instrument name '${name}': ${what}`);
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

function parseExpiry(name: string, text: string): number {
  const m = /^(\d{1,2})([A-Z]{3})(\d{2})$/.exec(text);
  if (!m) fail(name, `expiry '${text}' is not DMMMYY (e.g. 31MAR23)`);
  const [, dayText = '', monthText = '', yearText = ''] = m;
  if (dayText.length === 2 && dayText.startsWith('0')) fail(name, `expiry day '${dayText}' has a leading zero`);
  const month0 = (MONTHS as readonly string[]).indexOf(monthText);
  if (month0 < 0) fail(name, `bad month '${monthText}' (expected one of ${MONTHS.join(',')})`);
  const year = 2000 + Number(yearText);
  const day = Number(dayText);
  const maxDay = daysInMonth(year, month0);
  if (day < 1 || day > maxDay) fail(name, `day ${day} does not exist in ${monthText} ${year} (${maxDay} days)`);
  return Date.UTC(year, month0, day, EXPIRY_HOUR_UTC);
}

function parseStrike(name: string, text: string): number {
  // Deribit writes fractional strikes with a 'd' for the decimal point (0d625 = 0.625).
  if (!/^\d+(d\d+)?$/.test(text)) fail(name, `strike '${text}' is not a number`);
  const strike = Number(text.replace('d', '.'));
  if (!(strike > 0)) fail(name, `strike '${text}' must be positive`);
  return strike;
}

/** Parses an expiry code such as `31MAR23` (as in instrument names) to unix ms at 08:00 UTC; throws saying what is wrong. */
export function parseExpiryCode(code: string): number {
  return parseExpiry(code, code);
}

/** Parses `BTC-31MAR23-25000-C`; throws an Error saying what is wrong with a bad name. */
export function parseInstrument(name: string): Instrument {
  const parts = name.split('-');
  if (parts.length !== 4) {
    fail(name, `expected 4 dash-separated parts UNDERLYING-DMMMYY-STRIKE-C|P, got ${parts.length}`);
  }
  const [underlying = '', expiryText = '', strikeText = '', kindText = ''] = parts;
  if (!/^[A-Z][A-Z0-9_]*$/.test(underlying)) fail(name, `underlying '${underlying}' is missing or not upper-case`);
  if (expiryText === '') fail(name, 'expiry is missing');
  if (strikeText === '') fail(name, 'strike is missing');
  if (kindText !== 'C' && kindText !== 'P') fail(name, `option type '${kindText}' must be C or P`);
  return {
    underlying,
    expiryMs: parseExpiry(name, expiryText),
    strikeUsd: parseStrike(name, strikeText),
    kind: kindText === 'C' ? 'call' : 'put',
    contractSize: 1,
  };
}

/** Inverse of parseInstrument. The expiry must fall at 08:00 UTC. */
export function formatInstrument(inst: Pick<Instrument, 'underlying' | 'expiryMs' | 'strikeUsd' | 'kind'>): string {
  const d = new Date(inst.expiryMs);
  if (!Number.isFinite(inst.expiryMs) || d.getUTCHours() !== EXPIRY_HOUR_UTC || inst.expiryMs % 3_600_000 !== 0) {
    throw new Error(`expiryMs ${inst.expiryMs} is not 08:00 UTC on a date`);
  }
  const year = d.getUTCFullYear();
  if (year < 2000 || year > 2099) throw new Error(`expiry year ${year} outside 2000..2099`);
  if (!(inst.strikeUsd > 0) || !Number.isFinite(inst.strikeUsd)) throw new Error(`strikeUsd ${inst.strikeUsd} must be positive`);
  const strikeText = String(inst.strikeUsd);
  if (!/^\d+(\.\d+)?$/.test(strikeText)) throw new Error(`strikeUsd ${inst.strikeUsd} cannot be written as a plain decimal`);
  const month = MONTHS[d.getUTCMonth()] ?? '';
  const yy = String(year % 100).padStart(2, '0');
  const kind = inst.kind === 'call' ? 'C' : 'P';
  return `${inst.underlying}-${d.getUTCDate()}${month}${yy}-${strikeText.replace('.', 'd')}-${kind}`;
}
