import type { Trade } from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { VenueOrderRecord } from '../../../../src/venues/ccxt/ccxtProfile.ts';
import type { MarketSpec } from '../../../../src/venues/ccxt/contractMath.ts';
import { feeUsdOf, statusFromTrades } from '../../../../src/venues/ccxt/parseTrades.ts';

const spec: MarketSpec = { amountStep: 0.00001, priceStep: 1, contractSize: 1, linear: true, minAmount: 0, minNotionalUsd: 10 };
const rec = (over: Partial<VenueOrderRecord>): VenueOrderRecord => ({ orderId: '9', phase: 'filled', createdAt: 100, statusAt: 150, ...over });
const trade = (id: string, amount: number, price: number, fee: number, timestamp: number, currency = 'USDC'): Trade =>
  ({ id, order: '9', amount, price, timestamp, side: 'buy', fee: { cost: fee, currency } }) as unknown as Trade;

describe('statusFromTrades', () => {
  it('sums the trades of a final order: size, average price, fee, last trade time', () => {
    const r = statusFromTrades(rec({ filledContracts: 0.3 }), [trade('b', 0.2, 30_015, 2.7, 130), trade('a', 0.1, 30_300, 1.36, 120)], spec);
    expect(r.complete).toBe(true);
    expect(r.status).toEqual({ status: 'filled', filledBtc: 0.30000000000000004, avgPriceUsd: (0.1 * 30_300 + 0.2 * 30_015) / 0.30000000000000004, feeUsd: 1.36 + 2.7, updatedAt: 130 });
  });
  it('is not settled while the history shows less than the venue says traded', () => {
    expect(statusFromTrades(rec({ filledContracts: 0.3 }), [trade('a', 0.1, 30_300, 1.36, 120)], spec).complete).toBe(false);
    expect(statusFromTrades(rec({ phase: 'cancelled' }), [], spec, 0.1).complete).toBe(false);
  });
  it('a cancel with nothing traded takes the record\'s time; open orders are never complete', () => {
    expect(statusFromTrades(rec({ phase: 'cancelled', filledContracts: 0 }), [], spec)).toEqual({ status: { status: 'cancelled', filledBtc: 0, avgPriceUsd: 0, feeUsd: 0, updatedAt: 150 }, complete: true });
    expect(statusFromTrades(rec({ phase: 'open' }), [], spec).complete).toBe(false);
  });
  it('rejections carry the record\'s reason', () => {
    expect(statusFromTrades(rec({ phase: 'rejected', reason: 'hyperliquid order status tickRejected' }), [], spec).status)
      .toEqual({ status: 'rejected', reason: 'hyperliquid order status tickRejected', updatedAt: 150 });
  });
  it('refuses fees in a currency it cannot count as USD', () => {
    expect(() => feeUsdOf(trade('a', 0.1, 30_000, 0.001, 1, 'BNB'))).toThrow(/fee paid in BNB/);
  });
});
