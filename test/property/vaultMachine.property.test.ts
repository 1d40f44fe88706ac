// Properties of the vault machine over random event sequences (fast-check). Events are drawn
// as commands and made concrete against the live actor's current snapshot, so hedge results
// can name the order in flight (or a random other id) and timers can fire before or past the
// deadline. Checked after every event:
//   - never two hedges in flight (a new order only replaces "no order"), ids never repeat;
//   - every order is one clip: minOrderBtc <= size <= maxOrderBtc; a final fill with a next
//     clip planned (fresh feed) sends it in the same event; a halted vault plans nothing;
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
import type { VaultContext, VaultInput } from '../../machines/vault.types.ts';
import { nextClipBtc } from '../../src/domain/hedgeSize.ts';
import { persistedJson, type MachineSnapshotLike } from '../../src/engine/persistedJson.ts';
import { cmd, concrete, input, type Cmd } from '../fixtures/vaultCommands.ts';
import { T0 } from '../fixtures/vaults.ts';

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
      // One clip: within the venue's limits.
      expect(n.sizeBtc, where).toBeLessThanOrEqual(ctx.config.maxOrderBtc + 1e-9);
      expect(n.sizeBtc, where).toBeGreaterThanOrEqual(ctx.config.minOrderBtc - 1e-9);
    } else {
      expect(ctx.hedgeSeq, where).toBe(prev.context.hedgeSeq);
    }
    // A plan is always something to trade, never kept by a halted vault; a final fill with a next
    // clip planned (and a fresh feed) sends that clip in the same event.
    if (ctx.planned) expect(nextClipBtc(ctx.planned.sizeBtc, ctx.config), where).not.toBe(0);
    if (state(next) === 'halted') expect(ctx.planned, where).toBeNull();
    if (state(prev) === 'hedging' && p && ev.type === 'hedge.filled' && ev.final && ev.clientOrderId === p.clientOrderId && ev.filledBtc > 0 &&
      prev.context.planned && !prev.context.feedStale) {
      expect(n?.clientOrderId, `${where}: the next clip did not follow`).toBe(`${ctx.vaultId}-${prev.context.hedgeSeq + 1}`);
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
