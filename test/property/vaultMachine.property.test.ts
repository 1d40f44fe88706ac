// Properties of the vault machine over random event sequences (fast-check). Events are drawn
// as commands and made concrete against the live actor's current snapshot, so hedge results
// can name the order in flight (or a random other id) and timers can fire before or past the
// deadline. Checked after every event:
//   - never two hedges in flight (a new order only replaces "no order"), ids never repeat;
//   - entering neutral: |delta| <= re-entry band; resting in neutral: |delta| <= quote band;
//     overexposed: delta > re-entry band; underexposed: delta < -re-entry band;
//   - halted is left only by control.resume; the machine never rests in routing;
//   - a deadline (cooldownUntil) exists only in cooldown or halted;
//   - context is plain JSON (round trip equal), with no NaN or infinity;
//   - the live actor and a fold with transition() agree on state and context at every step;
//   - the engine's snapshot text (persistedJson) equals JSON.stringify(getPersistedSnapshot()).
import fc from 'fast-check';
import { createActor, initialTransition, transition, type StateValue } from 'xstate';
import { describe, expect, it } from 'vitest';
import { leafState, vaultMachine } from '../../machines/vault.machine.ts';
import type { BandConfig, HedgeTrigger, VaultContext, VaultEvent, VaultInput } from '../../machines/vault.types.ts';
import { persistedJson, type MachineSnapshotLike } from '../../src/engine/persistedJson.ts';
import { EXPIRY_31MAR23, T0, shortCallVault, straddleVault } from '../fixtures/vaults.ts';

type Cmd =
  | { k: 'tick'; dt: number; priceUsd: number }
  | { k: 'fill'; dt: number; series: number; side: 'buy' | 'sell'; qty: number }
  | { k: 'accepted' | 'rejected' | 'failed'; dt: number; current: boolean }
  | { k: 'filled'; dt: number; current: boolean; frac: number; final: boolean }
  | { k: 'timer'; dt: number; past: boolean }
  | { k: 'pause' | 'resume' | 'flatten' | 'stale' | 'recovered' | 'expiry'; dt: number };

const SERIES = ['BTC-31MAR23-23000-C', 'BTC-31MAR23-23000-P', 'BTC-31MAR23-25000-C', 'BTC-31MAR23-21000-P'];
const dt = fc.integer({ min: 0, max: 120_000 });
const price = fc.oneof(fc.integer({ min: 19_000, max: 27_000 }), fc.constantFrom(21_000, 22_000, 23_000, 24_500, 26_000));

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('tick' as const), dt, priceUsd: price }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('fill' as const), dt, series: fc.nat({ max: SERIES.length - 1 }), side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constantFrom('accepted' as const, 'rejected' as const, 'failed' as const), dt, current: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('filled' as const), dt, current: fc.boolean(), frac: fc.constantFrom(0, 0.5, 1), final: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('timer' as const), dt, past: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('resume' as const), dt }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constantFrom('pause' as const, 'flatten' as const, 'stale' as const, 'recovered' as const, 'expiry' as const), dt }) },
);

const bands: fc.Arbitrary<BandConfig> = fc.constantFrom<BandConfig>(
  { kind: 'fixed', quoteBtc: 1, hedgeBtc: 3, reentryBtc: 0.5, hardBtc: 6 },
  { kind: 'fixed', quoteBtc: 0.5, hedgeBtc: 1, reentryBtc: 0.25, hardBtc: 2 },
  { kind: 'percentGross', quotePct: 0.1, hedgePct: 0.3, reentryPct: 0.05, hardPct: 0.6, minHedgeBtc: 0.5 },
  { kind: 'whalleyWilmott', costBps: 5, riskAversion: 1e-4, quoteFraction: 0.5, reentryFraction: 0.2, hardMultiple: 2, minHedgeBtc: 0.1 },
);
const trigger: fc.Arbitrary<HedgeTrigger> = fc.constantFrom<HedgeTrigger>({ kind: 'band' }, { kind: 'band' }, { kind: 'time', everyMs: 300_000 }, { kind: 'move', movePct: 0.02 });
const input: fc.Arbitrary<VaultInput> = fc.record({
  straddle: fc.boolean(), bands, trigger, hedgeTarget: fc.constantFrom('zero' as const, 'bandEdge' as const),
  maxOrderBtc: fc.constantFrom(1, 2, 50), maxConsecutiveFailures: fc.integer({ min: 1, max: 4 }),
  maxHedgeNotionalPerDayUsd: fc.constantFrom(1e9, 200_000),
}).map(({ straddle, ...over }) => (straddle ? straddleVault(over) : shortCallVault(over)));

