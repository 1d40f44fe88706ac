// Quotes as effects from committed state, end to end (test/fixtures/deribit/quotingHarness.ts:
// the real engine and journal, the QuotePublisher, the real DeribitOptionsBook on the loopback
// Deribit double). Takers trade the quotes; the trades come back as fills, move the vault's
// delta, and the quotes skew and are amended. Halts, stale feeds and stops pull every quote; a
// new life on the same account converges to the committed quotes with no duplicate label.
// MMP: quotePublisherMmp.test.ts.
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../fixtures/deribit/harness.ts';
import { committed, endAll, endLife, live, open, priceOf, q, start, step, tick, V } from '../../fixtures/deribit/quotingHarness.ts';

afterEach(endAll);

describe('quote publisher on the Deribit double', () => {
  it('rests the committed quotes post-only with mmp and labels, skews them as takers move the delta, pulls them on a halt and at stop', async () => {
    const { C, P } = await start();
    await step(tick());
    const l = await live();
    const flat = { c: committed(C), p: committed(P) };
    expect(open()).toEqual([
      { label: `${V}-${C}-ask`, side: 'sell', price: expect.any(Number), amount: 2, postOnly: true, mmp: true },
      { label: `${V}-${C}-bid`, side: 'buy', price: expect.any(Number), amount: 2, postOnly: true, mmp: true },
      { label: `${V}-${P}-ask`, side: 'sell', price: expect.any(Number), amount: 2, postOnly: true, mmp: true },
      { label: `${V}-${P}-bid`, side: 'buy', price: expect.any(Number), amount: 2, postOnly: true, mmp: true },
    ]);
    // On the tick (0.0005 BTC above 0.005), never more aggressive than the committed price.
    const cBid = priceOf(`${V}-${C}-bid`);
    expect(cBid).toBeLessThanOrEqual(flat.c.bid);
    expect(flat.c.bid - cBid).toBeLessThan(0.0005);
    expect(priceOf(`${V}-${C}-ask`) - flat.c.ask).toBeLessThan(0.0005);
    expect(priceOf(`${V}-${C}-ask`)).toBeGreaterThanOrEqual(flat.c.ask);

    // A taker sells the vault 1.5 calls: the trade reaches the journal as a fill, delta goes long.
    const edits = q.double.calls('private/edit_by_label');
    q.double.takeByLabel(`${V}-${C}-bid`, 1.5);
    await waitFor('the trade booked as a fill', () => (q.engine.vault(V)?.context.fills ?? 0) === 1);
    await step();
    const ctx = q.engine.committedOf(V)!.context;
    expect(ctx.greeks.netBtc).toBeGreaterThan(0.5);
    expect((await q.store.fillsOf(V)).map((f) => f.fillId)).toHaveLength(1);
    // Long delta: the delta-reducing sides (sell calls, buy puts) lean better than fair for a
    // taker; the delta-adding sides (buy calls, sell puts) shrink.
    const long = { c: committed(C), p: committed(P) };
    expect(long.c.ask).toBeLessThan(long.c.fair);
    expect(long.p.bid).toBeGreaterThan(long.p.fair);
    expect(q.double.calls('private/edit_by_label')).toBeGreaterThan(edits);
    const now1 = Object.fromEntries(open().map((o) => [o.label, o]));
    expect(now1[`${V}-${C}-ask`]!.price).toBeLessThan(flat.c.fair);
    expect(now1[`${V}-${C}-ask`]!.price).toBeGreaterThanOrEqual(long.c.ask);
    expect(now1[`${V}-${P}-bid`]!.price).toBeLessThanOrEqual(long.p.bid);
    expect(now1[`${V}-${P}-bid`]!.price - flat.p.fair).toBeGreaterThan(-0.0005);
    expect(now1[`${V}-${C}-bid`]!.amount).toBeLessThan(2); // the adding side shrank (0.5 left of the first and 2 x (1 - x) asked)
    expect(now1[`${V}-${P}-bid`]!.amount).toBe(2);
    const view = l.publisher.view(V)!;
    expect(view.resting.map((r) => r.label).sort()).toEqual(open().map((o) => o.label));
    expect(view.wanted).toHaveLength(4);

    // A halt pulls everything (one cancel-all); a resume brings the committed quotes back.
    const cancels = q.double.calls('private/cancel_all_by_currency');
    await step({ type: 'control.pause', at: ++q.now, reason: 'test' });
    expect(q.engine.committedOf(V)!.state).toBe('halted');
    expect(open()).toEqual([]);
    expect(q.double.calls('private/cancel_all_by_currency')).toBe(cancels + 1);
    await step({ type: 'control.resume', at: ++q.now }, tick());
    expect(open().map((o) => o.label)).toEqual([`${V}-${C}-ask`, `${V}-${C}-bid`, `${V}-${P}-ask`, `${V}-${P}-bid`]);

    // Stop pulls them before the session closes.
    await endLife(l, true);
    expect(open()).toEqual([]);
  });

  it('a stale feed pulls the quotes; fresh prices put the committed ones back', async () => {
    const { C } = await start();
    await step(tick());
    await live();
    expect(open()).toHaveLength(4);
    await step({ type: 'feed.stale', at: ++q.now });
    expect(q.engine.committedOf(V)!.context.feedStale).toBe(true);
    expect(open()).toEqual([]);
    q.double.setIndex(30_150);
    await step({ type: 'feed.recovered', at: ++q.now }, tick(30_150));
    const c = committed(C);
    expect(open()).toHaveLength(4);
    const bid = priceOf(`${V}-${C}-bid`);
    expect(bid).toBeLessThanOrEqual(c.bid);
    expect(c.bid - bid).toBeLessThan(0.0005);
  });

  it('quotes cancelled on a disconnect come back after the reconnect without any commit (the periodic resync)', async () => {
    await start();
    await step(tick());
    const l = await live();
    expect(open()).toHaveLength(4);
    const back = firstValueFrom(l.session.reconnected());
    q.double.dropConnections();
    await waitFor('cancel-on-disconnect', () => q.double.openOrders().length === 0);
    await back;
    await waitFor('the committed quotes resting again', () => q.double.openOrders().length === 4);
    expect(new Set(open().map((o) => o.label)).size).toBe(4);
  });

  it('after a crash, a new life on the account brings the resting quotes to the committed set, no duplicate label', async () => {
    const { C, P } = await start();
    await step(tick());
    const first = await live({ cancelOnDisconnect: false });
    expect(open()).toHaveLength(4);
    // The process dies without pulling (no cancel-on-disconnect on this account); meanwhile a
    // duplicate of one label appears (a place whose answer was lost, say), and committed state
    // moves on (spot up 0.5%: every price changes).
    await endLife(first, false);
    q.double.placeForAccount('sell', { instrument_name: C, amount: 1, price: 0.05, label: `${V}-${C}-ask`, post_only: true });
    expect(q.double.openOrders()).toHaveLength(5);
    q.double.setIndex(30_150);
    await step(tick(30_150));
    expect(q.double.openOrders()).toHaveLength(5); // nobody publishes between lives
    const second = await live();
    const labels = q.double.openOrders().map((o) => o.label);
    expect(labels.sort()).toEqual([`${V}-${C}-ask`, `${V}-${C}-bid`, `${V}-${P}-ask`, `${V}-${P}-bid`]);
    for (const instrument of [C, P]) {
      const want = committed(instrument);
      const bid = priceOf(`${V}-${instrument}-bid`);
      const ask = priceOf(`${V}-${instrument}-ask`);
      expect(want.bid - bid).toBeGreaterThanOrEqual(-1e-12);
      expect(want.bid - bid).toBeLessThan(0.0005);
      expect(ask - want.ask).toBeGreaterThanOrEqual(-1e-12);
      expect(ask - want.ask).toBeLessThan(0.0005);
    }
    expect(second.publisher.view(V)!.resting).toHaveLength(4);
  });

  it('the double\'s seeded takers trade the resting quotes: each trade is ours, on the account, and booked once as a fill', async () => {
    await start();
    await step(tick());
    await live();
    // Takers only trade resting orders, and these quotes are 200 bp worse than fair for them
    // (about 0.027 a draw, 4 draws a step): 50 steps once drew no trade in the full suite (order
    // ids, hence the draws, depend on how often quotes were amended). Up to 500 steps: the
    // chance of none is below 1e-20.
    await waitFor('the quotes resting', () => q.double.openOrders().length === 4);
    const trades = [];
    for (let i = 0; i < 500 && trades.length === 0; i++) trades.push(...q.double.stepTakers());
    expect(trades.length).toBeGreaterThan(0);
    for (const t of trades) expect(t.label).toMatch(new RegExp(`^${V}-BTC-.*-(bid|ask)$`));
    await waitFor('the trades booked as fills', () => (q.engine.vault(V)?.context.fills ?? 0) === trades.length);
    await step();
    expect((await q.store.fillsOf(V)).map((f) => f.fillId).sort()).toEqual(trades.map((t) => t.trade_id).sort());
  });
});
