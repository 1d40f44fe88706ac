// The machine graph (from xstate/graph) and its Mermaid drawing.
import { describe, expect, it } from 'vitest';
import { machineConfigJson, machineGraph, toMermaid } from '../../../machines/vault.graph.ts';

describe('machineGraph', () => {
  const g = machineGraph();

  it('lists every state, the initial state and the transient router', () => {
    expect(g.states).toEqual(['neutral', 'overexposed', 'underexposed', 'hedging', 'cooldown', 'halted', 'routing']);
    expect(g.initial).toBe('neutral');
    expect(g.transient).toEqual(['routing']);
  });

  it('includes eventless edges as event "always", with their guards', () => {
    expect(g.edges).toContainEqual({ from: 'cooldown', to: 'hedging', event: 'always', guard: 'isEmergency', scope: 'state' });
    expect(g.edges).toContainEqual({ from: 'routing', to: 'underexposed', event: 'always', scope: 'state' });
    expect(g.edges).toContainEqual({ from: 'neutral', to: 'overexposed', event: 'always', guard: 'isAboveQuoteBand', scope: 'state' });
  });

  it('expands root transitions to every resting state, and never to routing', () => {
    for (const s of ['neutral', 'overexposed', 'underexposed', 'hedging', 'cooldown', 'halted']) {
      expect(g.edges).toContainEqual({ from: s, to: 'halted', event: 'control.pause', scope: 'root' });
      expect(g.edges).toContainEqual({ from: s, to: s, event: 'price.tick', scope: 'root', keepsState: true });
    }
    expect(g.edges.filter((e) => e.from === 'routing').every((e) => e.event === 'always')).toBe(true);
  });

  it('only halted -> * edges are control.resume (halted is left only by resume or re-pause)', () => {
    const out = g.edges.filter((e) => e.from === 'halted' && e.to !== 'halted');
    expect(new Set(out.map((e) => e.event))).toEqual(new Set(['control.resume']));
  });

  it('every state is reachable from the initial state', () => {
    const seen = new Set([g.initial]);
    for (let grew = true; grew;) {
      grew = false;
      for (const e of g.edges) if (seen.has(e.from) && !seen.has(e.to)) { seen.add(e.to); grew = true; }
    }
    expect([...seen].sort()).toEqual([...g.states].sort());
  });

  it('draws one Mermaid line per distinct edge and a note for the book-keeping loops', () => {
    const m = toMermaid(g);
    const arrows = m.split('\n').filter((l) => l.includes(' --> ') && !l.includes('[*]'));
    const drawn = new Set(g.edges.filter((e) => !(e.scope === 'root' && e.keepsState)).map((e) => `${e.from}>${e.to}>${e.event}>${e.guard ?? ''}`));
    expect(arrows).toHaveLength(drawn.size);
    expect(m).toContain('In every state: price.tick, fill.received');
  });

  it('exports the config with named guards and actions only (no functions lost silently)', () => {
    const json = machineConfigJson();
    const cfg = JSON.parse(json) as { states: Record<string, { always?: { guard?: string }[] }> };
    expect(cfg.states.neutral?.always?.map((t) => t.guard)).toEqual(['isHedgeDueOverLimit', 'isHedgeDue', 'isAboveQuoteBand', 'isBelowQuoteBand']);
    expect(json).not.toContain('function');
  });
});