/** Makes a command concrete against the current context. */
function concrete(c: Cmd, ctx: VaultContext, now: number, k: number): VaultEvent {
  const at = now + c.dt;
  const other = `other-${k}`;
  const id = (current: boolean): string => (current && ctx.inFlight ? ctx.inFlight.clientOrderId : other);
  switch (c.k) {
    case 'tick': return { type: 'price.tick', at, priceUsd: c.priceUsd };
    case 'fill': return { type: 'fill.received', at, fillId: `f${k}`, instrument: SERIES[c.series] as string, side: c.side, qty: c.qty, priceUsd: 1_000 };
    case 'accepted': return { type: 'hedge.accepted', at, clientOrderId: id(c.current) };
    case 'rejected': return { type: 'hedge.rejected', at, clientOrderId: id(c.current), reason: 'p' };
    case 'failed': return { type: 'hedge.failed', at, clientOrderId: id(c.current), reason: 'p' };
    case 'filled': {
      const o = ctx.inFlight;
      const size = o ? Math.max(o.filledBtc, Number((o.sizeBtc * c.frac).toFixed(3))) : 1;
      return { type: 'hedge.filled', at, clientOrderId: id(c.current), filledBtc: size, avgPriceUsd: ctx.spotUsd || 20_000, feeUsd: size * 2, final: c.final };
    }
    case 'timer': return { type: 'timer.fired', at: c.past && ctx.cooldownUntil !== null ? Math.max(at, ctx.cooldownUntil) : at };
    case 'pause': return { type: 'control.pause', at };
    case 'resume': return { type: 'control.resume', at };
    case 'flatten': return { type: 'control.flatten', at };
    case 'stale': return { type: 'feed.stale', at };
    case 'recovered': return { type: 'feed.recovered', at };
    case 'expiry': return { type: 'expiry.settled', at: Math.max(at, EXPIRY_31MAR23), expiryMs: EXPIRY_31MAR23, settlementPriceUsd: ctx.spotUsd || 23_000 };
  }
}

function allFinite(x: unknown): boolean {
  if (typeof x === 'number') return Number.isFinite(x);
  if (Array.isArray(x)) return x.every(allFinite);
  if (x && typeof x === 'object') return Object.values(x).every(allFinite);
  return true;
}

/** The effective edges the guards use (0 <= re-entry <= quote). */
function edges(ctx: VaultContext): { quote: number; reentry: number } {
  const quote = Math.max(0, ctx.bands.quoteBtc);
  return { quote, reentry: Math.max(0, Math.min(ctx.bands.reentryBtc, quote)) };
}

/** The state's leaf name ('neutral' for { exposure: 'neutral' }). */
const state = (s: { value: StateValue }): string => leafState(s.value);

