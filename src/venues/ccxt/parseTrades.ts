// Pure: an order's state from the venue's record of it and its trades. The trade history is
// the source of sizes, prices and fees (Hyperliquid's order lookups carry no average price);
// the record says whether the order is final. Until the history shows what the venue says
// traded, the order is not settled yet (`complete` false) and the caller reads again.
import type { Trade } from 'ccxt';
import type { OrderStatus, VenueFill } from '../hedgeVenue.ts';
import type { VenueOrderRecord } from './ccxtProfile.ts';
import { btcOf, type MarketSpec } from './contractMath.ts';

/** Fee currencies counted as USD. Anything else (e.g. BNB fee discounts) is refused, not guessed. */
const USD_LIKE = new Set(['USD', 'USDC', 'USDT', 'USDE']);

export function feeUsdOf(t: Trade): number {
  const cost = t.fee?.cost ?? 0;
  if (cost === 0) return 0;
  const cur = t.fee?.currency;
  if (cur !== undefined && !USD_LIKE.has(cur)) throw new Error(`trade ${t.id}: fee paid in ${cur}, not a USD stablecoin (turn off paying fees in ${cur})`);
  return cost;
}

/** Trades in a stable order (time, then id) so sums come out bit for bit the same every read. */
export function sortTrades(trades: readonly Trade[]): Trade[] {
  return [...trades].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0) || String(a.id).localeCompare(String(b.id)));
}

export function tradeBtc(t: Trade, spec: MarketSpec): number {
  return btcOf(t.amount ?? 0, spec, t.price ?? 0);
}

export function statusFromTrades(
  rec: VenueOrderRecord, trades: readonly Trade[], spec: MarketSpec, answeredContracts = 0,
): { status: OrderStatus; complete: boolean } {
  if (rec.phase === 'rejected') return { status: { status: 'rejected', reason: rec.reason ?? 'rejected', updatedAt: rec.statusAt }, complete: true };
  let contracts = 0;
  let btc = 0;
  let notional = 0;
  let feeUsd = 0;
  let lastAt = 0;
  for (const t of sortTrades(trades)) {
    const b = tradeBtc(t, spec);
    contracts += t.amount ?? 0;
    btc += b;
    notional += b * (t.price ?? 0);
    feeUsd += feeUsdOf(t);
    lastAt = Math.max(lastAt, t.timestamp ?? 0);
  }
  const traded = { filledBtc: btc, avgPriceUsd: btc > 0 ? notional / btc : 0, feeUsd, updatedAt: btc > 0 ? lastAt : rec.statusAt };
  const expected = Math.max(rec.filledContracts ?? 0, answeredContracts);
  const shown = contracts + spec.amountStep / 2 >= expected;
  if (rec.phase === 'open') return { status: { status: 'open', ...traded }, complete: false };
  return { status: { status: rec.phase, ...traded }, complete: shown };
}

export function fillOf(t: Trade, spec: MarketSpec, clientOrderId: string, market: string): VenueFill {
  return {
    clientOrderId, market, side: t.side === 'sell' ? 'sell' : 'buy', sizeBtc: tradeBtc(t, spec), priceUsd: t.price ?? 0,
    feeUsd: feeUsdOf(t), at: t.timestamp ?? 0, fillId: String(t.id),
  };
}
