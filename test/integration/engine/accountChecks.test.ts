// The engine's account-wide decisions on one venue: hedges go reduce-only exactly when they
// can only shrink the account's position (so the venue never refuses one for growing it), and
// reconciliation while running tells an order in flight from a real difference, which halts
// every vault with both numbers in the reason.
import { describe, expect, it } from 'vitest';
import type { HedgeVenue, IocOrderRequest, OrderStatus } from '../../../src/venues/hedgeVenue.ts';
import { checkPosition, watchPosition } from '../../../src/engine/positionWatch.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import { memoryStore, priceSlice, replayAll, simVenue, startEngine } from '../../fixtures/engineHarness.ts';
import { instantVenue } from '../../fixtures/instantVenue.ts';
import { hedgingPair } from '../../fixtures/vaults.ts';

const records = priceSlice(1_500);
const vaults = hedgingPair;

describe('reduce-only hedges', () => {
  it('go reduce-only only when they shrink the account position, and are never refused for it', async () => {
    const store = await memoryStore();
    const base = await simVenue(records);
    const seen: { req: IocOrderRequest; before: number; status: OrderStatus }[] = [];
    const venue: HedgeVenue = Object.assign(Object.create(base) as HedgeVenue, {
      placeIoc: async (req: IocOrderRequest) => {
        const before = (await base.position('BTC-PERP')).sizeBtc;
        const status = await base.placeIoc(req);
        seen.push({ req, before, status });
        return status;
      },
    });
    const run = await startEngine(store, venue, vaults());
    await replayAll(run, records);
    const reducing = seen.filter((s) => s.req.reduceOnly);
    expect(seen.length).toBeGreaterThan(5);
    expect(reducing.length).toBeGreaterThan(0);
    expect(reducing.length).toBeLessThan(seen.length);
    for (const s of reducing) {
      expect(s.status.status).not.toBe('rejected');
      const signed = s.req.side === 'buy' ? s.req.sizeBtc : -s.req.sizeBtc;
      expect(Math.sign(s.before)).toBe(-Math.sign(signed));
      expect(Math.abs(s.before)).toBeGreaterThanOrEqual(s.req.sizeBtc - 1e-9);
    }
    // An order that closes part of the position with nothing else in flight goes reduce-only.
    for (const s of seen.filter((x) => !x.req.reduceOnly)) {
      const closes = s.req.side === 'sell' ? s.before >= s.req.sizeBtc : -s.before >= s.req.sizeBtc;
      const others = seen.filter((o) => o !== s && o.req.at <= s.req.at && 'updatedAt' in o.status && o.status.updatedAt >= s.req.at).length;
      if (others === 0) expect(closes).toBe(false);
    }
    await run.engine.stop();
    await store.close();
  });
});

describe('reconciliation while running', () => {
  it('counts what an order in flight may have traded, and halts every vault on a real difference', async () => {
    const store = await memoryStore();
    const gates: (() => void)[] = [];
    let holding = true;
    let externalBtc = 0;
    const inner = instantVenue({
      // The first order fills at the venue (its position moves) but its answer is held back.
      onPlace: () => (holding ? new Promise<void>((r) => { gates.push(r); }) : undefined),
    });
    const venue: HedgeVenue = { ...inner, position: async (m) => { const p = await inner.position(m); return { ...p, sizeBtc: p.sizeBtc + externalBtc }; } };
    const run = await startEngine(store, venue, vaults());
    const replaying = replayAll(run, records, { takers: null });
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 5));
    const during = await checkPosition(run.engine, venue, 'BTC-PERP');
    expect(during?.ok).toBe(true);
    expect(Math.abs((during?.venueBtc ?? 0) - (during?.vaultsBtc ?? 0))).toBeGreaterThan(0.1);
    holding = false;
    for (const open of gates) open();
    await replaying;
    expect((await checkPosition(run.engine, venue, 'BTC-PERP'))?.ok).toBe(true);
    // Someone trades on the account: the watch halts every vault, naming both numbers.
    externalBtc = 0.5;
    let reads = 0;
    const counted: HedgeVenue = { ...venue, position: (m) => { reads++; return venue.position(m); } };
    const watch = watchPosition(run.engine, counted, 'BTC-PERP', { everyMs: 10, eventTime: () => 0, log: silentLogger, onFatal: (e) => { throw e; } });
    while (run.engine.vaultIds().some((id) => run.engine.committedOf(id)?.state !== 'halted')) await new Promise((r) => setTimeout(r, 5));
    await watch.stop();
    expect(reads).toBeGreaterThan(0);
    for (const id of run.engine.vaultIds()) expect(run.engine.vault(id)?.context.haltReason).toMatch(/^reconcile: venue -?[\d.]+ BTC vs vaults -?[\d.]+ BTC$/);
    await run.engine.stop();
    await store.close();
  }, 30_000);
});
