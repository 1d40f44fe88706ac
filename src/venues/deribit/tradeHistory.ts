// Reads the account's trades since a time over JSON-RPC (private/get_user_trades_by_currency),
// page by page, oldest first. Deribit serves the last 24 hours as "recent" and older trades
// only with historical: true (which leaves the recent ones out), so a cursor older than the
// recent window is read from both and merged. Pages start at the last timestamp seen
// (inclusive) and repeated trade ids are dropped.
import type { DeribitSession } from './deribitSession.ts';
import { parseTradesPage, type DeribitTrade } from './parseOrders.ts';
import type { InstrumentKind } from './wire/channels.ts';

/** Deribit keeps this long of trades without `historical` (24 h), less an hour of margin, ms. */
export const RECENT_TRADES_MS = 23 * 3_600_000;
const PAGE = 1_000;

export interface TradeQuery {
  currency: string;
  kind: InstrumentKind;
  /** Unix ms, inclusive. */
  fromMs: number;
  /** Wall clock, unix ms. */
  now: number;
}

/** Orders trades by time, then by numeric trade id (Deribit's BTC trade ids are increasing integers). */
export function compareTrades(a: DeribitTrade, b: DeribitTrade): number {
  if (a.at !== b.at) return a.at - b.at;
  const na = Number(a.tradeId), nb = Number(b.tradeId);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0;
}

async function pages(session: DeribitSession, q: TradeQuery, historical: boolean, fromMs: number): Promise<DeribitTrade[]> {
  const out = new Map<string, DeribitTrade>();
  let start = fromMs;
  for (;;) {
    const page = parseTradesPage(await session.request('private/get_user_trades_by_currency', {
      currency: q.currency, kind: q.kind, start_timestamp: start, count: PAGE, sorting: 'asc', historical,
    }, 'read'));
    let added = 0;
    for (const t of page.trades) if (!out.has(t.tradeId)) {
      out.set(t.tradeId, t);
      added++;
    }
    if (!page.hasMore) break;
    if (added === 0) throw new Error(`deribit trade history: more than ${PAGE} trades at ${start} ms; cannot page past them`);
    start = Math.max(...page.trades.map((t) => t.at));
  }
  return [...out.values()];
}

export async function tradesSince(session: DeribitSession, q: TradeQuery): Promise<DeribitTrade[]> {
  const recentFrom = q.now - RECENT_TRADES_MS;
  const all = new Map<string, DeribitTrade>();
  if (q.fromMs < recentFrom) for (const t of await pages(session, q, true, q.fromMs)) all.set(t.tradeId, t);
  for (const t of await pages(session, q, false, q.fromMs)) all.set(t.tradeId, t);
  return [...all.values()].filter((t) => t.at >= q.fromMs).sort(compareTrades);
}
