// Deribit's market maker protection through the quote publisher, end to end (the harness of
// quotePublisher.test.ts): MMP configured from the vault config, a trigger handed on and
// journaled, nothing placed while frozen, the quotes back after the frozen time.
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/cli/config/loadConfig.ts';
import { followDeribitMarks } from '../../../src/cli/compose/deribitMarks.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import type { MmpTriggered } from '../../../src/engine/quotePublisher.ts';
import { waitFor } from '../../fixtures/deribit/harness.ts';
import { endAll, INDEX, live, q, start, step, tick, V } from '../../fixtures/deribit/quotingHarness.ts';

afterEach(endAll);

describe('quote publisher and MMP on the Deribit double', () => {
  it('configures MMP from the vault config (startQuoting); a trigger reaches onMmpTrigger, the venue pulls the quotes, and none is placed while frozen', async () => {
    const { C } = await start();
    await step(tick());
    const run = validateConfig({
      prices: { kind: 'csv', path: 'unused.csv' },
      vaults: [{ id: V, book: [{ instrument: C, qty: 0 }], quote: { amendTicks: 1, mmp: { quantityLimit: 1, intervalSec: 10, frozenTimeSec: 0 } } }],
    }, 'test');
    const l = await live({}, run);
    expect(q.double.state.mmp.config).toMatchObject({ interval: 10, frozen_time: 0, quantity_limit: 1 });
    const trig = firstValueFrom(l.book.mmpTriggers());
    q.double.takeByLabel(`${V}-${C}-bid`, 1.5);
    await trig;
    expect(q.triggers).toEqual([{ vaultId: V, at: expect.any(Number), frozenUntil: null }]);
    expect(q.double.openOrders()).toEqual([]);
    await waitFor('the trade booked as a fill', () => (q.engine.vault(V)?.context.fills ?? 0) === 1);
    const places = q.double.calls('private/buy') + q.double.calls('private/sell');
    await step(tick(30_050));
    expect(q.double.calls('private/buy') + q.double.calls('private/sell')).toBe(places);
    expect(l.publisher.view(V)).toMatchObject({ mmpFrozenUntil: null, skipped: { 'mmp-frozen': 4 } });
  });

  it('once the MMP frozen time has passed, the paced retry puts the committed quotes back', async () => {
    const { C, P } = await start();
    await step(tick());
    const l = await live({}, validateConfig({
      prices: { kind: 'csv', path: 'unused.csv' },
      vaults: [{ id: V, book: [{ instrument: C, qty: 0 }], quote: { mmp: { quantityLimit: 1, intervalSec: 10, frozenTimeSec: 1 } } }],
    }, 'test'));
    const trig = firstValueFrom(l.book.mmpTriggers());
    q.double.takeByLabel(`${V}-${P}-ask`, 1.5);
    const t = await trig;
    expect(t.frozenUntilMs).toBeGreaterThan(Date.now());
    expect(q.double.openOrders()).toEqual([]);
    await waitFor('quotes back after the frozen second', () => q.double.openOrders().length === 4, 5_000);
    expect(Date.now()).toBeGreaterThanOrEqual(t.frozenUntilMs!);
    expect(new Set(q.double.openOrders().map((o) => o.label)).size).toBe(4);
  });

  it('as run composes it (followDeribitMarks): an MMP trigger is journaled as mmp.triggered, the venue\'s mark IVs as vol.marked', async () => {
    const { C, P } = await start();
    await step(tick());
    const l = await live({}, validateConfig({
      prices: { kind: 'csv', path: 'unused.csv' },
      vaults: [{ id: V, book: [{ instrument: C, qty: 0 }], quote: { mmp: { quantityLimit: 1, intervalSec: 10, frozenTimeSec: 30 } } }],
    }, 'test'));
    const errs: unknown[] = [];
    const marks = await followDeribitMarks({ engine: q.engine, book: l.book, vaultId: V, inverse: false, accountEveryMs: 60_000, log: silentLogger, onFatal: (e) => errs.push(e) });
    try {
      // The double publishes every series' mark IV with each index move.
      q.double.setIndex(INDEX + 10);
      await waitFor('a vol.marked', () => q.engine.vault(V)?.context.book.some((leg) => leg.volPerYear !== undefined) === true);
      const trig = firstValueFrom(l.book.mmpTriggers());
      q.double.takeByLabel(`${V}-${P}-ask`, 1.5);
      const t = await trig;
      await waitFor('the trigger handed on', () => q.triggers.length === 1);
      marks.onMmpTrigger(q.triggers[0] as MmpTriggered);
      await marks.stop();
      expect(q.engine.vault(V)?.context.quotesFrozenUntil).toBe(t.frozenUntilMs);
      const rows = await q.store.readJournal({ vaultId: V });
      expect(rows.filter((r) => r.eventType === 'mmp.triggered').map((r) => (r.event as { frozenUntil: number }).frozenUntil)).toEqual([t.frozenUntilMs]);
      expect(rows.filter((r) => r.eventType === 'vol.marked').length).toBeGreaterThan(0);
      expect(errs).toEqual([]);
    } finally {
      await marks.stop();
    }
  });

});
