import { describe, expect, it } from 'vitest';
import { roundAmount, roundPrice, roundUsdToContracts, stepPrice, tickAt, ticksBetween } from '../../../../src/venues/deribit/instrumentMath.ts';

// Deribit BTC options: 0.0001 BTC ticks up to 0.005 BTC, 0.0005 above; min 0.1 contract.
const opt = { name: 'BTC-27JUN25-60000-C', tickSize: 0.0001, tickSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }], minTradeAmount: 0.1 };
const perp = { name: 'BTC-PERPETUAL', tickSize: 0.5, tickSteps: [], minTradeAmount: 10, contractSize: 10 };

describe('Deribit instrument grid', () => {
  it('picks the tick for the price from the steps', () => {
    expect(tickAt(opt, 0.0042)).toBe(0.0001);
    expect(tickAt(opt, 0.0051)).toBe(0.0005);
  });

  it('rounds bids down and asks up, without float noise', () => {
    expect(roundPrice(opt, 0.01234, 'down')).toBe(0.012);
    expect(roundPrice(opt, 0.01234, 'up')).toBe(0.0125);
    expect(roundPrice(opt, 0.00337, 'down')).toBe(0.0033);
    expect(roundPrice(opt, 0.0003, 'up')).toBe(0.0003); // 0.0003 / 0.0001 = 2.9999999999999996: on the grid
    expect(roundPrice(perp, 30_000.26, 'down')).toBe(30_000);
    expect(roundPrice(perp, 30_000.26, 'up')).toBe(30_000.5);
    expect(() => roundPrice(opt, 0, 'down')).toThrow(/positive/);
  });

  it('steps and counts whole ticks', () => {
    expect(stepPrice(opt, 0.0033, -1)).toBe(0.0032);
    expect(stepPrice(opt, 0.012, 1)).toBe(0.0125);
    expect(ticksBetween(opt, 0.012, 0.0135)).toBe(3);
  });

  it('rounds amounts down to 0.1 contracts and USD to whole 10-USD contracts', () => {
    expect(roundAmount(opt, 1.26, 'down')).toBe(1.2);
    expect(roundAmount(opt, 0.3, 'down')).toBe(0.3); // 2.9999999999999996 steps
    expect(roundAmount(opt, 0.04, 'down')).toBe(0);
    expect(roundUsdToContracts(perp, 15_004.9, 'nearest')).toBe(15_000);
    expect(roundUsdToContracts(perp, 15_005, 'nearest')).toBe(15_010);
  });
});
