// Draws the vault machine as inline SVG (the offline stand-in for the Stately inspector).
// The known states sit on a fixed layout, a group (compound state, e.g. `exposure`) as a frame
// around its states; any other state goes on an extra row below. Transient states (routing) are
// not drawn: an edge into one enters its group. Edges between the same pair merge into one arrow
// whose label lists each event once (an eventless edge shows its guard instead of "always", and
// is dashed); an edge that every state of a group has is drawn once, from the frame. Every
// state is a <g class="st" data-state=...> and every arrow a <g class="edge" data-from data-to>
// (plus data-from-states / data-to-states, the states a frame end stands for), so the page
// highlights the live state and the last transition with a class.
import type { MachineGraph } from './engineView.ts';

const W = 560;
const BOX_W = 124;
const BOX_H = 34;
const FIXED: Record<string, { x: number; y: number }> = {
  neutral: { x: 280, y: 64 },
  overexposed: { x: 118, y: 160 },
  underexposed: { x: 442, y: 160 },
  hedging: { x: 118, y: 302 },
  cooldown: { x: 442, y: 302 },
  halted: { x: 280, y: 410 },
};
const FIXED_BOTTOM = 444;
/**
 * Control points of arrows that would otherwise cross the middle of the picture: the risk-limit
 * and pause arrow into halted runs down the left margin, resume back up the right one.
 */
const ROUTES: Record<string, { x: number; y: number }> = {
  'exposure>halted': { x: 8, y: 418 },
  'halted>exposure': { x: 552, y: 418 },
};
/** Frame padding around a group's states, px (the top holds the group's name). */
const PAD = { x: 18, top: 34, bottom: 26 };

type Pt = { x: number; y: number };
interface Box { x0: number; y0: number; x1: number; y1: number }
interface Edge { from: string; to: string; event: string; guard?: string }

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const boxAt = (p: Pt): Box => ({ x0: p.x - BOX_W / 2, y0: p.y - BOX_H / 2, x1: p.x + BOX_W / 2, y1: p.y + BOX_H / 2 });

function layout(states: string[]): { pos: Map<string, Pt>; bottom: number } {
  const pos = new Map<string, Pt>();
  const extra = states.filter((s) => !(s in FIXED));
  for (const s of states) { const p = FIXED[s]; if (p) pos.set(s, p); }
  extra.forEach((s, i) => pos.set(s, { x: 80 + (i % 4) * 133, y: FIXED_BOTTOM + 40 + Math.floor(i / 4) * 60 }));
  return { pos, bottom: FIXED_BOTTOM + Math.ceil(extra.length / 4) * 60 + (extra.length > 0 ? 20 : 0) };
}

