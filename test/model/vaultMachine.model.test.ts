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
import type { VaultContext, VaultEvent } from '../../machines/vault.types.ts';
import { T0, straddleVault } from '../fixtures/vaults.ts';
import { oracleDelta, oracleNext, oracleStart, type Oracle } from './vaultOracle.ts';

type Snap = ReturnType<typeof vaultMachine.transition>;

// The straddle fixture: delta at these prices (fixed bands 1 / 3 / 0.5 / 6 BTC):
//   21,000 +3.40 hedge (sell) | 22,000 +1.35 over | 22,700 -0.08 neutral | 23,500 -1.67 under | 24,500 -3.49 hedge (buy)
const PRICES = [21_000, 22_000, 22_700, 23_500, 24_500] as const;
const INPUT = straddleVault({ maxConsecutiveFailures: 2 });

/** The alphabet: one template per event kind; made concrete against a snapshot's context. */
type Template =
  | { k: 'tick'; priceUsd: number }
  | { k: 'fill' }
  | { k: 'accepted' | 'rejected' | 'failed' | 'partial' | 'full' | 'empty' | 'foreign' }
  | { k: 'timerPast' | 'timerEarly' }
  | { k: 'pause' | 'resume' | 'flatten' | 'stale' | 'recovered' };

const TEMPLATES: Template[] = [
  ...PRICES.map((priceUsd) => ({ k: 'tick' as const, priceUsd })),
  { k: 'fill' },
  { k: 'accepted' }, { k: 'partial' }, { k: 'full' }, { k: 'empty' }, { k: 'rejected' }, { k: 'failed' }, { k: 'foreign' },
  { k: 'timerPast' }, { k: 'timerEarly' },
  { k: 'pause' }, { k: 'resume' }, { k: 'flatten' }, { k: 'stale' }, { k: 'recovered' },
];

const templateOf = new WeakMap<VaultEvent, Template>();

/** The concrete event for a template in a context, or null when it does not apply there. */
function concrete(t: Template, ctx: VaultContext): VaultEvent | null {
  const at = (ctx.lastAt || T0) + 1_000;
  const o = ctx.inFlight;
  const id = o?.clientOrderId;
  switch (t.k) {
    case 'tick': return { type: 'price.tick', at, priceUsd: t.priceUsd };
    case 'fill': return { type: 'fill.received', at, fillId: `f${at}`, instrument: 'BTC-31MAR23-23000-C', side: 'buy', qty: 2, priceUsd: 900 };
    case 'accepted': return id ? { type: 'hedge.accepted', at, clientOrderId: id } : null;
    case 'rejected': return id ? { type: 'hedge.rejected', at, clientOrderId: id, reason: 'model' } : null;
    case 'failed': return id ? { type: 'hedge.failed', at, clientOrderId: id, reason: 'model' } : null;
    case 'partial': return o && id ? { type: 'hedge.filled', at, clientOrderId: id, filledBtc: Number((o.sizeBtc / 2).toFixed(3)), avgPriceUsd: ctx.spotUsd, feeUsd: 1, final: false } : null;
    case 'full': return o && id ? { type: 'hedge.filled', at, clientOrderId: id, filledBtc: o.sizeBtc, avgPriceUsd: ctx.spotUsd, feeUsd: 2, final: true } : null;
    case 'empty': return o && id ? { type: 'hedge.filled', at, clientOrderId: id, filledBtc: o.filledBtc, avgPriceUsd: ctx.spotUsd, feeUsd: 0, final: true } : null;
    case 'foreign': return id ? { type: 'hedge.filled', at, clientOrderId: `${id}x`, filledBtc: 1, avgPriceUsd: ctx.spotUsd, feeUsd: 0, final: true } : null;
    case 'timerPast': return ctx.cooldownUntil !== null ? { type: 'timer.fired', at: Math.max(at, ctx.cooldownUntil) } : null;
    case 'timerEarly': return ctx.cooldownUntil !== null && ctx.lastAt + 1 < ctx.cooldownUntil ? { type: 'timer.fired', at: ctx.lastAt + 1 } : null;
    case 'pause': return { type: 'control.pause', at };
    case 'resume': return { type: 'control.resume', at };
    case 'flatten': return { type: 'control.flatten', at };
    case 'stale': return { type: 'feed.stale', at };
    case 'recovered': return { type: 'feed.recovered', at };
  }
}

function eventsFor(s: Snap): VaultEvent[] {
  const out: VaultEvent[] = [];
  for (const t of TEMPLATES) {
    const ev = concrete(t, s.context);
    if (ev) {
      templateOf.set(ev, t);
      out.push(ev);
    }
  }
  return out;
}

/** The abstract vertex of a snapshot (see the header). */
function serialize(s: Snap): string {
  const c = s.context;
  const o = c.inFlight;
  return JSON.stringify([s.value, o ? (o.filledBtc > 0 ? 'partial' : 'open') : '-', c.consecutiveFailures, c.feedStale, c.cooldownUntil !== null]);
}

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
