// Model-based test of the vault machine: every simple path from xstate/graph's getSimplePaths
// over a finite event alphabet, replayed step by step on a live actor and checked against an
// independent oracle (./vaultOracle.ts) for the state and key context fields.
//
// The traversal abstracts a snapshot to (state, order in flight and whether partly filled,
// consecutive failures, stale feed, deadline armed); a simple path visits each abstract
// vertex at most once. Events are a function of the snapshot: hedge results name the order
// in flight, timers fire at the deadline (or 1 ms after the last event, before it).
import { createActor, transition } from 'xstate';
import { getSimplePaths } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { leafState, vaultMachine } from '../../machines/vault.machine.ts';
import type { VaultEvent } from '../../machines/vault.types.ts';
import { EXTENSIONS, HEDGE_PRICES, INPUT, TEMPLATES, concrete, eventsFor, serialize, templateOf, type Snap, type Template } from './vaultModel.ts';
import { oracleDelta, oracleNext, oracleStart, type Oracle } from './vaultOracle.ts';

const label = (t: Template): string => (t.k === 'tick' ? `tick ${t.priceUsd}` : t.k);

/** The fields the oracle predicts, rounded where the two sides may differ in float noise. */
function summary(value: string, seq: number, failures: number, cooldownUntil: number | null, stale: boolean, halted: boolean,
  perpBtc: number, delta: number, order: { id: string; side: string; reason: string; sizeBtc: number } | null,
  plan: { sizeBtc: number; reason: string } | null, legs: number): string {
  return JSON.stringify({
    value, seq, failures, cooldownUntil, stale, halted, perp: perpBtc.toFixed(9),
    // Feed and control events do not revalue: greeks may be one event (1 s of decay) old.
    delta: Math.round(delta * 1e3) / 1e3,
    order: order && { id: order.id, side: order.side, reason: order.reason, size: Math.round(order.sizeBtc * 1e3) },
    plan: plan && { reason: plan.reason, size: Math.round(plan.sizeBtc * 1e3) },
    legs,
  });
}

function expectMatches(o: Oracle, s: Snap, where: string): void {
  const c = s.context;
  const f = c.inFlight;
  const actual = summary(leafState(s.value), c.hedgeSeq, c.consecutiveFailures, c.cooldownUntil, c.feedStale, c.haltReason !== null,
    c.perpBtc, c.greeks.netBtc, f && { id: f.clientOrderId, side: f.side, reason: f.reason, sizeBtc: f.sizeBtc }, c.planned, c.book.length);
  const expected = summary(o.value, o.seq, o.failures, o.cooldownUntil, o.stale, o.halted, o.perpBtc, oracleDelta(o), o.inFlight, o.plan, o.book.length);
  if (actual === expected) return;
  // Rounding can split a delta or size that sits on a rounding edge: compare those with tolerance.
  const a = JSON.parse(actual) as Record<string, unknown>, e = JSON.parse(expected) as Record<string, unknown>;
  expect(Math.abs((a.delta as number) - (e.delta as number)), where).toBeLessThanOrEqual(0.0011);
  const ao = a.order as { size: number } | null, eo = e.order as { size: number } | null;
  if (ao && eo) expect(Math.abs(ao.size - eo.size), where).toBeLessThanOrEqual(1);
  const ap = a.plan as { size: number } | null, ep = e.plan as { size: number } | null;
  if (ap && ep) expect(Math.abs(ap.size - ep.size), where).toBeLessThanOrEqual(2);
  expect({ ...a, delta: 0, order: ao && { ...ao, size: 0 }, plan: ap && { ...ap, size: 0 } }, where)
    .toEqual({ ...e, delta: 0, order: eo && { ...eo, size: 0 }, plan: ep && { ...ep, size: 0 } });
}

/**
 * Follows a hedging episode clip by clip from (s, o): full fills (then a feed recovery, for a
 * clip held back by a stale feed), checking every step against the oracle.
 */
function followEpisode(s0: Snap, o0: Oracle, where: string): { checked: number; nextClips: number } {
  let s = s0, o = o0, checked = 0, nextClips = 0;
  for (const k of ['full', 'full', 'full', 'full', 'recovered', 'full', 'full', 'full'] as const) {
    const e = concrete({ k }, s.context);
    if (!e) continue;
    const before = s.context.inFlight?.clientOrderId;
    [s] = transition(vaultMachine, s, e);
    o = oracleNext(o, e);
    expectMatches(o, s, `${where} > ${k}`);
    checked++;
    if (e.type === 'hedge.filled' && s.context.inFlight && s.context.inFlight.clientOrderId !== before) nextClips++;
  }
  return { checked, nextClips };
}

