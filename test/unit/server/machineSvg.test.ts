// The dashboard's drawing of the vault machine: the exposure group as a frame around its
// states, the transient router not drawn, arrows shared by the group drawn once from the frame,
// every box and label inside the picture, and no label on top of another.
import { describe, expect, it } from 'vitest';
import { machineGraph } from '../../../machines/vault.graph.ts';
import { machineSvg } from '../../../src/server/machineSvg.ts';

const graph = machineGraph();
const svg = machineSvg(graph);
const num = (s: string, attr: string): number => Number(new RegExp(`${attr}="([-\\d.]+)"`).exec(s)?.[1]);
const [, , viewW, viewH] = (/viewBox="([-\d. ]+)"/.exec(svg)?.[1] ?? '').split(' ').map(Number) as [number, number, number, number];

interface Box { x0: number; y0: number; x1: number; y1: number }
const rectOf = (tag: string): Box => {
  const x = num(tag, 'x'), y = num(tag, 'y');
  return { x0: x, y0: y, x1: x + num(tag, 'width'), y1: y + num(tag, 'height') };
};
const inside = (b: Box, outer: Box): boolean => b.x0 >= outer.x0 && b.y0 >= outer.y0 && b.x1 <= outer.x1 && b.y1 <= outer.y1;

/** State boxes by name. */
function stateBoxes(): Map<string, Box> {
  const out = new Map<string, Box>();
  for (const m of svg.matchAll(/<g class="st[^"]*" data-state="([^"]+)">.*?(<rect [^>]+>)/g)) out.set(m[1] as string, rectOf(m[2] as string));
  return out;
}

/** Label lines with their approximate boxes (6.6 px a char at 11.5 px, as the drawer assumes). */
function labelBoxes(): { text: string; box: Box }[] {
  const out: { text: string; box: Box }[] = [];
  for (const m of svg.matchAll(/<tspan x="([-\d.]+)" y="([-\d.]+)">([^<]*)<\/tspan>/g)) {
    const x = Number(m[1]), y = Number(m[2]), text = m[3] as string;
    out.push({ text, box: { x0: x - text.length * 3.3, x1: x + text.length * 3.3, y0: y - 9, y1: y + 2 } });
  }
  return out;
}

describe('machineSvg (the dashboard diagram)', () => {
  it('lists the venue marks among the events each state stays on (its title), with no arrow of their own', () => {
    for (const st of ['neutral', 'hedging', 'cooldown', 'halted']) {
      const title = new RegExp(`data-state="${st}"><title>${st} \\(stays on: ([^)]*)\\)</title>`).exec(svg)?.[1] ?? '';
      for (const e of ['vol.marked', 'mmp.triggered', 'account.marked']) expect(title.split(', '), st).toContain(e);
    }
    expect(svg.match(/<text class="elabel"[^]*?<\/text>/g)?.filter((l) => /vol\.marked|mmp\.triggered|account\.marked/.test(l))).toEqual([]);
  });

  it('draws every resting state once, inside the picture, and not the transient router', () => {
    const boxes = stateBoxes();
    expect([...boxes.keys()].sort()).toEqual(graph.states.filter((s) => !graph.transient.includes(s)).sort());
    const view = { x0: 0, y0: 0, x1: viewW, y1: viewH };
    for (const b of boxes.values()) expect(inside(b, view)).toBe(true);
    expect(svg).not.toContain('data-state="routing"');
  });

  it('frames the exposure group around its states, inside the picture', () => {
    const frame = rectOf(/<g class="grp" data-group="exposure">.*?(<rect [^>]+>)/.exec(svg)?.[1] ?? '');
    const boxes = stateBoxes();
    for (const s of ['neutral', 'overexposed', 'underexposed']) expect(inside(boxes.get(s) as Box, frame), s).toBe(true);
    for (const s of ['hedging', 'cooldown', 'halted']) expect(inside(boxes.get(s) as Box, frame), s).toBe(false);
    expect(inside(frame, { x0: 0, y0: 0, x1: viewW, y1: viewH })).toBe(true);
  });

  it('draws what the group shares once, from the frame, standing for each of its states', () => {
    const fromFrame = [...svg.matchAll(/<g class="edge[^"]*" data-from="exposure" data-to="([^"]+)" data-from-states="([^"]+)">/g)].map((m) => [m[1], m[2]]);
    expect(fromFrame.sort()).toEqual([['halted', 'neutral overexposed underexposed'], ['hedging', 'neutral overexposed underexposed']]);
    // Into the group (through the router): timer.fired from cooldown, control.resume from halted.
    expect(svg).toContain('data-from="cooldown" data-to="exposure" data-to-states="neutral overexposed underexposed"');
    expect(svg).toContain('data-from="halted" data-to="exposure" data-to-states="neutral overexposed underexposed"');
    for (const s of ['neutral', 'overexposed', 'underexposed']) expect(svg).not.toContain(`data-from="${s}" data-to="hedging"`);
  });

  it('labels say what moves the vault: no "always" or "+N" piles; eventless arrows name their guard', () => {
    const lines = labelBoxes().map((l) => l.text);
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) {
      expect(l).not.toMatch(/\+\d/);
      expect(l).not.toBe('always');
    }
    expect(lines).toContain('isHedgeDue');
    expect(lines).toContain('hedge.filled|rejected|failed');
  });

  it('no label overlaps another label or a state box', () => {
    const labels = labelBoxes();
    const boxes = [...stateBoxes().values()];
    const hit = (a: Box, b: Box): boolean => Math.min(a.x1, b.x1) > Math.max(a.x0, b.x0) && Math.min(a.y1, b.y1) > Math.max(a.y0, b.y0);
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) expect(hit(a.box, b.box), `${a.text} / ${b.text}`).toBe(false);
      for (const b of boxes) expect(hit(a.box, b), a.text).toBe(false);
    }
  });
});
