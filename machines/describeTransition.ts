// Why a transition happened, in words, for the journal and the dashboard timeline.
// Pure: reads the event and the context after it.
import type { VaultContext, VaultEvent } from './vault.types.ts';

const f = (x: number, d = 3): string => x.toFixed(d);

export function describeTransition(from: string, to: string, event: VaultEvent, ctx: VaultContext): string {
  const d = ctx.greeks.netBtc;
  const b = ctx.bands;
  if (from === to) {
    switch (event.type) {
      case 'price.tick': return `price ${f(event.priceUsd, 2)}, delta ${f(d)}`;
      case 'fill.received': return `fill ${event.fillId}: vault ${event.side}s ${event.qty} ${event.instrument} @ ${f(event.priceUsd, 2)}, delta ${f(d)}`;
      case 'hedge.filled': return `hedge ${event.clientOrderId} filled ${f(event.filledBtc, 4)} BTC @ ${f(event.avgPriceUsd, 2)}`;
      case 'hedge.accepted': return `hedge ${event.clientOrderId} accepted`;
      case 'expiry.settled': return `expiry ${new Date(event.expiryMs).toISOString()} settled at ${f(event.settlementPriceUsd, 2)}`;
      case 'feed.stale': return 'price feed stale: no new hedges, quotes pulled';
      case 'feed.recovered': return 'price feed recovered';
      default: return event.type;
    }
  }
  const o = ctx.inFlight;
  switch (to) {
    case 'hedging':
      if (!o) return `resume with a hedge in flight`;
      if (o.reason === 'flatten') return `flatten: ${o.side} ${f(o.sizeBtc, 4)} BTC (${o.clientOrderId})`;
      if (o.reason === 'emergency') return `|delta| ${f(Math.abs(d + (o.side === 'buy' ? -o.sizeBtc : o.sizeBtc)))} >= hard limit ${f(b.hardBtc)} during cooldown: ${o.side} ${f(o.sizeBtc, 4)} BTC (${o.clientOrderId})`;
      if (o.reason === 'time') return `time-based hedge: ${o.side} ${f(o.sizeBtc, 4)} BTC (${o.clientOrderId})`;
      if (o.reason === 'move') return `spot moved past the move trigger: ${o.side} ${f(o.sizeBtc, 4)} BTC (${o.clientOrderId})`;
      return `|delta| ${f(Math.abs(d))} >= hedge band ${f(b.hedgeBtc)}: ${o.side} ${f(o.sizeBtc, 4)} BTC (${o.clientOrderId})`;
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
