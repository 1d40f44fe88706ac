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
import { vaultMachine } from '../../machines/vault.machine.ts';
import type { VaultEvent } from '../../machines/vault.types.ts';
import { EXTENSIONS, INPUT, PRICES, TEMPLATES, concrete, eventsFor, serialize, templateOf, type Snap } from './vaultModel.ts';
import { oracleDelta, oracleNext, oracleStart, type Oracle } from './vaultOracle.ts';

function expectMatches(o: Oracle, s: Snap, where: string): void {
  const c = s.context;
  expect(s.value, where).toBe(o.value);
  expect(c.hedgeSeq, where).toBe(o.seq);
  expect(c.consecutiveFailures, where).toBe(o.failures);
  expect(c.cooldownUntil, where).toBe(o.cooldownUntil);
  expect(c.feedStale, where).toBe(o.stale);
  expect(c.haltReason !== null, where).toBe(o.halted);
  expect(c.perpBtc, where).toBeCloseTo(o.perpBtc, 9);
  // Feed and control events do not revalue: greeks may be one event (1 s of decay) old.
  expect(c.greeks.netBtc, where).toBeCloseTo(oracleDelta(o), 3);
  if (o.inFlight === null) {
    expect(c.inFlight, where).toBeNull();
  } else {
    expect(c.inFlight, where).not.toBeNull();
    expect(c.inFlight?.clientOrderId, where).toBe(o.inFlight.id);
    expect(c.inFlight?.side, where).toBe(o.inFlight.side);
    expect(c.inFlight?.reason, where).toBe(o.inFlight.reason);
    expect(Math.abs((c.inFlight?.sizeBtc ?? 0) - o.inFlight.sizeBtc), where).toBeLessThanOrEqual(0.0011);
  }
}

describe('vault machine: every simple path (xstate/graph) against an independent oracle', () => {
  const started = Date.now();
  const paths = getSimplePaths(vaultMachine, { input: INPUT, events: eventsFor, serializeState: serialize });
  const buildMs = Date.now() - started;

  it('covers every resting state and every alphabet kind', () => {
    const ends = new Set(paths.map((p) => String(p.state.value)));
    expect([...ends].sort()).toEqual(['cooldown', 'halted', 'hedging', 'neutral', 'overexposed', 'underexposed']);
    const kinds = new Set(paths.flatMap((p) => p.steps.map((st) => templateOf.get(st.event as VaultEvent)?.k).filter((k) => k !== undefined)));
    for (const t of EXTENSIONS) kinds.add(t.k);
    expect([...kinds].sort()).toEqual([...new Set(TEMPLATES.map((t) => t.k))].sort());
    console.info(`model: ${paths.length} simple paths, ${paths.reduce((n, p) => n + p.steps.length, 0)} steps, longest ${Math.max(...paths.map((p) => p.steps.length))}, built in ${buildMs} ms`);
  });

  it('replays every path on a live actor; each step and each end extension matches the oracle', () => {
    let checked = 0;
    let skipped = 0;
    let diverged = 0;
    for (const [n, path] of paths.entries()) {
      const actor = createActor(vaultMachine, { input: INPUT }).start();
      let oracle = oracleStart(INPUT);
      const trail: string[] = [];
      let complete = true;
      for (const st of path.steps) {
        if (st.event.type === 'xstate.init') continue;
        const t = templateOf.get(st.event as VaultEvent);
        if (!t) throw new Error(`path ${n}: event without template ${st.event.type}`);
        // Re-made against the replayed context: the graph's representative snapshot may hold
        // another order id or deadline than this path's own history.
        const ev = concrete(t, actor.getSnapshot().context);
        trail.push(t.k === 'tick' ? `tick ${t.priceUsd}` : t.k);
        if (!ev) { complete = false; break; } // does not apply on this history (merged vertices)
        actor.send(ev);
        oracle = oracleNext(oracle, ev);
        expectMatches(oracle, actor.getSnapshot(), `path ${n}: ${trail.join(' > ')}`);
        checked++;
      }
      if (!complete) { skipped++; actor.stop(); continue; }
      // Where the graph's representative snapshot differs in hidden context (perp, spot), the
      // replay can end elsewhere; the oracle checked every step either way. Counted, not failed.
      if (serialize(actor.getSnapshot()) !== serialize(path.state)) diverged++;
      // Extensions: the off-graph events, alone and (for feed.stale) followed by each tick.
      const end = actor.getSnapshot();
      for (const t of EXTENSIONS) {
        const ev = concrete(t, end.context);
        if (!ev) continue;
        const [s1] = transition(vaultMachine, end, ev);
        const o1 = oracleNext(oracle, ev);
        expectMatches(o1, s1, `path ${n}: ${trail.join(' > ')} > ${t.k}`);
        checked++;
        if (t.k !== 'stale') continue;
        for (const priceUsd of PRICES) {
          const tick = concrete({ k: 'tick', priceUsd }, s1.context) as VaultEvent;
          const [s2] = transition(vaultMachine, s1, tick);
          expectMatches(oracleNext(o1, tick), s2, `path ${n}: ${trail.join(' > ')} > stale > tick ${priceUsd}`);
          checked++;
        }
      }
      actor.stop();
    }
    console.info(`model: ${checked} steps checked against the oracle, ${skipped} paths cut short, ${diverged} ended off the graph's vertex`);
    expect(skipped).toBeLessThan(paths.length / 10);
    expect(checked).toBeGreaterThan(paths.length);
  });
});
