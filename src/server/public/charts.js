// uPlot charts of one vault: price with hedge markers, net delta with its bands, perp position.
/* global uPlot */
import { $, pad } from './format.js';

const COLORS = { price: '#e6edf3', delta: '#d2a8ff', hedge: '#d29922', quote: '#f0883e', perp: '#39c5cf', buy: '#3fb950', sell: '#f85149' };

// x ticks in UTC: HH:MM, or the date at midnight.
const timeTick = (sec) => { const d = new Date(sec * 1000); return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 ? `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` : `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`; };
const axis = (extra = {}) => ({ stroke: '#8b98a9', grid: { stroke: '#222a36', width: 1 }, ticks: { stroke: '#2b3546', width: 1 }, font: '11px system-ui', ...extra });
function baseOpts(width, height, series, yLabelSize) {
  return {
    width, height, series, legend: { show: false },
    cursor: { points: { size: 6 }, drag: { x: true, y: false } },
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
    axes: [axis({ space: 80, values: (u, splits) => splits.map(timeTick) }), axis({ size: yLabelSize, space: 26 })],
    scales: { x: { time: true } },
  };
}
const markerSeries = (label, color) => ({ label, stroke: color, fill: color, width: 0, paths: () => null, points: { show: true, size: 11, width: 2, stroke: '#0d1117', fill: color } });

export function makeCharts(card) {
  const w = Math.max(300, $('[data-role=c-price]', card).clientWidth);
  const stepped = uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined;
  const price = new uPlot(baseOpts(w, 170, [{}, { label: 'price', stroke: COLORS.price, width: 1.4 },
    markerSeries('buy hedge', COLORS.buy), markerSeries('sell hedge', COLORS.sell)], 64), [[], [], [], []], $('[data-role=c-price]', card));
  const dash = (c, d) => ({ stroke: c, width: 1, dash: d });
  const delta = new uPlot(baseOpts(w, 150, [{}, { label: 'net delta', stroke: COLORS.delta, width: 1.6, fill: 'rgba(210,168,255,0.08)' },
    { label: '+hedge', ...dash(COLORS.hedge, [6, 4]) }, { label: '−hedge', ...dash(COLORS.hedge, [6, 4]) },
    { label: '+quote', ...dash(COLORS.quote, [2, 4]) }, { label: '−quote', ...dash(COLORS.quote, [2, 4]) }], 64), [[], [], [], [], [], []], $('[data-role=c-delta]', card));
  const perp = new uPlot(baseOpts(w, 120, [{}, { label: 'perp', stroke: COLORS.perp, width: 1.6, fill: 'rgba(57,197,207,0.10)', paths: stepped }], 64), [[], []], $('[data-role=c-perp]', card));
  return { price, delta, perp };
}

function lowerBound(xs, x) { let lo = 0, hi = xs.length; while (lo < hi) { const m = (lo + hi) >> 1; if (xs[m] < x) lo = m + 1; else hi = m; } return lo; }

export function redrawCharts(v) {
  const pts = v.points;
  const xs = pts.map((p) => p.at / 1000);
  const buys = new Array(xs.length).fill(null);
  const sells = new Array(xs.length).fill(null);
  for (const h of v.hedges.values()) {
    if (!(h.filledBtc > 0) || xs.length === 0) continue;
    const i = Math.min(xs.length - 1, lowerBound(xs, h.at / 1000));
    (h.side === 'buy' ? buys : sells)[i] = h.avgPriceUsd > 0 ? h.avgPriceUsd : pts[i].priceUsd;
  }
  v.charts.price.setData([xs, pts.map((p) => p.priceUsd), buys, sells]);
  v.charts.delta.setData([xs, pts.map((p) => p.deltaBtc), pts.map((p) => p.hedgeBandBtc), pts.map((p) => -p.hedgeBandBtc),
    pts.map((p) => p.quoteBandBtc), pts.map((p) => -p.quoteBandBtc)]);
  v.charts.perp.setData([xs, pts.map((p) => p.perpBtc)]);
}
