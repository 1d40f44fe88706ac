// Why a transition happened, in words, for the journal and the dashboard timeline.
// Pure: reads the event and the context after it.
import type { ExpirySettled, HedgeOrder, SeriesVol, VaultContext, VaultEvent } from './vault.types.ts';

const f = (x: number, d = 3): string => x.toFixed(d);
const order = (o: HedgeOrder): string => `${o.side} ${f(o.sizeBtc, 4)} BTC (${o.clientOrderId})`;
/** The rest of the episode after the clip in flight, if any. */
const rest = (ctx: VaultContext): string => (ctx.planned ? `, ${f(Math.abs(ctx.planned.sizeBtc), 4)} BTC to follow in clips` : '');
/** Up to three series' vols as percentages, then how many more. */
const volList = (vols: readonly SeriesVol[]): string => {
  const shown = vols.slice(0, 3).map((v) => `${v.instrument} ${(v.volPerYear * 100).toFixed(2)}%`).join(', ');
  return vols.length > 3 ? `${shown} and ${vols.length - 3} more` : shown;
};
const settled = (ev: ExpirySettled): string => `expiry ${new Date(ev.expiryMs).toISOString()} settled at ${f(ev.settlementPriceUsd, 2)}`;

export function describeTransition(from: string, to: string, event: VaultEvent, ctx: VaultContext): string {
  const d = ctx.greeks.netBtc;
  const b = ctx.bands;
  if (from === to) {
    switch (event.type) {
      case 'price.tick': return `price ${f(event.priceUsd, 2)}, delta ${f(d)}`;
      case 'fill.received': return `fill ${event.fillId}: vault ${event.side}s ${event.qty} ${event.instrument} @ ${f(event.priceUsd, 2)}, delta ${f(d)}`;
      case 'hedge.filled': {
        const filled = `hedge ${event.clientOrderId} filled ${f(event.filledBtc, 4)} BTC @ ${f(event.avgPriceUsd, 2)}`;
        const next = ctx.inFlight;
        return next && next.clientOrderId !== event.clientOrderId ? `${filled}; next clip: ${order(next)}${rest(ctx)}` : filled;
      }
      case 'hedge.accepted': return `hedge ${event.clientOrderId} accepted`;
      case 'expiry.settled': return `${settled(event)}${ctx.planned ? `; offset planned: ${f(ctx.planned.sizeBtc, 4)} BTC` : ''}`;
      case 'feed.stale': return 'price feed stale: no new hedges, quotes pulled';
      case 'feed.recovered': return 'price feed recovered';
      case 'vol.marked': return `venue vols: ${volList(event.vols.filter((v) => ctx.book.some((l) => l.instrument === v.instrument)))}; delta ${f(d)}`;
      case 'mmp.triggered': return `MMP triggered: quotes frozen until ${new Date(ctx.quotesFrozenUntil).toISOString()}, hedging goes on`;
      case 'account.marked': return `account marked: equity ${f(event.equityBtc, 4)} BTC, perp ${f(event.perpUsd, 0)} USD, ${event.marksBtc.length} option marks; delta ${f(d)}`;
      default: return event.type;
    }
  }
  const o = ctx.inFlight;
  switch (to) {
    case 'hedging':
      if (!o) return `resume with a hedge in flight`;
      if (event.type === 'expiry.settled') return `${settled(event)}: offset the delta it removed: ${order(o)}${rest(ctx)}`;
      if (o.reason === 'expiry') return `expiry hedge (a planned settlement offset, or the glide's band crossing): ${order(o)}${rest(ctx)}`;
      if (o.reason === 'flatten') return `flatten: ${order(o)}${rest(ctx)}`;
      if (o.reason === 'emergency') return `|delta| ${f(Math.abs(d + (o.side === 'buy' ? -o.sizeBtc : o.sizeBtc)))} >= hard limit ${f(b.hardBtc)} during cooldown: ${order(o)}${rest(ctx)}`;
      if (o.reason === 'time') return `time-based hedge: ${order(o)}${rest(ctx)}`;
      if (o.reason === 'move') return `spot moved past the move trigger: ${order(o)}${rest(ctx)}`;
      return `|delta| ${f(Math.abs(d))} >= hedge band ${f(b.hedgeBtc)}: ${order(o)}${rest(ctx)}`;
    case 'cooldown':
      if (event.type === 'hedge.filled' && event.filledBtc > 0) return `hedge ${event.clientOrderId} done: ${f(event.filledBtc, 4)} BTC @ ${f(event.avgPriceUsd, 2)}, delta ${f(d)}; cooldown until ${ctx.cooldownUntil === null ? '-' : new Date(ctx.cooldownUntil).toISOString()}`;
      if (event.type === 'hedge.rejected' || event.type === 'hedge.failed') return `hedge ${event.clientOrderId} ${event.type === 'hedge.rejected' ? 'rejected' : 'failed'} (${event.reason}); failure ${ctx.consecutiveFailures}, retry after ${ctx.cooldownUntil === null ? '-' : new Date(ctx.cooldownUntil).toISOString()}`;
      return `hedge ended without a fill; failure ${ctx.consecutiveFailures}`;
    case 'halted':
      return `halted: ${ctx.haltReason ?? 'unknown'}`;
    case 'neutral':
      return `|delta| ${f(Math.abs(d))} <= re-entry band ${f(b.reentryBtc)}`;
    case 'overexposed':
      return `delta ${f(d)} > ${from === 'neutral' ? `quote band ${f(b.quoteBtc)}` : `re-entry band ${f(b.reentryBtc)}`}: skew quotes to sell delta`;
    case 'underexposed':
      return `delta ${f(d)} < ${from === 'neutral' ? `-quote band ${f(-b.quoteBtc)}` : `-re-entry band ${f(-b.reentryBtc)}`}: skew quotes to buy delta`;
    default:
      return `${from} -> ${to} on ${event.type}`;
  }
}
