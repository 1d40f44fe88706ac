// Quotes as effects from committed state, end to end: the real engine (real sqlite3 journal,
// lockstep) publishes its vaults' committed quotes through the QuotePublisher to the real
// DeribitOptionsBook on the loopback Deribit double. Takers trade the quotes; the trades come
// back as fills (wired here as the composition root will), move the vault's delta, and the
// quotes skew and are amended. Halts, stale feeds and stops pull every quote; a new life on the
// same account converges to the committed quotes with no duplicate label.
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, type Subscription } from 'rxjs';
import type { VaultInput } from '../../../machines/vault.types.ts';
import { parseInstrument } from '../../../src/domain/instrument.ts';
import type { QuoteConfig } from '../../../src/domain/quoteBook.ts';
import type { Engine } from '../../../src/engine/engine.ts';
import { validateConfig } from '../../../src/cli/config/loadConfig.ts';
import type { RunConfig } from '../../../src/cli/config/configSchema.ts';
import { quotingOf } from '../../../src/cli/config/quotingOf.ts';
import { followDeribitMarks } from '../../../src/cli/compose/deribitMarks.ts';
import { startQuoting } from '../../../src/cli/compose/quoting.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import { openEngine } from '../../../src/engine/openEngine.ts';
import { QuotePublisher, type MmpTriggered } from '../../../src/engine/quotePublisher.ts';
import { vaultQuotes } from '../../../src/engine/vaultQuotes.ts';
import type { DeribitConfigInput } from '../../../src/venues/deribit/config.ts';
import { DeribitOptionsBook } from '../../../src/venues/deribit/deribitOptionsBook.ts';
import { DeribitSession } from '../../../src/venues/deribit/deribitSession.ts';
import type { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { configFor, seriesOf, startTestDouble, waitFor } from '../../fixtures/deribit/harness.ts';
import type { DeribitDouble } from '../../fixtures/deribit/server.ts';
import { memoryStore } from '../../fixtures/engineHarness.ts';
import { instantVenue } from '../../fixtures/instantVenue.ts';
import { testConfig } from '../../fixtures/vaults.ts';

const V = 'desk';
const INDEX = 30_000;

interface Life { session: DeribitSession; book: DeribitOptionsBook; publisher: QuotePublisher; fills: Subscription; stopped: boolean }

let double: DeribitDouble;
let store: SqliteJournalStore;
let engine: Engine;
let now = 0;
let C = '';
let P = '';
const lives: Life[] = [];
const errors: unknown[] = [];
const triggers: MmpTriggered[] = [];

const WIDE_LEAN: QuoteConfig = { halfSpreadBps: 200, minHalfSpreadUsd: 5, maxLeanBps: 500, baseSizeContracts: 2, leanMode: 'fixed' };

/**
 * A vault quoting two 7-day ATM series it does not hold yet (flat: delta 0). The lean is wide
 * (up to 5% of fair at the hedge band, 1 BTC) so that it shows through Deribit's 0.0005 BTC tick.
 */
function vault(): VaultInput {
  const legOf = (name: string) => {
    const i = parseInstrument(name);
    return { instrument: name, kind: i.kind, strikeUsd: i.strikeUsd, expiryMs: i.expiryMs, qty: 0, volPerYear: 0.6 };
  };
  return { vaultId: V, config: testConfig({
    bands: { kind: 'fixed', quoteBtc: 0.5, hedgeBtc: 1, reentryBtc: 0.25, hardBtc: 6 },
    quote: WIDE_LEAN,
  }), book: [legOf(C), legOf(P)] };
}

async function start(): Promise<void> {
  double = await startTestDouble({ indexUsd: INDEX });
  const names = (await (async () => {
    const s = await DeribitSession.connect(configFor(double));
    const b = await DeribitOptionsBook.open(s);
    const n = b.series().map((x) => x.instrument);
    await b.close();
    await s.close();
    return n;
  })());
  C = seriesOf(names, 1, 30_000, 'C');
  P = seriesOf(names, 1, 30_000, 'P');
  store = await memoryStore();
  now = Date.now();
  ({ engine } = await openEngine({ store, venue: instantVenue(), market: 'BTC-PERP', log: silentLogger, mode: 'lockstep', clock: { now: () => now } }, [vault()]));
}

/** One life of the process on the account: session, book, publisher, and option trades booked as fills. */
async function live(cfg: Partial<DeribitConfigInput> = {}, run: RunConfig | null = null): Promise<Life> {
  const session = await DeribitSession.connect(configFor(double, cfg));
  const book = await DeribitOptionsBook.open(session, run ? quotingOf(run) : { amendTicks: 0, amendSizeShare: 0.05 });
  // With a run config: composed as runService does (startQuoting, MMP from the config).
  const publisher = run
    ? await startQuoting({ engine, book, cfg: run, log: silentLogger, onFatal: (e) => errors.push(e), onMmpTrigger: (t) => triggers.push(t) })
    : new QuotePublisher({ book, engine, mmp: null, onError: (e) => errors.push(e), onMmpTrigger: (t) => triggers.push(t), retryMs: 50, resyncEveryMs: 200 });
  const fills = book.trades().subscribe((t) => {
    if (t.vaultId !== V) return;
    now = Math.max(now + 1, t.at);
    engine.dispatchFill({ type: 'fill.received', vaultId: V, at: now, fillId: t.tradeId, instrument: t.instrument, side: t.side, qty: t.amountContracts, priceUsd: t.priceUsd }, null);
  });
  const l = { session, book, publisher, fills, stopped: false };
  lives.push(l);
  if (!run) await publisher.start();
  await publisher.settle();
  return l;
}

async function step(...events: Parameters<Engine['dispatch']>[1][]): Promise<void> {
  for (const e of events) engine.dispatch(V, e);
  await engine.commit();
  for (const l of lives) if (!l.stopped) await l.publisher.settle();
}
const tick = (priceUsd = INDEX) => ({ type: 'price.tick' as const, at: ++now, priceUsd });
/** The resting price of our order with this label, BTC. */
function priceOf(label: string): number {
  const p = double.openOrders().find((o) => o.label === label)?.price;
  if (typeof p !== 'number') throw new Error(`no priced open order ${label}`);
  return p;
}
const open = () => double.openOrders().map((o) => ({ label: o.label, side: o.direction, price: o.price as number, amount: o.amount - o.filled_amount, postOnly: o.post_only, mmp: o.mmp }))
  .sort((a, b) => (a.label ?? '').localeCompare(b.label ?? ''));
/** The committed quotes of the vault, BTC at its spot. */
function committed(instrument: string): { bid: number; ask: number; fair: number; bidSize: number; askSize: number } {
  const c = engine.committedOf(V)!;
  const q = vaultQuotes(c.state, c.context).find((x) => x.instrument === instrument)!;
  const s = c.context.spotUsd;
  return { bid: q.bidPriceUsd / s, ask: q.askPriceUsd / s, fair: q.fairUsd / s, bidSize: q.bidSizeContracts, askSize: q.askSizeContracts };
}

async function endLife(l: Life, pull: boolean): Promise<void> {
  await l.publisher.stop({ pull });
  l.stopped = true;
  l.fills.unsubscribe();
  await l.book.close();
  await l.session.close();
}

afterEach(async () => {
  for (const l of lives.splice(0)) if (!l.stopped) await endLife(l, true);
  await engine.stop();
  await store.close();
  await double.close();
  expect(errors.splice(0)).toEqual([]);
  triggers.splice(0);
});

describe('quote publisher on the Deribit double', () => {
  it('rests the committed quotes post-only with mmp and labels, skews them as takers move the delta, pulls them on a halt and at stop', async () => {
    await start();
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
    const edits = double.calls('private/edit_by_label');
    double.takeByLabel(`${V}-${C}-bid`, 1.5);
    await waitFor('the trade booked as a fill', () => (engine.vault(V)?.context.fills ?? 0) === 1);
    await step();
    const ctx = engine.committedOf(V)!.context;
    expect(ctx.greeks.netBtc).toBeGreaterThan(0.5);
    expect((await store.fillsOf(V)).map((f) => f.fillId)).toHaveLength(1);
    // Long delta: the delta-reducing sides (sell calls, buy puts) lean better than fair for a
    // taker; the delta-adding sides (buy calls, sell puts) shrink.
    const long = { c: committed(C), p: committed(P) };
    expect(long.c.ask).toBeLessThan(long.c.fair);
    expect(long.p.bid).toBeGreaterThan(long.p.fair);
    expect(double.calls('private/edit_by_label')).toBeGreaterThan(edits);
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
    const cancels = double.calls('private/cancel_all_by_currency');
    await step({ type: 'control.pause', at: ++now, reason: 'test' });
    expect(engine.committedOf(V)!.state).toBe('halted');
    expect(open()).toEqual([]);
    expect(double.calls('private/cancel_all_by_currency')).toBe(cancels + 1);
    await step({ type: 'control.resume', at: ++now }, tick());
    expect(open().map((o) => o.label)).toEqual([`${V}-${C}-ask`, `${V}-${C}-bid`, `${V}-${P}-ask`, `${V}-${P}-bid`]);

    // Stop pulls them before the session closes.
    await endLife(l, true);
    expect(open()).toEqual([]);
  });

  it('a stale feed pulls the quotes; fresh prices put the committed ones back', async () => {
    await start();
    await step(tick());
    await live();
    expect(open()).toHaveLength(4);
    await step({ type: 'feed.stale', at: ++now });
    expect(engine.committedOf(V)!.context.feedStale).toBe(true);
    expect(open()).toEqual([]);
    double.setIndex(30_150);
    await step({ type: 'feed.recovered', at: ++now }, tick(30_150));
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
    double.dropConnections();
    await waitFor('cancel-on-disconnect', () => double.openOrders().length === 0);
    await back;
    await waitFor('the committed quotes resting again', () => double.openOrders().length === 4);
    expect(new Set(open().map((o) => o.label)).size).toBe(4);
  });

  it('after a crash, a new life on the account brings the resting quotes to the committed set, no duplicate label', async () => {
    await start();
    await step(tick());
    const first = await live({ cancelOnDisconnect: false });
    expect(open()).toHaveLength(4);
    // The process dies without pulling (no cancel-on-disconnect on this account); meanwhile a
    // duplicate of one label appears (a place whose answer was lost, say), and committed state
    // moves on (spot up 0.5%: every price changes).
    await endLife(first, false);
    double.placeForAccount('sell', { instrument_name: C, amount: 1, price: 0.05, label: `${V}-${C}-ask`, post_only: true });
    expect(double.openOrders()).toHaveLength(5);
    double.setIndex(30_150);
    await step(tick(30_150));
    expect(double.openOrders()).toHaveLength(5); // nobody publishes between lives
    const second = await live();
    const labels = double.openOrders().map((o) => o.label);
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

  it('configures MMP from the vault config (startQuoting); a trigger reaches onMmpTrigger, the venue pulls the quotes, and none is placed while frozen', async () => {
    await start();
    await step(tick());
    const run = validateConfig({
      prices: { kind: 'csv', path: 'unused.csv' },
      vaults: [{ id: V, book: [{ instrument: C, qty: 0 }], quote: { amendTicks: 1, mmp: { quantityLimit: 1, intervalSec: 10, frozenTimeSec: 0 } } }],
    }, 'test');
    const l = await live({}, run);
    expect(double.state.mmp.config).toMatchObject({ interval: 10, frozen_time: 0, quantity_limit: 1 });
    const trig = firstValueFrom(l.book.mmpTriggers());
    double.takeByLabel(`${V}-${C}-bid`, 1.5);
    await trig;
    expect(triggers).toEqual([{ vaultId: V, at: expect.any(Number), frozenUntil: null }]);
    expect(double.openOrders()).toEqual([]);
    await waitFor('the trade booked as a fill', () => (engine.vault(V)?.context.fills ?? 0) === 1);
    const places = double.calls('private/buy') + double.calls('private/sell');
    await step(tick(30_050));
    expect(double.calls('private/buy') + double.calls('private/sell')).toBe(places);
    expect(l.publisher.view(V)).toMatchObject({ mmpFrozenUntil: null, skipped: { 'mmp-frozen': 4 } });
  });

  it('once the MMP frozen time has passed, the paced retry puts the committed quotes back', async () => {
    await start();
    await step(tick());
    const l = await live({}, validateConfig({
      prices: { kind: 'csv', path: 'unused.csv' },
      vaults: [{ id: V, book: [{ instrument: C, qty: 0 }], quote: { mmp: { quantityLimit: 1, intervalSec: 10, frozenTimeSec: 1 } } }],
    }, 'test'));
    const trig = firstValueFrom(l.book.mmpTriggers());
    double.takeByLabel(`${V}-${P}-ask`, 1.5);
    const t = await trig;
    expect(t.frozenUntilMs).toBeGreaterThan(Date.now());
    expect(double.openOrders()).toEqual([]);
    await waitFor('quotes back after the frozen second', () => double.openOrders().length === 4, 5_000);
    expect(Date.now()).toBeGreaterThanOrEqual(t.frozenUntilMs!);
    expect(new Set(double.openOrders().map((o) => o.label)).size).toBe(4);
  });

  it('as run composes it (followDeribitMarks): an MMP trigger is journaled as mmp.triggered, the venue\'s mark IVs as vol.marked', async () => {
    await start();
    await step(tick());
    const l = await live({}, validateConfig({
      prices: { kind: 'csv', path: 'unused.csv' },
      vaults: [{ id: V, book: [{ instrument: C, qty: 0 }], quote: { mmp: { quantityLimit: 1, intervalSec: 10, frozenTimeSec: 30 } } }],
    }, 'test'));
    const errs: unknown[] = [];
    const marks = await followDeribitMarks({ engine, book: l.book, vaultId: V, inverse: false, accountEveryMs: 60_000, log: silentLogger, onFatal: (e) => errs.push(e) });
    try {
      // The double publishes every series' mark IV with each index move.
      double.setIndex(INDEX + 10);
      await waitFor('a vol.marked', () => engine.vault(V)?.context.book.some((leg) => leg.volPerYear !== undefined) === true);
      const trig = firstValueFrom(l.book.mmpTriggers());
      double.takeByLabel(`${V}-${P}-ask`, 1.5);
      const t = await trig;
      await waitFor('the trigger handed on', () => triggers.length === 1);
      marks.onMmpTrigger(triggers[0] as MmpTriggered);
      await marks.stop();
      expect(engine.vault(V)?.context.quotesFrozenUntil).toBe(t.frozenUntilMs);
      const rows = await store.readJournal({ vaultId: V });
      expect(rows.filter((r) => r.eventType === 'mmp.triggered').map((r) => (r.event as { frozenUntil: number }).frozenUntil)).toEqual([t.frozenUntilMs]);
      expect(rows.filter((r) => r.eventType === 'vol.marked').length).toBeGreaterThan(0);
      expect(errs).toEqual([]);
    } finally {
      await marks.stop();
    }
  });

  it('the double\'s seeded takers trade the resting quotes: each trade is ours, on the account, and booked once as a fill', async () => {
    await start();
    await step(tick());
    await live();
    // Takers only trade resting orders, and these quotes are 200 bp worse than fair for them
    // (about 0.027 a draw, 4 draws a step): 50 steps once drew no trade in the full suite (order
    // ids, hence the draws, depend on how often quotes were amended). Up to 500 steps: the
    // chance of none is below 1e-20.
    await waitFor('the quotes resting', () => double.openOrders().length === 4);
    const trades = [];
    for (let i = 0; i < 500 && trades.length === 0; i++) trades.push(...double.stepTakers());
    expect(trades.length).toBeGreaterThan(0);
    for (const t of trades) expect(t.label).toMatch(new RegExp(`^${V}-BTC-.*-(bid|ask)$`));
    await waitFor('the trades booked as fills', () => (engine.vault(V)?.context.fills ?? 0) === trades.length);
    await step();
    expect((await store.fillsOf(V)).map((f) => f.fillId).sort()).toEqual(trades.map((t) => t.trade_id).sort());
  });
});
