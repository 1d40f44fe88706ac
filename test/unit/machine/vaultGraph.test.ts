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
    expect(g.edges).toContainEqual({ from: 'cooldown', to: 'hedging', event: 'always', guard: 'isCooldownBypass', scope: 'state' });
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

  it('takes the venue marks (vol, MMP, account) in every resting state, guarded, keeping the state; the Mermaid note lists them', () => {
    const marks = [['vol.marked', 'isNewVolMark'], ['mmp.triggered', 'isMmpFreeze'], ['account.marked', 'isAccountMark']] as const;
    for (const s of ['neutral', 'overexposed', 'underexposed', 'hedging', 'cooldown', 'halted']) {
      for (const [event, guard] of marks) expect(g.edges).toContainEqual({ from: s, to: s, event, guard, scope: 'root', keepsState: true });
    }
    for (const [event] of marks) expect(g.edges.filter((e) => e.event === event && e.from !== e.to)).toEqual([]);
    expect(toMermaid(g)).toContain('vol.marked [isNewVolMark], mmp.triggered [isMmpFreeze], account.marked [isAccountMark]');
    expect(toMermaid(g).split('\n').filter((l) => l.includes(' --> ') && /vol\.marked|mmp\.triggered|account\.marked/.test(l))).toEqual([]);
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

  it('declares what neutral, overexposed, underexposed and routing share once, on their group', () => {
    expect(g.groups).toEqual([{ name: 'exposure', states: ['neutral', 'overexposed', 'underexposed', 'routing'] }]);
    const shared = g.edges.filter((e) => e.from === 'exposure');
    expect(shared).toEqual([
      { from: 'exposure', to: 'hedging', event: 'control.flatten', guard: 'canFlatten', scope: 'state' },
      { from: 'exposure', to: 'halted', event: 'always', guard: 'isHedgeDueOverLimit', scope: 'state' },
      { from: 'exposure', to: 'hedging', event: 'always', guard: 'isHedgeDue', scope: 'state' },
    ]);
    // No state of the group repeats them.
    const members = new Set(g.groups[0]?.states);
    expect(g.edges.filter((e) => members.has(e.from) && e.scope === 'state' && !members.has(e.to))).toEqual([]);
  });

  it('draws one Mermaid arrow per pair of states (labels stacked), the group as a composite, and a note for the book-keeping loops', () => {
    const m = toMermaid(g);
    const arrows = m.split('\n').filter((l) => l.includes(' --> ') && !l.includes('[*]'));
    expect(new Set(arrows.map((l) => l.split(' : ')[0]?.trim())).size).toBe(arrows.length);
    for (const e of g.edges.filter((x) => !(x.scope === 'root' && x.keepsState))) {
      expect(m).toContain(e.guard ? `${e.event} [${e.guard}]` : e.event);
    }
    expect(m).toContain('state exposure {');
    expect(m).toContain('exposure --> halted : always [isHedgeDueOverLimit]<br/>control.pause');
    expect(m).toContain('In every state: price.tick, fill.received');
  });

  it('exports the config with named guards and actions only (no functions lost silently)', () => {
    const json = machineConfigJson();
    type Node = { always?: { guard?: string }[]; states?: Record<string, Node> };
    const cfg = JSON.parse(json) as { states: Record<string, Node> };
    // XState tries a state's own eventless transitions before its parent's (same end state: see vault.machine.ts).
    expect(cfg.states.exposure?.always?.map((t) => t.guard)).toEqual(['isHedgeDueOverLimit', 'isHedgeDue']);
    expect(cfg.states.exposure?.states?.neutral?.always?.map((t) => t.guard)).toEqual(['isAboveQuoteBand', 'isBelowQuoteBand']);
    expect(json).not.toContain('function');
  });
});
