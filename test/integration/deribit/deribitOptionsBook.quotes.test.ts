// DeribitOptionsBook quotes against the loopback double: placed, kept, amended, cancelled;
// post-only rejects repriced once; a restart brings the venue to the desired set; a lost
// answer looked up, not resent; cancel-on-disconnect; MMP; rate limits and the credit budget.
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { DeribitOptionsBook } from '../../../src/venues/deribit/deribitOptionsBook.ts';
import { DeribitSession } from '../../../src/venues/deribit/deribitSession.ts';
import type { DeribitConfigInput } from '../../../src/venues/deribit/config.ts';
import type { DesiredQuote } from '../../../src/venues/optionsBook.ts';
import type { DeribitDouble, DeribitDoubleOptions } from '../../fixtures/deribit/server.ts';
import { configFor, seriesOf, startTestDouble, waitFor } from '../../fixtures/deribit/harness.ts';

let double: DeribitDouble;
const open: { session: DeribitSession; book: DeribitOptionsBook }[] = [];
let A = ''; // about 7-day ATM call: mark ~0.033-0.036 BTC, the rest of the market 5% either side
let B = ''; // 7-day 33,000 call

async function start(o: DeribitDoubleOptions = {}, cfg: Partial<DeribitConfigInput> = {}): Promise<DeribitOptionsBook> {
  double = await startTestDouble(o);
  return connect(cfg);
}

async function connect(cfg: Partial<DeribitConfigInput> = {}): Promise<DeribitOptionsBook> {
  const session = await DeribitSession.connect(configFor(double, cfg));
  const book = await DeribitOptionsBook.open(session);
  open.push({ session, book });
  const names = book.series().map((s) => s.instrument);
  A = seriesOf(names, 1, 30_000, 'C');
  B = seriesOf(names, 1, 33_000, 'C');
  return book;
}

const q = (instrument: string, side: 'bid' | 'ask', priceBtc: number, amountContracts: number): DesiredQuote => ({ instrument, side, priceBtc, amountContracts });
const orderCalls = (): number => double.calls('private/buy') + double.calls('private/sell') + double.calls('private/edit_by_label') + double.calls('private/cancel_by_label');

afterEach(async () => {
  for (const { book, session } of open.splice(0)) {
    await book.close();
    await session.close();
  }
  await double.close();
});

