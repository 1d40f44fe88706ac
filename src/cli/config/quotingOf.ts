// How the vaults' quotes rest on an options book (one per venue account): the amend thresholds
// the book opens with and the market-maker protection the quote publisher sets at start. Both
// are account-wide on Deribit (MMP is per index), so every vault on the book must agree.
import type { MmpSettings } from '../../venues/optionsBook.ts';
import { CliError } from '../cliError.ts';
import type { RunConfig } from './configSchema.ts';

export interface BookQuoting {
  /** DeribitOptionsBook.open options. */
  amendTicks: number;
  amendSizeShare: number;
  /** Null: MMP disabled in the config (the account's settings are left alone). */
  mmp: MmpSettings | null;
}

/** The book's own defaults (DeribitOptionsBook): amend on any tick, or 10% of the size. */
export const QUOTING_DEFAULTS = { amendTicks: 0, amendSizeShare: 0.1 } as const;
/** Without a limit in the config: MMP trips once this many times the base size trades within the interval. */
export const MMP_QUANTITY_BASE_SIZES = 5;

/** Deribit's label limit, characters; a quote label is `<vault>-<series>-<side>`. */
const MAX_LABEL_CHARS = 64;

export function quotingOf(cfg: RunConfig): BookQuoting {
  for (const v of cfg.vaults) {
    const longest = v.book.reduce((a, b) => (b.instrument.length > a.length ? b.instrument : a), '');
    const label = `${v.id}-${longest}-bid`;
    if (label.length > MAX_LABEL_CHARS) throw new CliError(`invalid config: vault id ${v.id} is too long to label its quotes (${label} is ${label.length} characters, Deribit allows ${MAX_LABEL_CHARS}): shorten the vault id`);
  }
  const each = cfg.vaults.map((v) => ({ id: v.id, q: vaultQuoting(v.quote) }));
  const first = each[0]!;
  for (const e of each.slice(1)) {
    if (JSON.stringify(e.q) !== JSON.stringify(first.q)) {
      throw new CliError(`invalid config: vaults ${first.id} and ${e.id} share the options account but differ in quote.amendTicks, quote.amendSizeShare or quote.mmp (account-wide settings): ${JSON.stringify(first.q)} vs ${JSON.stringify(e.q)}`);
    }
  }
  return first.q;
}

function vaultQuoting(q: RunConfig['vaults'][number]['quote']): BookQuoting {
  const m = q.mmp ?? { enabled: true, intervalSec: 5, frozenTimeSec: 30 };
  const limits = m.quantityLimit === undefined && m.deltaLimit === undefined
    ? { quantityLimitContracts: MMP_QUANTITY_BASE_SIZES * q.baseSizeContracts }
    : { ...(m.quantityLimit !== undefined ? { quantityLimitContracts: m.quantityLimit } : {}), ...(m.deltaLimit !== undefined ? { deltaLimitBtc: m.deltaLimit } : {}) };
  return {
    amendTicks: q.amendTicks ?? QUOTING_DEFAULTS.amendTicks,
    amendSizeShare: q.amendSizeShare ?? QUOTING_DEFAULTS.amendSizeShare,
    mmp: m.enabled ? { intervalSec: m.intervalSec, frozenTimeSec: m.frozenTimeSec, ...limits } : null,
  };
}