function runSequence(inp: VaultInput, cmds: Cmd[]): void {
  const actor = createActor(vaultMachine, { input: inp }).start();
  let [folded] = initialTransition(vaultMachine, inp);
  expect(state(folded)).toBe(state(actor.getSnapshot()));
  const ids = new Set<string>();
  let now = T0;
  cmds.forEach((c, k) => {
    const prev = actor.getSnapshot();
    const ev = concrete(c, prev.context, now, k);
    now = Math.max(now, ev.at);
    actor.send(ev);
    const next = actor.getSnapshot();
    [folded] = transition(vaultMachine, folded, ev);
    const ctx = next.context;
    const where = `step ${k} ${JSON.stringify(ev)}: ${state(prev)} -> ${state(next)}`;

    expect(next.status, where).toBe('active');
    // Live actor and pure fold agree.
    expect(state(folded), where).toBe(state(next));
    expect(folded.context, where).toEqual(ctx);
    // One hedge at a time; ids never repeat.
    const p = prev.context.inFlight, n = ctx.inFlight;
    if (n && (!p || p.clientOrderId !== n.clientOrderId)) {
      // A new order may follow the old one within one event only if that event ended it
      // (e.g. a final fill into cooldown, then an emergency hedge at once).
      if (p) {
        const ended = 'clientOrderId' in ev && ev.clientOrderId === p.clientOrderId &&
          (ev.type === 'hedge.rejected' || ev.type === 'hedge.failed' || (ev.type === 'hedge.filled' && ev.final));
        expect(ended, `${where}: a new order replaced one still in flight`).toBe(true);
      }
      expect(ids.has(n.clientOrderId), `${where}: id ${n.clientOrderId} reused`).toBe(false);
      ids.add(n.clientOrderId);
      expect(n.clientOrderId).toBe(`${ctx.vaultId}-${ctx.hedgeSeq}`);
      expect(ctx.hedgeSeq).toBe(prev.context.hedgeSeq + 1);
    } else {
      expect(ctx.hedgeSeq, where).toBe(prev.context.hedgeSeq);
    }
    if (n) expect(['hedging', 'halted'], where).toContain(state(next));
    // Bands and hysteresis.
    const d = ctx.greeks.netBtc;
    const { quote, reentry } = edges(ctx);
    if (state(next) === 'neutral') {
      expect(Math.abs(d), where).toBeLessThanOrEqual(quote);
      if (state(prev) !== 'neutral') expect(Math.abs(d), `${where}: entered neutral outside re-entry`).toBeLessThanOrEqual(reentry);
    }
    if (state(next) === 'overexposed') expect(d, where).toBeGreaterThan(reentry);
    if (state(next) === 'underexposed') expect(d, where).toBeLessThan(-reentry);
    // halted is left only by control.resume; routing is never a resting state.
    if (state(prev) === 'halted' && state(next) !== 'halted') expect(ev.type, where).toBe('control.resume');
    expect(state(next), where).not.toBe('routing');
    if (ctx.cooldownUntil !== null) expect(['cooldown', 'halted'], where).toContain(state(next));
    if (state(next) === 'cooldown') expect(ctx.cooldownUntil, where).not.toBeNull();
    // Plain JSON, no NaN or infinity.
    expect(allFinite(ctx), where).toBe(true);
    expect(JSON.parse(JSON.stringify(ctx)), where).toStrictEqual(ctx);
    // The engine's fast snapshot text is XState's persisted snapshot, byte for byte (and its
    // memo froze config and book: a reducer mutating them in place would have failed above).
    expect(persistedJson(next as unknown as MachineSnapshotLike, () => actor.getPersistedSnapshot()), where).toBe(JSON.stringify(actor.getPersistedSnapshot()));
  });
  actor.stop();
}

describe('vault machine properties over random event sequences', () => {
  it('holds every invariant after every event', () => {
    fc.assert(fc.property(input, fc.array(cmd, { minLength: 1, maxLength: 60 }), runSequence), { numRuns: Number(process.env.PROP_RUNS ?? 600) });
  });

  it('reaches every resting state in the generated sequences (the generator is not vacuous)', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(input, fc.array(cmd, { minLength: 20, maxLength: 60 }), (inp, cmds) => {
      const actor = createActor(vaultMachine, { input: inp }).start();
      let now = T0;
      cmds.forEach((c, k) => {
        const ev = concrete(c, actor.getSnapshot().context, now, k);
        now = Math.max(now, ev.at);
        actor.send(ev);
        seen.add(state(actor.getSnapshot()));
      });
      actor.stop();
    }), { numRuns: 60, seed: 4 });
    expect([...seen].sort()).toEqual(['cooldown', 'halted', 'hedging', 'neutral', 'overexposed', 'underexposed']);
  });
});
