// The quotes a vault shows, from its committed state: pulled (size 0) when halted or stale; none
// while market-maker protection froze them (until quotesFrozenUntil: the first event at or past
// it, in event time, brings them back) or while an inverse vault's delta awaits its first account
// mark (quotes skew by delta).
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';
import type { Quote } from '../domain/quote.ts';
import { quoteBook } from '../domain/quoteBook.ts';
import { seriesVol } from '../domain/volSurface.ts';

export function vaultQuotes(state: VaultStateName, ctx: VaultContext): Quote[] {
  if (!(ctx.spotUsd > 0)) return [];
  if (ctx.lastAt < ctx.quotesFrozenUntil) return [];
  if (ctx.config.account.kind === 'inverse' && ctx.accountMarks === null) return [];
  return quoteBook({
    // Each series at its vol on the vault's surface now (its own vol, its expiry's smile, or the flat vol).
    series: ctx.book.map((l) => ({ ...l, volPerYear: seriesVol(ctx.config.vol, l, ctx.spotUsd) })),
    spotUsd: ctx.spotUsd,
    nowMs: ctx.lastAt,
    ratePerYear: ctx.config.ratePerYear,
    netDeltaBtc: ctx.greeks.netBtc,
    bands: ctx.bands,
    quote: ctx.config.quote,
    halted: state === 'halted' || ctx.feedStale,
  });
}