describe('vault machine: every simple path (xstate/graph) against an independent oracle', () => {
  const started = Date.now();
  const paths = getSimplePaths(vaultMachine, { input: INPUT, events: eventsFor, serializeState: serialize });
  const buildMs = Date.now() - started;

  it('covers every resting state and every alphabet kind', () => {
    const ends = new Set(paths.map((p) => leafState(p.state.value)));
    expect([...ends].sort()).toEqual(['cooldown', 'halted', 'hedging', 'neutral', 'overexposed', 'underexposed']);
    const kinds = new Set(paths.flatMap((p) => p.steps.map((st) => templateOf.get(st.event)?.k).filter((k) => k !== undefined)));
    for (const t of EXTENSIONS) kinds.add(t.k);
    expect([...kinds].sort()).toEqual([...new Set([...TEMPLATES, ...EXTENSIONS].map((t) => t.k))].sort());
    console.info(`model: ${paths.length} simple paths, ${paths.reduce((n, p) => n + p.steps.length, 0)} steps, longest ${Math.max(...paths.map((p) => p.steps.length))}, built in ${buildMs} ms`);
  });

  it('replays every path on a live actor; each step and each end extension matches the oracle', () => {
    let checked = 0;
    let skipped = 0;
    let diverged = 0;
    let nextClips = 0;
    const endsSeen = new Set<string>();
    for (const [n, path] of paths.entries()) {
      const actor = createActor(vaultMachine, { input: INPUT }).start();
      let oracle = oracleStart(INPUT);
      const trail: string[] = [];
      for (const st of path.steps) {
        // alterPath gives a zero-step path one synthetic xstate.init step (untyped).
        if ((st.event as { type: string }).type === 'xstate.init') continue;
        const t = templateOf.get(st.event);
        if (!t) throw new Error(`path ${n}: event without template ${st.event.type}`);
        // Re-made against the replayed context: the graph's representative snapshot may hold
        // another order id or deadline than this path's own history.
        const ev = concrete(t, actor.getSnapshot().context);
        trail.push(label(t));
        if (!ev) { skipped++; continue; } // does not apply on this history (merged vertices): skip the step
        actor.send(ev);
        oracle = oracleNext(oracle, ev);
        expectMatches(oracle, actor.getSnapshot(), `path ${n}: ${trail.join(' > ')}`);
        checked++;
      }
      // Where the graph's representative snapshot differs in hidden context (perp, spot), the
      // replay can end elsewhere; the oracle checked every step either way. Counted, not failed.
      if (serialize(actor.getSnapshot()) !== serialize(path.state)) diverged++;
      // Extensions: every template (self-loops included: a simple path never takes one, so a
      // transition the machine lacks would go unseen) and the off-graph events, alone and (for
      // feed.stale) followed by each hedge-level tick; once per distinct end situation.
      const end = actor.getSnapshot();
      const c = end.context;
      const key = JSON.stringify([serialize(end), c.spotUsd, c.perpBtc.toFixed(6), c.cooldownUntil !== null, c.feedStale, c.book[0]?.qty]);
      if (endsSeen.has(key)) { actor.stop(); continue; }
      endsSeen.add(key);
      for (const t of [...TEMPLATES, ...EXTENSIONS]) {
        const ev = concrete(t, end.context);
        if (!ev) continue;
        const [s1] = transition(vaultMachine, end, ev);
        const o1 = oracleNext(oracle, ev);
        expectMatches(o1, s1, `path ${n}: ${trail.join(' > ')} > ${label(t)}`);
        checked++;
        if (t.k === 'settle') {
          const r = followEpisode(s1, o1, `path ${n}: ${trail.join(' > ')} > settle`);
          checked += r.checked;
          nextClips += r.nextClips;
          continue;
        }
        if (t.k !== 'stale') continue;
        for (const priceUsd of HEDGE_PRICES) {
          const tick = concrete({ k: 'tick', priceUsd }, s1.context) as VaultEvent;
          const [s2] = transition(vaultMachine, s1, tick);
          expectMatches(oracleNext(o1, tick), s2, `path ${n}: ${trail.join(' > ')} > stale > tick ${priceUsd}`);
          checked++;
        }
      }
      if (leafState(end.value) === 'hedging') {
        const r = followEpisode(end, oracle, `path ${n}: ${trail.join(' > ')}`);
        checked += r.checked;
        nextClips += r.nextClips;
      }
      actor.stop();
    }
    console.info(`model: ${nextClips} next clips followed; ${checked} steps checked against the oracle, ${skipped} steps skipped (not applicable on the replayed history), ${diverged} ended off the graph's vertex, ${endsSeen.size} distinct ends extended`);
    expect(skipped).toBeLessThan(checked / 10);
    // Clip sequences (band hedges, emergencies, flattens, expiry offsets) were followed, not just modelled.
    expect(nextClips).toBeGreaterThan(30);
    expect(checked).toBeGreaterThan(paths.length);
  });
});
