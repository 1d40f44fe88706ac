// The Deribit double itself: instruments (one expiry under a day away), takers drawn to quotes
// priced better than fair, post-only repricing without reject_post_only, a label resting twice
// counted, answer delays, and a restart that keeps the state.
import { afterEach, describe, expect, it } from 'vitest';
import { DeribitSession } from '../../../src/venues/deribit/deribitSession.ts';
import { parseInstruments } from '../../../src/venues/deribit/parseInstruments.ts';
import type { DeribitDouble } from '../../fixtures/deribit/server.ts';
import { configFor, seriesOf, startTestDouble } from '../../fixtures/deribit/harness.ts';

let double: DeribitDouble;
let session: DeribitSession | undefined;

afterEach(async () => {
  await session?.close();
  session = undefined;
  await double.close();
});

describe('Deribit double', () => {
  it('lists BTC options at several strikes and expiries (one under a day away) and a 10 USD perpetual', async () => {
    double = await startTestDouble();
    session = await DeribitSession.connect(configFor(double));
    const all = parseInstruments(await session.request('public/get_instruments', { currency: 'BTC' }, 'read'));
    const options = all.filter((i) => i.kind === 'option');
    expect(new Set(options.map((o) => o.strikeUsd)).size).toBe(5);
    const expiries = [...new Set(options.map((o) => o.expiryMs))].sort((a, b) => a - b);
    expect(expiries).toHaveLength(3);
    expect(expiries[0]! - Date.now()).toBeLessThan(86_400_000);
    expect(all.find((i) => i.perpetual)).toMatchObject({ name: 'BTC-PERPETUAL', contractSize: 10, inverse: true });
  });

  it('takers trade quotes priced better than fair more often', async () => {
    {
      const d = (double = await startTestDouble({ takers: { baseProb: 0.05, sizeContracts: 0.1, edgeSensitivityPerBp: 0.01 } }));
      const names = [...d.state.instruments.keys()];
      const a = seriesOf(names, 2, 30_000, 'C');
      const mark = d.book.markOf(d.book.instrument(a)).markPriceBtc;
      const tick = 0.0005;
      // A generous bid (3% above fair, under the rest of the market's ask) and a mean one (1% under fair).
      const generous = Math.floor((mark * 1.03) / tick) * tick;
      const mean = Math.floor((mark * 0.99) / tick) * tick;
      d.placeForAccount('buy', { instrument_name: a, amount: 100, price: Math.round(generous * 1e4) / 1e4, label: 'generous', post_only: true });
      d.placeForAccount('buy', { instrument_name: a, amount: 100, price: Math.round(mean * 1e4) / 1e4, label: 'mean', post_only: true });
      for (let i = 0; i < 300; i++) d.stepTakers();
      const filled = (label: string): number => d.state.trades.filter((t) => t.label === label).length;
      expect(filled('generous')).toBeGreaterThan(2 * filled('mean'));
      expect(filled('mean')).toBeGreaterThan(0);
    }
  });

  it('reprices a post-only order that would cross when reject_post_only is not set', async () => {
    double = await startTestDouble();
    const a = seriesOf([...double.state.instruments.keys()], 1, 30_000, 'C');
    const out = double.book.outside(double.book.instrument(a));
    const { order } = double.placeForAccount('buy', { instrument_name: a, amount: 1, price: Math.round((out.ask + 0.01) * 1e4) / 1e4, label: 'x', post_only: true });
    expect(out.ask).toBeGreaterThan(0.005); // ticks of 0.0005 there
    expect(order).toMatchObject({ order_state: 'open', price: Math.round((out.ask - 0.0005) * 1e8) / 1e8 });
  });

  it('counts an order booked under a label that already rests (a label resting twice), not one re-placed after a cancel', async () => {
    double = await startTestDouble();
    const a = seriesOf([...double.state.instruments.keys()], 1, 30_000, 'C');
    const bid = double.book.outside(double.book.instrument(a)).bid;
    const place = (): void => { double.placeForAccount('buy', { instrument_name: a, amount: 1, price: bid, label: 'v-q-bid', post_only: true }); };
    place();
    double.book.cancelWhere((o) => o.wire.label === 'v-q-bid', 'user_request');
    place();
    expect(double.state.labelCollisions.size).toBe(0);
    place();
    expect(Object.fromEntries(double.state.labelCollisions)).toEqual({ 'v-q-bid': 1 });
  });

  it('delays answers to matching-engine calls and keeps its state across a restart', async () => {
    double = await startTestDouble();
    session = await DeribitSession.connect(configFor(double));
    double.faults.answerDelayMs = 150;
    const t = Date.now();
    await session.request('private/buy', { instrument_name: 'BTC-PERPETUAL', amount: 100, price: 30_500, label: 'd-1', time_in_force: 'immediate_or_cancel' }, 'write');
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    double.faults.answerDelayMs = 0;
    await session.close();
    session = undefined;
    await double.restart();
    session = await DeribitSession.connect(configFor(double));
    const positions = await session.request('private/get_positions', { currency: 'BTC', kind: 'future' }, 'read');
    expect(positions).toMatchObject([{ instrument_name: 'BTC-PERPETUAL', size: 100 }]);
    expect(double.attempts('d-1')).toBe(1);
  });
});
