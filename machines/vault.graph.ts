// The vault machine as data, for inspection: its states, groups (compound states) and edges,
// a Mermaid stateDiagram-v2 drawn from them, and the machine config as JSON for the Stately
// editor. Pure: reads the machine definition only.
import type { AnyStateNode } from 'xstate';
import { vaultMachine } from './vault.machine.ts';

export interface MachineEdge {
  /** A leaf state, or a group: an edge declared on a group applies in each of its states. */
  from: string;
  to: string;
  /** The event type, or 'always' for an eventless transition. */
  event: string;
  /** Name of the guard, when the transition has one. */
  guard?: string;
  /**
   * 'root': declared on the machine root, so it applies in every resting state (expanded to
   * one edge per state). 'state': declared on the state (or group) itself.
   */
  scope: 'state' | 'root';
  /** True for a targetless transition: it updates context and keeps the state. */
  keepsState?: true;
}

/** A compound state: the leaf states it holds (what they share is declared once, on it). */
export interface MachineGroup {
  name: string;
  states: string[];
}

export interface MachineGraph {
  /** Leaf states (the names the journal and the dashboard use): resting ones, then transient ones. */
  states: string[];
  /** The leaf the machine starts in. */
  initial: string;
  /** States that the machine passes through but never rests in (eventless routing). */
  transient: string[];
  groups: MachineGroup[];
  edges: MachineEdge[];
}

interface TransitionLike {
  eventType: string;
  target?: readonly AnyStateNode[] | undefined;
  guard?: unknown;
}

function guardName(t: TransitionLike): string | undefined {
  const g = t.guard;
  if (typeof g === 'string') return g;
  if (g && typeof g === 'object' && 'type' in g && typeof g.type === 'string') return g.type;
  return undefined;
}

/** The node's own key (`neutral`), not its id path (`vault.exposure.neutral`). */
const keyOf = (node: AnyStateNode): string => node.key;

const childrenOf = (node: AnyStateNode): AnyStateNode[] => Object.values(node.states);

/** A leaf with only eventless transitions whose last branch is unguarded never rests. */
function isTransient(node: AnyStateNode): boolean {
  const always = node.always ?? [];
  const last = always[always.length - 1];
  return node.transitions.size === 0 && last !== undefined && last.guard === undefined;
}

/** The edges declared on one state node: its evented transitions, then its eventless ones. */
function ownEdges(node: AnyStateNode): MachineEdge[] {
  const from = keyOf(node);
  const out: MachineEdge[] = [];
  for (const [event, list] of node.transitions) {
    for (const t of list) {
      const guard = guardName(t as TransitionLike);
      const targets = t.target ?? [];
      if (targets.length === 0) out.push({ from, to: from, event, ...(guard ? { guard } : {}), scope: 'state', keepsState: true });
      for (const target of targets) out.push({ from, to: keyOf(target), event, ...(guard ? { guard } : {}), scope: 'state' });
    }
  }
  for (const t of node.always ?? []) {
    const guard = guardName(t as TransitionLike);
    for (const target of t.target ?? [node]) out.push({ from, to: keyOf(target), event: 'always', ...(guard ? { guard } : {}), scope: 'state' });
  }
  return out;
}

/** The leaf a node starts in (itself for a leaf). */
function initialLeaf(node: AnyStateNode): AnyStateNode {
  let n = node;
  while (n.type === 'compound') {
    const next = n.initial.target[0];
    if (!next) throw new Error(`vault machine state ${n.id} has no initial child`);
    n = next;
  }
  return n;
}

