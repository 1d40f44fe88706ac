// The vault machine as data, for inspection: its directed graph (from xstate/graph), a
// Mermaid stateDiagram-v2 drawn from that graph, and the machine config as JSON for the
// Stately editor. Pure: reads the machine definition only.
import type { AnyStateNode } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';
import { vaultMachine } from './vault.machine.ts';

export interface MachineEdge {
  from: string;
  to: string;
  /** The event type, or 'always' for an eventless transition. */
  event: string;
  /** Name of the guard, when the transition has one. */
  guard?: string;
  /**
   * 'root': declared on the machine root, so it applies in every resting state (expanded to
   * one edge per state). 'state': declared on the state itself.
   */
  scope: 'state' | 'root';
  /** True for a targetless transition: it updates context and keeps the state. */
  keepsState?: true;
}

export interface MachineGraph {
  states: string[];
  initial: string;
  /** States that the machine passes through but never rests in (eventless routing). */
  transient: string[];
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

/** The node's own key (`neutral`), not its id path (`vault.neutral`). */
const keyOf = (node: AnyStateNode): string => node.key;

/** A state with only eventless transitions whose last branch is unguarded never rests. */
function isTransient(node: AnyStateNode): boolean {
  const always = node.always ?? [];
  const last = always[always.length - 1];
  return node.transitions.size === 0 && last !== undefined && last.guard === undefined;
}

export function machineGraph(): MachineGraph {
  const root: DirectedGraphNode = toDirectedGraph(vaultMachine);
  const children = root.children;
  const states = children.map((c) => keyOf(c.stateNode));
  const transient = children.filter((c) => isTransient(c.stateNode)).map((c) => keyOf(c.stateNode));
  const resting = states.filter((s) => !transient.includes(s));
  const edges: MachineEdge[] = [];

  for (const child of children) {
    const from = keyOf(child.stateNode);
    // toDirectedGraph lists evented transitions (a targetless one targets its own state).
    for (const e of child.edges) {
      const guard = guardName(e.transition as TransitionLike);
      const keeps = e.transition.target === undefined;
      edges.push({ from, to: keyOf(e.target), event: e.label.text, ...(guard ? { guard } : {}), scope: 'state', ...(keeps ? { keepsState: true as const } : {}) });
    }
    // Eventless (always) transitions are not in toDirectedGraph's edges: add them from the node.
    for (const t of child.stateNode.always ?? []) {
      const guard = guardName(t as TransitionLike);
      for (const target of t.target ?? [child.stateNode]) {
        edges.push({ from, to: keyOf(target), event: 'always', ...(guard ? { guard } : {}), scope: 'state' });
      }
    }
  }
  // Root transitions apply in every resting state: a targetless one keeps the state (the
  // state's always edges then re-route it), a targeted one leaves for its target.
  for (const e of root.edges) {
    const guard = guardName(e.transition as TransitionLike);
    const targetless = e.target === root.stateNode;
    for (const from of resting) {
      edges.push({
        from, to: targetless ? from : keyOf(e.target), event: e.label.text,
        ...(guard ? { guard } : {}), scope: 'root', ...(targetless ? { keepsState: true as const } : {}),
      });
    }
  }
  const initialNode = root.stateNode.initial.target[0];
  if (!initialNode) throw new Error('vault machine has no initial state');
  const initial = keyOf(initialNode);
  return { states, initial, transient, edges };
}

/** A Mermaid `stateDiagram-v2` of the machine graph. Root book-keeping loops become one note. */
export function toMermaid(graph: MachineGraph = machineGraph()): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${graph.initial}`];
  for (const s of graph.transient) lines.push(`  state ${s} <<choice>>`);
  const label = (e: MachineEdge): string => (e.guard ? `${e.event} [${e.guard}]` : e.event);
  const rootLoops = new Set<string>();
  const seen = new Set<string>();
  for (const e of graph.edges) {
    if (e.scope === 'root' && e.keepsState) {
      rootLoops.add(label(e));
      continue;
    }
    const line = `  ${e.from} --> ${e.to} : ${label(e)}`;
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  }
  if (rootLoops.size > 0) {
    const first = graph.states.find((s) => !graph.transient.includes(s)) ?? graph.initial;
    lines.push(`  note right of ${first}`);
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
