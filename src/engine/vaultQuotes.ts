// The quotes a vault shows, from its committed state: pulled (size 0) when halted or stale.
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';
import type { Quote } from '../domain/quote.ts';
import { quoteBook } from '../domain/quoteBook.ts';

export function vaultQuotes(state: VaultStateName, ctx: VaultContext): Quote[] {
  if (!(ctx.spotUsd > 0)) return [];
  return quoteBook({
    series: ctx.book,
    spotUsd: ctx.spotUsd,
    nowMs: ctx.lastAt,
    ratePerYear: ctx.config.ratePerYear,
    netDeltaBtc: ctx.greeks.netBtc,
    bands: ctx.bands,
    quote: ctx.config.quote,
    halted: state === 'halted' || ctx.feedStale,
  });
}
