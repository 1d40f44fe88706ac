// Model-based test of the vault machine: every simple path from xstate/graph's getSimplePaths
// over a finite event alphabet, replayed step by step on a live actor and checked against an
// independent oracle (./vaultOracle.ts) for the state and key context fields.
//
// The traversal abstracts a snapshot to (state, order in flight and whether partly filled,
// consecutive failures, stale feed, deadline armed); a simple path visits each abstract
// vertex at most once. Events are a function of the snapshot: hedge results name the order
// in flight, timers fire at the deadline (or 1 ms after the last event, before it).
import { createActor } from 'xstate';
import { getSimplePaths } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { vaultMachine } from '../../machines/vault.machine.ts';
import type { VaultEvent } from '../../machines/vault.types.ts';
import { INPUT, TEMPLATES, concrete, eventsFor, serialize, templateOf, type Snap } from './vaultModel.ts';
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
  expect(c.greeks.netBtc, where).toBeCloseTo(oracleDelta(o), 6);
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
    const kinds = new Set(paths.flatMap((p) => p.steps.map((st) => templateOf.get(st.event)?.k).filter((k) => k !== undefined)));
    expect([...kinds].sort()).toEqual([...new Set(TEMPLATES.map((t) => t.k))].sort());
    console.info(`model: ${paths.length} simple paths, ${paths.reduce((n, p) => n + p.steps.length, 0)} steps, longest ${Math.max(...paths.map((p) => p.steps.length))}, built in ${buildMs} ms`);
  });

  it('replays every path on a live actor; each step matches the oracle and the graph', () => {
    let checked = 0;
    for (const [n, path] of paths.entries()) {
      const actor = createActor(vaultMachine, { input: INPUT }).start();
      let oracle = oracleStart(INPUT);
      const trail: string[] = [];
      for (const st of path.steps) {
        if (st.event.type === 'xstate.init') continue;
        const t = templateOf.get(st.event as VaultEvent);
        if (!t) throw new Error(`path ${n}: event without template ${st.event.type}`);
        // Re-made against the replayed context: the graph's representative snapshot may hold
        // another order id or deadline than this path's own history.
        const ev = concrete(t, actor.getSnapshot().context);
        trail.push(t.k === 'tick' ? `tick ${t.priceUsd}` : t.k);
        if (!ev) break; // the template does not apply on this history (abstraction merged vertices)
        actor.send(ev);
        oracle = oracleNext(oracle, ev);
        const snap = actor.getSnapshot();
        expectMatches(oracle, snap, `path ${n}: ${trail.join(' > ')}`);
        checked++;
      }
      actor.stop();
    }
    expect(checked).toBeGreaterThan(paths.length);
  });
});
