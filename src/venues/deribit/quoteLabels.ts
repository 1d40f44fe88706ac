// Quote labels: `<vault>-<series>-<side>` (e.g. `alpha-BTC-27JUN25-60000-C-bid`), unique per
// vault, series and side, at most 64 characters (Deribit's limit). Deribit series names have
// four dash-separated parts, so a label is read from its end: side, then the series, and the
// rest is the vault id (which may itself contain dashes).
import type { QuoteSide } from '../optionsBook.ts';

export const MAX_LABEL_CHARS = 64;

export function quoteLabel(vaultId: string, instrument: string, side: QuoteSide): string {
  if (vaultId === '') throw new Error('a quote label needs a vault id');
  if (instrument.split('-').length !== 4) throw new Error(`series ${instrument} is not UNDERLYING-DMMMYY-STRIKE-C|P`);
  const label = `${vaultId}-${instrument}-${side}`;
  if (label.length > MAX_LABEL_CHARS) throw new Error(`quote label ${label} is longer than ${MAX_LABEL_CHARS} characters: shorten the vault id`);
  return label;
}

export function parseQuoteLabel(label: string): { vaultId: string; instrument: string; side: QuoteSide } | null {
  const parts = label.split('-');
  if (parts.length < 6) return null;
  const side = parts.at(-1);
  if (side !== 'bid' && side !== 'ask') return null;
  const series = parts.slice(-5, -1);
  if (!/^[CP]$/.test(series[3] ?? '') || !/^\d+[A-Z]{3}\d{2}$/.test(series[1] ?? '')) return null;
  const vaultId = parts.slice(0, -5).join('-');
  return vaultId === '' ? null : { vaultId, instrument: series.join('-'), side };
}
