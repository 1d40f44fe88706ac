// Draws the vault machine as inline SVG (the offline stand-in for the Stately inspector).
// The six known states sit on a fixed layout; any other state goes on an extra row. Edges
// between the same pair of states merge into one arrow labelled with their events. Every
// state is a <g class="st" data-state=...> and every arrow a <g class="edge" data-from
// data-to>, so the page highlights the live state and the last transition with a class.
import type { MachineGraph } from './engineView.ts';

const W = 540;
const BOX_W = 124;
const BOX_H = 34;
const FIXED: Record<string, { x: number; y: number }> = {
  overexposed: { x: 72, y: 30 },
  neutral: { x: 270, y: 30 },
  underexposed: { x: 468, y: 30 },
  hedging: { x: 140, y: 178 },
  cooldown: { x: 400, y: 178 },
  halted: { x: 270, y: 318 },
};

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function layout(states: string[]): Map<string, { x: number; y: number }> {
  const pos = new Map<string, { x: number; y: number }>();
  const extra = states.filter((s) => !(s in FIXED));
  for (const s of states) { const p = FIXED[s]; if (p) pos.set(s, p); }
  extra.forEach((s, i) => pos.set(s, { x: 72 + (i % 4) * 132, y: 396 + Math.floor(i / 4) * 60 }));
  return pos;
}

/** Point where the segment from the box centre c towards t leaves the box. */
function boxExit(c: { x: number; y: number }, t: { x: number; y: number }): { x: number; y: number } {
  const dx = t.x - c.x;
  const dy = t.y - c.y;
  const k = Math.min(dx === 0 ? Infinity : (BOX_W / 2 + 3) / Math.abs(dx), dy === 0 ? Infinity : (BOX_H / 2 + 3) / Math.abs(dy));
  return { x: c.x + dx * k, y: c.y + dy * k };
}

interface Box { x0: number; y0: number; x1: number; y1: number }
type Pt = { x: number; y: number };

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Picks the point along the quadratic curve s-c-t where the label overlaps least (first free spot wins). */
function placeLabel(label: string, s: Pt, c: Pt, t: Pt, taken: Box[]): Pt {
  const halfW = label.length * 3.3 + 3; // ~6.6 px per char at the label font size
  let best: { p: Pt; box: Box; cost: number } | null = null;
  for (const u of [0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8]) {
    const p = { x: (1 - u) ** 2 * s.x + 2 * (1 - u) * u * c.x + u ** 2 * t.x, y: (1 - u) ** 2 * s.y + 2 * (1 - u) * u * c.y + u ** 2 * t.y };
    const box = { x0: p.x - halfW, y0: p.y - 8, x1: p.x + halfW, y1: p.y + 8 };
    const cost = taken.reduce((acc, b) => acc + overlap(box, b), 0);
    if (!best || cost < best.cost) best = { p, box, cost };
    if (cost === 0) break;
  }
  const chosen = best as { p: Pt; box: Box };
  taken.push(chosen.box);
  return chosen.p;
}

function shortEvent(e: string): string {
  return e.length > 18 ? `${e.slice(0, 17)}…` : e;
}

export function machineSvg(graph: MachineGraph): string {
  const pos = layout(graph.states);
  const extraRows = Math.ceil(graph.states.filter((s) => !(s in FIXED)).length / 4);
  // Tall enough for the last row's boxes (extra rows sit at y = 396, 456, ...) and a margin.
  const height = extraRows === 0 ? 346 : 396 + (extraRows - 1) * 60 + BOX_H / 2 + 12;

  // Merge parallel edges; self-loops (e.g. a partial fill staying in hedging) are listed in the title only.
  const pairs = new Map<string, { from: string; to: string; events: string[] }>();
  for (const e of graph.edges) {
    if (!pos.has(e.from) || !pos.has(e.to)) continue;
    const key = `${e.from}\u0000${e.to}`;
    const p = pairs.get(key) ?? { from: e.from, to: e.to, events: [] };
    if (!p.events.includes(e.event)) p.events.push(e.event);
    pairs.set(key, p);
  }

  const edges: string[] = [];
  const labels: string[] = [];
  // Boxes already taken (state boxes, then placed labels): a label slides along its curve
  // to the first spot that overlaps none of them.
  const taken: Box[] = [...pos.values()].map((p) => ({ x0: p.x - BOX_W / 2, y0: p.y - BOX_H / 2, x1: p.x + BOX_W / 2, y1: p.y + BOX_H / 2 }));
  for (const { from, to, events } of pairs.values()) {
    if (from === to) continue;
    const a = pos.get(from) as { x: number; y: number };
    const b = pos.get(to) as { x: number; y: number };
    // Bend every arrow to its left so the two directions of a pair do not overlap.
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const bend = 22;
    const cx = mx + ((b.y - a.y) / len) * bend;
    const cy = my - ((b.x - a.x) / len) * bend;
    const s = boxExit(a, { x: cx, y: cy });
    const t = boxExit(b, { x: cx, y: cy });
    const label = events.length > 1 ? `${shortEvent(events[0] as string)} +${events.length - 1}` : shortEvent(events[0] as string);
    const at = placeLabel(label, s, { x: cx, y: cy }, t, taken);
    const title = `<title>${esc(from)} → ${esc(to)}: ${esc(events.join(', '))}</title>`;
    edges.push(`<g class="edge" data-from="${esc(from)}" data-to="${esc(to)}">${title}` +
      `<path d="M${s.x.toFixed(1)},${s.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${t.x.toFixed(1)},${t.y.toFixed(1)}" marker-end="url(#omm-arrow)"/></g>`);
    labels.push(`<text class="elabel" data-from="${esc(from)}" data-to="${esc(to)}" x="${at.x.toFixed(1)}" y="${(at.y + 4).toFixed(1)}">${title}${esc(label)}</text>`);
  }

  const nodes = graph.states.map((st) => {
    const p = pos.get(st) as { x: number; y: number };
    const loops = pairs.get(`${st}\u0000${st}`)?.events ?? [];
    const title = loops.length > 0 ? `<title>${esc(st)} (stays on: ${esc(loops.join(', '))})</title>` : `<title>${esc(st)}</title>`;
    const initial = st === graph.initial ? ' initial' : '';
    return `<g class="st${initial}" data-state="${esc(st)}">${title}` +
      `<rect x="${p.x - BOX_W / 2}" y="${p.y - BOX_H / 2}" width="${BOX_W}" height="${BOX_H}" rx="9"/>` +
      `<text x="${p.x}" y="${p.y + 4.5}">${esc(st)}</text></g>`;
  });

  return `<svg class="machine" viewBox="0 0 ${W} ${height}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="vault state machine">` +
    `<defs><marker id="omm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>` +
    `<g class="edges">${edges.join('')}</g><g class="nodes">${nodes.join('')}</g><g class="labels">${labels.join('')}</g></svg>`;
}