export function machineGraph(): MachineGraph {
  const root = vaultMachine.root;
  const leaves: AnyStateNode[] = [];
  const groups: MachineGroup[] = [];
  const edges: MachineEdge[] = [];
  const walk = (node: AnyStateNode): void => {
    edges.push(...ownEdges(node));
    const kids = childrenOf(node);
    if (kids.length === 0) { leaves.push(node); return; }
    groups.push({ name: keyOf(node), states: kids.filter((k) => childrenOf(k).length === 0).map(keyOf) });
    for (const k of kids) walk(k);
  };
  for (const top of childrenOf(root)) walk(top);
  const transient = leaves.filter(isTransient).map(keyOf);
  const resting = leaves.map(keyOf).filter((s) => !transient.includes(s));
  // Root transitions apply in every resting state: a targetless one keeps the state (the
  // state's always edges then re-route it), a targeted one leaves for its target.
  for (const e of ownEdges(root)) {
    for (const from of resting) {
      edges.push(e.keepsState ? { ...e, from, to: from, scope: 'root' } : { ...e, from, scope: 'root' });
    }
  }
  return { states: [...resting, ...transient], initial: keyOf(initialLeaf(root)), transient, groups, edges };
}

/**
 * A Mermaid `stateDiagram-v2` of the machine graph. A group is a composite state holding its
 * states and the edges among them; its own edges leave the composite once. Root edges that every
 * resting state of a group has are drawn once from the group; root book-keeping loops become one
 * note. Edges between the same two states share one arrow, one label line each (Mermaid draws
 * parallel arrows' labels on top of each other).
 */
export function toMermaid(graph: MachineGraph = machineGraph()): string {
  const label = (e: MachineEdge): string => (e.guard ? `${e.event} [${e.guard}]` : e.event);
  const groupOf = new Map<string, string>();
  for (const g of graph.groups) for (const s of g.states) groupOf.set(s, g.name);
  const restingIn = (g: string): string[] => graph.groups.find((x) => x.name === g)?.states.filter((s) => !graph.transient.includes(s)) ?? [];
  const rootLoops = new Set<string>();
  // One arrow per (from, to), its labels in edge order; arrows inside a group are drawn inside it.
  const arrows = new Map<string, { from: string; to: string; group: string | undefined; labels: string[] }>();
  for (const e of graph.edges) {
    if (e.scope === 'root' && e.keepsState) { rootLoops.add(label(e)); continue; }
    let from = e.from;
    const g = groupOf.get(e.from);
    if (e.scope === 'root' && g !== undefined) {
      const all = restingIn(g).every((m) => graph.edges.some((x) => x.scope === 'root' && x.from === m && x.to === e.to && label(x) === label(e)));
      if (all) from = g;
    }
    const inside = g !== undefined && from === e.from && groupOf.get(e.to) === g ? g : undefined;
    const key = `${from}\u0000${e.to}`;
    const a = arrows.get(key) ?? { from, to: e.to, group: inside, labels: [] };
    if (!a.labels.includes(label(e))) a.labels.push(label(e));
    arrows.set(key, a);
  }
  const line = (a: { from: string; to: string; labels: string[] }): string => `${a.from} --> ${a.to} : ${a.labels.join('<br/>')}`;
  const initialGroup = groupOf.get(graph.initial);
  const lines = ['stateDiagram-v2', `  [*] --> ${initialGroup ?? graph.initial}`];
  for (const s of graph.transient) if (!groupOf.has(s)) lines.push(`  state ${s} <<choice>>`);
  for (const g of graph.groups) {
    lines.push(`  state ${g.name} {`);
    const first = initialGroup === g.name ? graph.initial : g.states[0];
    if (first !== undefined) lines.push(`    [*] --> ${first}`);
    for (const s of g.states) if (graph.transient.includes(s)) lines.push(`    state ${s} <<choice>>`);
    for (const a of arrows.values()) if (a.group === g.name) lines.push(`    ${line(a)}`);
    lines.push('  }');
  }
  for (const a of arrows.values()) if (a.group === undefined) lines.push(`  ${line(a)}`);
  if (rootLoops.size > 0) {
    lines.push(`  note left of ${graph.groups[0]?.name ?? graph.initial}`);
    lines.push(`    In every state: ${[...rootLoops].join(', ')}`);
    lines.push('    update context, then the state re-routes by its always edges');
    lines.push('  end note');
  }
  return `${lines.join('\n')}\n`;
}

/** The machine config as JSON: named guards and actions survive; wrap in createMachine(...) for the Stately editor. */
export function machineConfigJson(space = 2): string {
  return JSON.stringify(vaultMachine.config, null, space);
}