describe('DeribitOptionsBook quotes', () => {
  it('places post-only mmp quotes, keeps them, amends past the thresholds, cancels at size 0', async () => {
    const book = await start();
    const r1 = await book.syncQuotes('alpha', [q(A, 'bid', 0.03012, 1), q(A, 'ask', 0.03691, 1.05)], 1);
    expect(r1.actions.map((a) => [a.label, a.kind, a.priceBtc, a.amountContracts])).toEqual([
      [`alpha-${A}-bid`, 'placed', 0.03, 1], [`alpha-${A}-ask`, 'placed', 0.037, 1],
    ]);
    expect(double.openOrders().map((o) => [o.label, o.direction, o.price, o.amount, o.post_only, o.mmp, o.time_in_force])).toEqual([
      [`alpha-${A}-bid`, 'buy', 0.03, 1, true, true, 'good_til_cancelled'], [`alpha-${A}-ask`, 'sell', 0.037, 1, true, true, 'good_til_cancelled'],
    ]);
    const calls = orderCalls();
    expect((await book.syncQuotes('alpha', [q(A, 'bid', 0.0301, 1), q(A, 'ask', 0.037, 1.08)], 2)).actions.map((a) => a.kind)).toEqual(['kept', 'kept']);
    expect(orderCalls()).toBe(calls);
    const r3 = await book.syncQuotes('alpha', [q(A, 'bid', 0.0305, 1), q(A, 'ask', 0.037, 1.3)], 3);
    expect(r3.actions.map((a) => [a.side, a.kind, a.priceBtc, a.amountContracts])).toEqual([['bid', 'amended', 0.0305, 1], ['ask', 'amended', 0.037, 1.3]]);
    expect(double.calls('private/edit_by_label')).toBe(2);
    await book.syncQuotes('beta', [q(B, 'ask', 0.01, 2)], 4);
    const r4 = await book.syncQuotes('alpha', [q(A, 'bid', 0.0305, 0)], 5);
    expect(r4.actions.map((a) => [a.side, a.kind])).toEqual([['bid', 'cancelled'], ['ask', 'cancelled']]);
    expect(r4.resting).toEqual([]);
    expect(double.openOrders().map((o) => o.label)).toEqual([`beta-${B}-ask`]); // another vault's quote is not touched
  });

  it('reprices a post-only reject once, one tick away, and gives up on a second', async () => {
    const book = await start();
    const ask = double.book.outside(double.book.instrument(A)).ask; // the rest of the market's best ask (tick 0.0005 there)
    const r = await book.syncQuotes('alpha', [q(A, 'bid', ask, 1), q(B, 'bid', 0.5, 1)], 1);
    expect(r.actions.map((a) => [a.instrument, a.kind, a.priceBtc, a.repriced, a.reason])).toEqual([
      [A, 'placed', Math.round((ask - 0.0005) * 1e8) / 1e8, true, undefined], [B, 'skipped', null, false, 'post-only-rejected'],
    ]);
    expect(double.attempts(`alpha-${A}-bid`)).toBe(2);
    expect(double.attempts(`alpha-${B}-bid`)).toBe(2);
    expect(book.counters()).toMatchObject({ postOnlyRepriced: 2, postOnlyGaveUp: 1, placed: 1 });
  });

  it('after a restart reads the open orders and brings them to the desired set', async () => {
    const first = await start({}, { cancelOnDisconnect: false });
    await first.syncQuotes('alpha', [q(A, 'bid', 0.03, 1), q(A, 'ask', 0.037, 1)], 1);
    double.placeForAccount('sell', { instrument_name: B, amount: 1, price: 0.02, label: `alpha-${B}-ask`, post_only: true });
    double.placeForAccount('sell', { instrument_name: B, amount: 1, price: 0.021, label: `alpha-${B}-ask`, post_only: true });
    const { book: _b, session } = open.pop()!;
    await first.close();
    await session.close();
    expect(double.openOrders()).toHaveLength(4); // no cancel-on-disconnect in this test
    const book = await connect();
    expect((await book.restingQuotes('alpha')).map((r) => r.label).sort()).toEqual([`alpha-${A}-ask`, `alpha-${A}-bid`, `alpha-${B}-ask`]);
    const r = await book.syncQuotes('alpha', [q(A, 'bid', 0.031, 1), q(B, 'ask', 0.02, 1)], 2);
    expect(r.actions.map((a) => [a.label, a.kind])).toEqual([
      [`alpha-${B}-ask`, 'cancelled'], [`alpha-${A}-ask`, 'cancelled'], [`alpha-${A}-bid`, 'amended'], [`alpha-${B}-ask`, 'placed'],
    ]);
    expect(double.openOrders().map((o) => [o.label, o.price]).sort()).toEqual([[`alpha-${A}-bid`, 0.031], [`alpha-${B}-ask`, 0.02]]);
  });

  it('a lost answer is looked up by label at the next sync, not placed twice', async () => {
    const book = await start({}, { timeoutMs: 150 });
    double.faults.silentLabels.add(`alpha-${A}-bid`);
    const r1 = await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 1)], 1);
    expect(r1.actions[0]).toMatchObject({ kind: 'skipped', reason: 'unknown-outcome' });
    const r2 = await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 1)], 2);
    expect(r2.actions[0]).toMatchObject({ kind: 'kept', priceBtc: 0.03, amountContracts: 1 });
    expect(double.attempts(`alpha-${A}-bid`)).toBe(1);
    expect(double.openOrders()).toHaveLength(1);
  });

  it('settles only its own vault\'s lost answers, even when another vault id is a prefix', async () => {
    const book = await start({}, { timeoutMs: 150 });
    double.faults.silentLabels.add(`desk-1-${A}-bid`);
    expect((await book.syncQuotes('desk-1', [q(A, 'bid', 0.03, 1)], 1)).actions[0]?.reason).toBe('unknown-outcome');
    await book.syncQuotes('desk', [q(B, 'ask', 0.02, 1)], 2);
    expect(double.calls('private/get_order_state_by_label')).toBe(0);
    expect((await book.syncQuotes('desk-1', [q(A, 'bid', 0.03, 1)], 3)).actions[0]?.kind).toBe('kept');
    expect(double.calls('private/get_order_state_by_label')).toBe(1);
  });

  it('cancel-on-disconnect leaves no quote when the socket dies; the book learns it on reconnect', async () => {
    const book = await start();
    await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 1), q(A, 'ask', 0.037, 1)], 1);
    const session = open[0]!.session;
    const back = firstValueFrom(session.reconnected());
    double.dropConnections();
    await waitFor('cancel-on-disconnect', () => double.openOrders().length === 0);
    await back;
    const r = await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 1), q(A, 'ask', 0.037, 1)], 2);
    expect(r.actions.map((a) => a.kind)).toEqual(['placed', 'placed']);
  });

  it('an MMP trigger is observed, the venue pulls the quotes, and quoting waits for the reset', async () => {
    const book = await start();
    expect(await book.configureMmp({ intervalSec: 10, frozenTimeSec: 0, quantityLimitContracts: 1.5, deltaLimitBtc: 5 }))
      .toEqual({ intervalSec: 10, frozenTimeSec: 0, quantityLimitContracts: 1.5, deltaLimitBtc: 5 });
    await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 2), q(A, 'ask', 0.037, 2)], 1);
    const trigger = firstValueFrom(book.mmpTriggers());
    double.takeByLabel(`alpha-${A}-bid`, 2);
    expect(await trigger).toMatchObject({ frozenUntilMs: null, indexName: 'btc_usd' });
    expect(double.openOrders()).toEqual([]);
    const calls = orderCalls();
    const frozen = await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 2), q(A, 'ask', 0.037, 2)], 2);
    expect(frozen.actions.map((a) => a.reason)).toEqual(['mmp-frozen', 'mmp-frozen']);
    expect(orderCalls()).toBe(calls);
    await book.resetMmp();
    expect((await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 2)], 3)).actions.map((a) => a.kind)).toEqual(['placed']);
    expect(book.counters().mmpTriggers).toBe(1);
  });

  it('a timed freeze ends by itself: quoting resumes once frozen_until has passed', async () => {
    const book = await start();
    await book.configureMmp({ intervalSec: 10, frozenTimeSec: 1, quantityLimitContracts: 0.5 });
    await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 1)], 1);
    const trigger = firstValueFrom(book.mmpTriggers());
    double.takeByLabel(`alpha-${A}-bid`, 1);
    const t = await trigger;
    expect(t.frozenUntilMs! - t.at).toBeGreaterThan(800);
    expect((await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 1)], 2)).actions[0]?.reason).toBe('mmp-frozen');
    await waitFor('the freeze to end', () => Date.now() > t.frozenUntilMs!, 2_000);
    expect((await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 1)], 3)).actions[0]?.kind).toBe('placed');
  });

  it('cancels every option quote of the account at once', async () => {
    const book = await start();
    await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 1), q(A, 'ask', 0.037, 1)], 1);
    await book.syncQuotes('beta', [q(B, 'ask', 0.02, 1)], 1);
    expect(await book.cancelAllQuotes()).toBe(3);
    expect(double.openOrders()).toEqual([]);
    expect(await book.restingQuotes()).toEqual([]);
    expect((await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 1)], 2)).actions.map((a) => a.kind)).toEqual(['placed']);
  });

  it('a 10028 answer is counted, backs off, and is never retried in a loop', async () => {
    const book = await start({ credits: { capacity: 1_000, refillPerSec: 1, orderCost: 500 } });
    const want = [q(A, 'bid', 0.03, 1), q(A, 'ask', 0.037, 1), q(B, 'bid', 0.005, 1), q(B, 'ask', 0.02, 1)];
    const r = await book.syncQuotes('alpha', want, 1);
    expect(r.actions.map((a) => a.kind === 'skipped' ? a.reason : a.kind)).toEqual(['placed', 'placed', 'rate-limited', 'rate-limited']);
    expect(double.calls('private/buy') + double.calls('private/sell')).toBe(3);
    const again = await book.syncQuotes('alpha', want, 2);
    expect(again.actions.filter((a) => a.reason === 'rate-limited')).toHaveLength(2);
    expect(double.calls('private/buy') + double.calls('private/sell')).toBe(3);
    expect(book.counters().rateLimited).toBe(1);
  });

  it('requotes must fit the local credit budget', async () => {
    const book = await start({}, { credits: { capacity: 1_000, refillPerSec: 1, orderCost: 500 } });
    const r = await book.syncQuotes('alpha', [q(A, 'bid', 0.03, 1), q(A, 'ask', 0.037, 1), q(B, 'ask', 0.02, 1)], 1);
    expect(r.actions.map((a) => a.kind === 'skipped' ? a.reason : a.kind)).toEqual(['placed', 'placed', 'credit-budget']);
    expect(double.calls('private/buy') + double.calls('private/sell')).toBe(2);
    expect(book.counters().creditRefusals).toBe(1);
  });
});
