// The accumulator's figures on a hand-made sequence: one hedge, one option sale, two steps.
import { describe, expect, it } from 'vitest';
import { initialContext } from '../../../machines/vault.reducers.ts';
import type { VaultContext } from '../../../machines/vault.types.ts';
import { bookValueUsd } from '../../../src/domain/bookValue.ts';
import { VaultAccumulator } from '../../../src/engine/backtest/vaultAccumulator.ts';
import { leg, shortCallVault, T0 } from '../../fixtures/vaults.ts';

const HOUR = 3_600_000;

describe('VaultAccumulator', () => {
  const input = shortCallVault();
  const base = initialContext(input);
  const withBook = (over: Partial<VaultContext>): VaultContext => ({ ...base, ...over, greeks: { ...base.greeks, ...over.greeks }, bands: { ...base.bands, ...over.bands } });

  it('books fees, slippage against the trigger spot, and splits PnL into option and hedge parts', () => {
    const acc = new VaultAccumulator('v1', { cashUsd: 0, perpBtc: 0, book: input.book, ratePerYear: 0, vol: input.config.vol }, { ratePerHour: 0.0001, intervalMs: HOUR });
    acc.onStep('neutral', withBook({ greeks: { ...base.greeks, netBtc: -5 } }), T0, 20_000, 20_000, { hour: true, chart: true });
    acc.onEvent({ kind: 'hedge', vaultId: 'v1', clientOrderId: 'v1-1', at: T0, side: 'buy', sizeBtc: 1, filledBtc: 0, avgPriceUsd: 0, feeUsd: 0, status: 'pending', triggerPriceUsd: 20_000, latencyMs: null });
    acc.onEvent({ kind: 'hedge', vaultId: 'v1', clientOrderId: 'v1-1', at: T0 + 30, side: 'buy', sizeBtc: 1, filledBtc: 1, avgPriceUsd: 20_010, feeUsd: 10.005, status: 'filled', triggerPriceUsd: 20_000, latencyMs: 1 });
    // The vault also sold one more call for 500 USD: the book grows, cash holds premium, hedge cash and fee.
    const book = [...input.book, leg('BTC-31MAR23-25000-C', -1)];
    const ctx = withBook({ book, perpBtc: 1, cashUsd: 500 - 20_010 - 10.005, greeks: { ...base.greeks, netBtc: 3 }, bands: { ...base.bands, hedgeBtc: 2 } });
    acc.onStep('cooldown', ctx, T0 + HOUR, 20_100, 20_000, { hour: true, chart: true });
    const m = acc.finish('cooldown', ctx, T0 + 2 * HOUR, 20_100, 2 * HOUR);
    expect(m.hedgeCount).toBe(1);
    expect(m.tradedNotionalUsd).toBeCloseTo(20_010, 9);
    expect(m.feesBps).toBeCloseTo(5, 9);
    expect(m.slippageUsd).toBeCloseTo(10, 9);
    expect(m.slippageBps).toBeCloseTo(5, 9);
    // Held 1 BTC long over the boundaries T0+1h and T0+2h at 20,100 USD.
    expect(m.fundingUsd).toBeCloseTo(2 * 20_100 * 0.0001, 9);
    expect(m.pnl.optionCashUsd).toBeCloseTo(500, 6);
    expect(m.pnl.perpMarkToMarketUsd).toBeCloseTo(20_100, 6);
    expect(m.pnl.hedgeUsd).toBeCloseTo(20_100 - 20_010 - 10.005 - m.fundingUsd, 6);
    const bookChange = bookValueUsd(book, 20_100, T0 + 2 * HOUR, 0, input.config.vol) - bookValueUsd(input.book, 20_000, T0, 0, input.config.vol);
    expect(m.pnl.bookMarkChangeUsd).toBeCloseTo(bookChange, 6);
    expect(m.pnl.totalUsd).toBeCloseTo(m.pnl.optionUsd + m.pnl.hedgeUsd, 9);
    // The first interval starts at |delta| 5 > band 3: outside. The interval after the last step is
    // not counted (no later tick closes it).
    expect(base.bands.hedgeBtc).toBe(3);
    expect(m.timeOutsideBandMs).toBe(HOUR);
    expect(m.timeOutsideBandFraction).toBeCloseTo(0.5, 12);
    expect(m.timeInStateMs).toEqual({ neutral: HOUR });
    expect(m.maxAbsDeltaBtc).toBe(5);
    expect(acc.series.hedges).toHaveLength(1);
    expect(acc.series.hedges[0]).toMatchObject({ side: 'buy', filledBtc: 1, triggerPriceUsd: 20_000, avgPriceUsd: 20_010 });
    expect(acc.series.t).toEqual([T0, T0 + HOUR]);
  });

  it('times |delta| over the hard limit from committed states and step ends; the longest run and the largest |delta| with no hedge in flight', () => {
    const acc = new VaultAccumulator('v1', { cashUsd: 0, perpBtc: 0, book: input.book, ratePerYear: 0, vol: input.config.vol }, { ratePerHour: 0, intervalMs: HOUR });
    const order = { clientOrderId: 'v1-1', side: 'buy' as const, sizeBtc: 5, limitPriceUsd: 1, createdAt: 0, reason: 'band' as const, accepted: false, filledBtc: 0, avgPriceUsd: 0, feeUsd: 0 };
    const at = (t: number, netBtc: number, inFlight: typeof order | null = null): VaultContext =>
      withBook({ lastAt: t, inFlight, greeks: { ...base.greeks, netBtc } });
    const committed = (ctx: VaultContext): void => acc.onEvent({ kind: 'committed', vaultId: 'v1', state: 'hedging', context: ctx, seq: 1 });
    const step = (ctx: VaultContext): void => { acc.onStep('neutral', ctx, ctx.lastAt, 20_000, 20_000, { hour: false, chart: false }); };
    // hard limit 6: a breach of 9 decided at T0 (order in flight), two clips answering it within 40 ms.
    step(at(T0 - 60_000, 1));
    committed(at(T0, 9, order));
    committed(at(T0 + 20, 6.5, order));
    committed(at(T0 + 40, 0.5));
    step(at(T0 + 40, 0.5));
    // A breach nobody answers (a retry backoff, say) lasts until a later state is under the limit.
    step(at(T0 + 60_000, 7));
    step(at(T0 + 120_000, 7.5));
    step(at(T0 + 180_000, 2));
    // An older committed state arriving after a newer step is not a new observation.
    committed(at(T0 + 100_000, 50, order));
    const m = acc.finish('neutral', at(T0 + 240_000, 2), T0 + 240_000, 20_000, 300_000);
    expect(m.timeOverHardLimitMs).toBe(40 + 120_000);
    expect(m.longestOverHardLimitMs).toBe(120_000);
    expect(m.maxAbsDeltaOutsideHedgesBtc).toBe(7.5);
  });
});
