// Hyperliquid's answers, with payloads copied from its API docs (info endpoint: orderStatus,
// userFills, clearinghouseState; exchange endpoint: order statuses), through the pure parsers.
import { describe, expect, it } from 'vitest';
import { hyperliquidFundingPaid, hyperliquidPlaceAnswer, hyperliquidPriceStep, hyperliquidRecord } from '../../../../src/venues/ccxt/parseHyperliquid.ts';
import { hyperliquidCloid, hyperliquidProfile } from '../../../../src/venues/ccxt/hyperliquidProfile.ts';

const docOrder = (status: string) => ({
  order: {
    coin: 'ETH', side: 'A', limitPx: '2412.7', sz: '0.0', oid: 1, timestamp: 1724361546645, triggerCondition: 'N/A', isTrigger: false,
    triggerPx: '0.0', children: [], isPositionTpsl: false, reduceOnly: true, orderType: 'Market', origSz: '0.0076', tif: 'FrontendMarket',
    cloid: null,
  },
  status, statusTimestamp: 1724361546645,
});

describe('hyperliquidRecord (orderStatus)', () => {
  it('reads a filled order: its size traded, its times', () => {
    expect(hyperliquidRecord(docOrder('filled'))).toEqual({ orderId: '1', phase: 'filled', filledContracts: 0.0076, createdAt: 1724361546645, statusAt: 1724361546645 });
  });
  it('an IOC that matched nothing is a cancel with nothing traded; other cancels are cancels', () => {
    expect(hyperliquidRecord(docOrder('iocCancelRejected'))).toMatchObject({ phase: 'cancelled', filledContracts: 0 });
    expect(hyperliquidRecord(docOrder('canceled')).phase).toBe('cancelled');
    expect(hyperliquidRecord(docOrder('marginCanceled')).phase).toBe('cancelled');
  });
  it('rejections carry the status as the reason; open orders are open', () => {
    expect(hyperliquidRecord(docOrder('minTradeNtlRejected'))).toMatchObject({ phase: 'rejected', reason: 'hyperliquid order status minTradeNtlRejected' });
    expect(hyperliquidRecord(docOrder('open')).phase).toBe('open');
  });
  it('refuses a status it does not know rather than guessing', () => {
    expect(() => hyperliquidRecord(docOrder('somethingNew'))).toThrow(/unknown order status "somethingNew"/);
  });
});

describe('hyperliquidPlaceAnswer (order action statuses)', () => {
  it('reads filled and resting entries', () => {
    expect(hyperliquidPlaceAnswer({ filled: { totalSz: '0.02', avgPx: '1891.4', oid: 77738308 } })).toEqual({ orderId: '77738308', filledContracts: 0.02, noMatch: false });
    expect(hyperliquidPlaceAnswer({ resting: { oid: 77738308 } })).toEqual({ orderId: '77738308', filledContracts: 0, noMatch: false });
  });
});

describe('hyperliquidPriceStep: 5 significant figures, 6 - szDecimals decimals, integers always valid', () => {
  it.each([[30_000, 5, 1], [123_456, 5, 1], [9_999.5, 5, 0.1], [1_234.5, 2, 0.1], [1.2345, 2, 0.0001], [0.012345, 0, 1e-6]])('at %f with szDecimals %i: %f', (px, sz, step) => {
    expect(hyperliquidPriceStep(px, sz)).toBeCloseTo(step, 12);
  });
  it('rounds a buy limit down and a sell limit up onto the grid', () => {
    const market = { precision: { amount: 0.00001, price: 1 } } as Parameters<typeof hyperliquidProfile.limitPrice>[0];
    expect(hyperliquidProfile.limitPrice(market, 30_600.9, 'buy')).toBe('30600');
    expect(hyperliquidProfile.limitPrice(market, 29_399.1, 'sell')).toBe('29400');
    expect(hyperliquidProfile.limitPrice(market, 9_999.96, 'sell')).toBe('10000.0');
  });
});

describe('hyperliquid client ids and funding', () => {
  it('derives a 128-bit cloid deterministically from <vault>-<hedgeSeq>', () => {
    const a = hyperliquidCloid('alpha-7');
    expect(a).toMatch(/^0x[0-9a-f]{32}$/);
    expect(hyperliquidCloid('alpha-7')).toBe(a);
    expect(hyperliquidCloid('alpha-8')).not.toBe(a);
  });
  it('reads funding since open from a clearinghouseState position', () => {
    expect(hyperliquidFundingPaid({ type: 'oneWay', position: { coin: 'ETH', szi: '0.0335', cumFunding: { allTime: '514.085417', sinceChange: '0.0', sinceOpen: '0.12' } } })).toBe(0.12);
    expect(hyperliquidFundingPaid({})).toBe(0);
  });
  it('recognises the IOC no-match text of the docs', () => {
    expect(hyperliquidProfile.isNoMatch('Order could not immediately match against any resting orders. asset=0')).toBe(true);
    expect(hyperliquidProfile.isNoMatch('Order must have minimum value of $10. asset=0')).toBe(false);
  });
});