/** Point where the segment from the box centre c towards t leaves the box (half sizes hw, hh). */
function boxExit(c: Pt, t: Pt, hw = BOX_W / 2, hh = BOX_H / 2): Pt {
  const dx = t.x - c.x;
  const dy = t.y - c.y;
  const k = Math.min(dx === 0 ? Infinity : (hw + 3) / Math.abs(dx), dy === 0 ? Infinity : (hh + 3) / Math.abs(dy));
  return { x: c.x + dx * k, y: c.y + dy * k };
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Does the segment a-b pass through box r (sampled; boxes are far larger than the step)? */
function crosses(a: Pt, b: Pt, r: Box): boolean {
  for (let u = 0.05; u < 1; u += 0.05) {
    const x = a.x + (b.x - a.x) * u, y = a.y + (b.y - a.y) * u;
    if (x > r.x0 && x < r.x1 && y > r.y0 && y < r.y1) return true;
  }
  return false;
}

const LINE_H = 13;
const CHAR_W = 6.6; // px per char at the label font size

/** Picks the point along the quadratic curve s-c-t where the label overlaps least (first free spot wins). */
function placeLabel(lines: string[], s: Pt, c: Pt, t: Pt, taken: Box[]): Pt {
  const halfW = Math.max(...lines.map((l) => l.length)) * (CHAR_W / 2) + 3;
  const halfH = (lines.length * LINE_H) / 2 + 2;
  let best: { p: Pt; box: Box; cost: number } | null = null;
  for (const u of [0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8]) {
    const p = { x: (1 - u) ** 2 * s.x + 2 * (1 - u) * u * c.x + u ** 2 * t.x, y: (1 - u) ** 2 * s.y + 2 * (1 - u) * u * c.y + u ** 2 * t.y };
    const box = { x0: p.x - halfW, y0: p.y - halfH, x1: p.x + halfW, y1: p.y + halfH };
    const cost = taken.reduce((acc, b) => acc + overlap(box, b), 0);
    if (!best || cost < best.cost) best = { p, box, cost };
    if (cost === 0) break;
  }
  const chosen = best as { p: Pt; box: Box };
  taken.push(chosen.box);
  return chosen.p;
}

/** One label line per event; an eventless edge names its guard; `hedge.a`, `hedge.b` share one line as `hedge.a|b`. */
function labelLines(edges: readonly Edge[]): string[] {
  const words: string[] = [];
  for (const e of edges) {
    const w = e.event === 'always' ? (e.guard ?? 'always') : e.event;
    if (!words.includes(w)) words.push(w);
  }
  const lines: string[] = [];
  for (const w of words) {
    const dot = w.indexOf('.');
    const prefix = dot > 0 ? w.slice(0, dot + 1) : null;
    const at = prefix ? lines.findIndex((l) => l.startsWith(prefix)) : -1;
    if (prefix && at >= 0) lines[at] = `${lines[at] as string}|${w.slice(prefix.length)}`;
    else lines.push(w);
  }
  return lines;
}

export function machineSvg(graph: MachineGraph): string {
  const transient = new Set(graph.transient ?? []);
  const shown = graph.states.filter((s) => !transient.has(s));
  const { pos, bottom } = layout(shown);
  const groups = (graph.groups ?? []).map((g) => ({ name: g.name, states: g.states.filter((s) => pos.has(s)) })).filter((g) => g.states.length > 0);
  const groupOf = new Map<string, string>();
  for (const g of graph.groups ?? []) for (const s of g.states) groupOf.set(s, g.name);
  const frames = new Map<string, Box>();
  for (const g of groups) {
    const boxes = g.states.map((s) => boxAt(pos.get(s) as Pt));
    frames.set(g.name, {
      x0: Math.min(...boxes.map((b) => b.x0)) - PAD.x, y0: Math.min(...boxes.map((b) => b.y0)) - PAD.top,
      x1: Math.max(...boxes.map((b) => b.x1)) + PAD.x, y1: Math.max(...boxes.map((b) => b.y1)) + PAD.bottom,
    });
  }
  const membersOf = (name: string): string[] => groups.find((g) => g.name === name)?.states ?? [];

  // Where an edge end is drawn: its state, or the group frame of a transient state or of an
  // edge that every state of the group has (root edges arrive expanded, one per state).
  const end = (s: string): string | null => (pos.has(s) ? s : transient.has(s) ? (groupOf.get(s) ?? null) : frames.has(s) ? s : null);
  const pairs = new Map<string, { from: string; to: string; edges: Edge[] }>();
  const add = (from: string, to: string, e: Edge): void => {
    const key = `${from}\u0000${to}`;
    const p = pairs.get(key) ?? { from, to, edges: [] };
    p.edges.push(e);
    pairs.set(key, p);
  };
  for (const e of graph.edges) {
    let from = end(e.from);
    const to = end(e.to);
    if (from === null || to === null || transient.has(e.from)) continue;
    const g = groupOf.get(from);
    if (g !== undefined && frames.has(g) && groupOf.get(to) !== g) {
      const everyMember = membersOf(g).every((m) => graph.edges.some((x) => x.from === m && x.to === e.to && x.event === e.event && x.guard === e.guard));
      if (everyMember) from = g;
    }
    add(from, to, e);
  }

  // A frame end of an arrow: the point of the frame nearest the other end.
  const anchor = (name: string, other: Pt): Pt => {
    const f = frames.get(name);
    if (!f) return pos.get(name) as Pt;
    return { x: Math.min(f.x1 - 24, Math.max(f.x0 + 24, other.x)), y: Math.min(f.y1, Math.max(f.y0, other.y)) };
  };
  const centre = (name: string): Pt => {
    const f = frames.get(name);
    return f ? { x: (f.x0 + f.x1) / 2, y: (f.y0 + f.y1) / 2 } : pos.get(name) as Pt;
  };

  const edges: string[] = [];
  const labels: string[] = [];
  const nodeBoxes = [...pos.values()].map(boxAt);
  // Boxes already taken (state boxes, then placed labels): a label slides along its curve to
  // the first spot that overlaps none of them.
  const taken: Box[] = [...nodeBoxes];
  const statesAttr = (name: string, side: 'from' | 'to'): string => (frames.has(name) ? ` data-${side}-states="${esc(membersOf(name).join(' '))}"` : '');
  for (const { from, to, edges: es } of pairs.values()) {
    if (from === to) continue;
    const route = ROUTES[`${from}>${to}`];
    const a = frames.has(from) ? anchor(from, route ?? centre(to)) : pos.get(from) as Pt;
    const b = frames.has(to) ? anchor(to, route ?? centre(from)) : pos.get(to) as Pt;
    // Bend every arrow to its left so the two directions of a pair do not overlap; further
    // where the straight line would cross another state; along a fixed route where one is set.
    const through = nodeBoxes.some((r) => !(r.x0 < a.x && a.x < r.x1 && r.y0 < a.y && a.y < r.y1) && !(r.x0 < b.x && b.x < r.x1 && r.y0 < b.y && b.y < r.y1) && crosses(a, b, r));
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const bend = through ? 64 : 22;
    const c = ROUTES[`${from}>${to}`] ?? { x: mx + ((b.y - a.y) / len) * bend, y: my - ((b.x - a.x) / len) * bend };
    const s = frames.has(from) ? a : boxExit(a, c);
    const t = frames.has(to) ? b : boxExit(b, c);
    const eventless = es.every((e) => e.event === 'always');
    const lines = labelLines(es);
    const at = placeLabel(lines, s, c, t, taken);
    const detail = es.map((e) => (e.guard ? `${e.event} [${e.guard}]` : e.event)).join(', ');
    const title = `<title>${esc(from)} → ${esc(to)}: ${esc(detail)}</title>`;
    const data = `data-from="${esc(from)}" data-to="${esc(to)}"${statesAttr(from, 'from')}${statesAttr(to, 'to')}`;
    edges.push(`<g class="edge${eventless ? ' eventless' : ''}" ${data}>${title}` +
      `<path d="M${s.x.toFixed(1)},${s.y.toFixed(1)} Q${c.x.toFixed(1)},${c.y.toFixed(1)} ${t.x.toFixed(1)},${t.y.toFixed(1)}"${eventless ? ' stroke-dasharray="5 4"' : ''} marker-end="url(#omm-arrow)"/></g>`);
    const y0 = at.y + 4 - ((lines.length - 1) * LINE_H) / 2;
    const spans = lines.map((l, i) => `<tspan x="${at.x.toFixed(1)}" y="${(y0 + i * LINE_H).toFixed(1)}">${esc(l)}</tspan>`).join('');
    labels.push(`<text class="elabel" ${data}>${title}${spans}</text>`);
  }

  const frameSvg = [...frames].map(([name, f]) => `<g class="grp" data-group="${esc(name)}"><title>${esc(name)}: ${esc(membersOf(name).join(', '))}</title>` +
    `<rect x="${f.x0}" y="${f.y0}" width="${f.x1 - f.x0}" height="${f.y1 - f.y0}" rx="12" fill="none" stroke="#3b4658" stroke-dasharray="2 3"/>` +
    `<text x="${f.x0 + 12}" y="${f.y0 + 17}" fill="#7d899b" font-size="12">${esc(name)}</text></g>`);

  const nodes = shown.map((st) => {
    const p = pos.get(st) as Pt;
    const loops = pairs.get(`${st}\u0000${st}`)?.edges.map((e) => e.event).filter((e, i, all) => all.indexOf(e) === i) ?? [];
    const title = loops.length > 0 ? `<title>${esc(st)} (stays on: ${esc(loops.join(', '))})</title>` : `<title>${esc(st)}</title>`;
    const initial = st === graph.initial ? ' initial' : '';
    return `<g class="st${initial}" data-state="${esc(st)}">${title}` +
      `<rect x="${p.x - BOX_W / 2}" y="${p.y - BOX_H / 2}" width="${BOX_W}" height="${BOX_H}" rx="9"/>` +
      `<text x="${p.x}" y="${p.y + 4.5}">${esc(st)}</text></g>`;
  });

  return `<svg class="machine" viewBox="0 0 ${W} ${bottom}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="vault state machine">` +
    `<defs><marker id="omm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>` +
    `<g class="groups">${frameSvg.join('')}</g><g class="edges">${edges.join('')}</g><g class="nodes">${nodes.join('')}</g><g class="labels">${labels.join('')}</g></svg>`;
}
