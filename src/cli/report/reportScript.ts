// Browser script of the backtest report (plain ES5-style JS in a string, run once on load):
// KPI cards, per-vault metrics, the cost vs risk frontiers of --compare and --sweep (SVG), and per vault
// four uPlot charts with a shared cursor: price with hedge markers, net delta with the
// no-trade band, perp position, cumulative PnL split; every chart marks the book's expiries
// with a dashed vertical line. Data comes from <script id="data">.
import { REPORT_FRONTIER_SCRIPT } from './reportFrontier.ts';

export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  var C = { expiry:'#c2185b', price:'#1b2430', buy:'#1f9d55', sell:'#d64545', delta:'#7c4dff', band:'#e0a100', quote:'#f08c38', perp:'#0f9fb0', opt:'#8e6bd8', hedge:'#2f6feb', total:'#1b2430' };
  function h(tag, cls, html) { var e = document.createElement(tag); if (cls) e.className = cls; if (html != null) e.innerHTML = html; return e; }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&':'&amp;', '<':'&lt;', '>':'&gt;', '"':'&quot;' }[c]; }); }
  function usd(x) { var s = Math.round(Math.abs(x)).toLocaleString('en-US'); return (x < -0.5 ? '\u2212$' : '$') + s; }
  function signed(x) { return '<span class="' + (x >= 0 ? 'pos' : 'neg') + '">' + usd(x) + '</span>'; }
  function btc(x) { return (x < 0 ? '\u2212' : '') + Math.abs(x).toFixed(3); }
  function pct(x) { return (x * 100).toFixed(2) + '%'; }
  function dur(ms) { return ms < 1000 ? ms + ' ms' : ms < 120000 ? (ms / 1000).toFixed(1) + ' s' : (ms / 60000).toFixed(1) + ' min'; }
  function pad(n) { return n < 10 ? '0' + n : '' + n; }
  function day(sec) { var d = new Date(sec * 1000); return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()); }
  function when(sec) { var d = new Date(sec * 1000); return day(sec) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()); }

  function kpis(run) {
    var t = run.result.total, box = h('div', 'kpis');
    [[signed(t.pnl.totalUsd), 'PnL (option ' + usd(t.pnl.optionUsd) + ', hedge ' + usd(t.pnl.hedgeUsd) + ')'],
     [usd(t.costUsd), 'cost: fees ' + usd(t.feesUsd) + ' + slippage ' + usd(t.slippageUsd) + ' + funding ' + usd(t.fundingUsd)],
     [usd(t.pnlSdUsd), 'risk: sd of hourly PnL changes'],
     [String(t.hedgeCount), 'hedges, ' + usd(t.tradedNotionalUsd) + ' traded'],
     [btc(t.maxAbsDeltaBtc) + ' BTC', 'max |net delta| (all vaults)'],
     [pct(t.timeOutsideBandFraction), 'time outside the hedge band'],
     [pct(t.deltaReduced.optionFlowShare), 'delta taken off by option flow']
    ].forEach(function (k) { var d = h('div', 'kpi'); d.appendChild(h('div', 'v', k[0])); d.appendChild(h('div', 'l', esc(k[1]))); box.appendChild(d); });
    return box;
  }

  function vaultTable(run) {
    var cols = ['vault', 'hedges', 'notional', 'fees', 'slippage', 'bps', 'funding', 'final \u0394', 'max |\u0394|', 'max |\u0394| no hedge in flight', 'over hard limit', 'outside band', 'option PnL', 'hedge PnL', 'PnL', 'sd / h', 'flow / hedge \u0394 off'];
    var tb = '<table><thead><tr>' + cols.map(function (c) { return '<th>' + c + '</th>'; }).join('') + '</tr></thead><tbody>';
    function row(name, m, cls) {
      return '<tr class="' + (cls || '') + '"><td>' + esc(name) + '</td><td>' + m.hedgeCount + '</td><td>' + usd(m.tradedNotionalUsd) + '</td><td>' + usd(m.feesUsd) +
        '</td><td>' + usd(m.slippageUsd) + '</td><td>' + m.slippageBps.toFixed(1) + '</td><td>' + usd(m.fundingUsd) + '</td><td>' + btc(m.finalDeltaBtc) +
        '</td><td>' + btc(m.maxAbsDeltaBtc) + '</td><td>' + btc(m.maxAbsDeltaOutsideHedgesBtc) + '</td><td>' + dur(m.timeOverHardLimitMs) + '</td><td>' + pct(m.timeOutsideBandFraction) + '</td><td>' + signed(m.pnl.optionUsd) + '</td><td>' + signed(m.pnl.hedgeUsd) +
        '</td><td>' + signed(m.pnl.totalUsd) + '</td><td>' + usd(m.pnlSdUsd) + '</td><td>' + btc(m.deltaReduced.byOptionFlowBtc) + ' / ' + btc(m.deltaReduced.byHedgesBtc) + '</td></tr>';
    }
    Object.keys(run.result.vaults).forEach(function (id) { tb += row(id, run.result.vaults[id]); });
    tb += row('total', run.result.total, 'total') + '</tbody></table>';
    var rej = Object.keys(run.result.rejected).map(function (k) { return esc(k) + ' ' + run.result.rejected[k]; }).join(', ') || 'none';
    var tr = Object.keys(run.result.total.transitions).map(function (k) { return esc(k) + ' ' + run.result.total.transitions[k]; }).join(', ');
    var box = h('div', null, tb);
    box.appendChild(h('div', 'note', 'Transitions into: ' + tr + '. Rejected inputs: ' + rej + '. Slippage in bps of notional at the spot when each hedge was decided.'));
    return box;
  }

  function niceTicks(lo, hi, n) {
    var span = hi - lo || Math.abs(hi) || 1, step = Math.pow(10, Math.floor(Math.log10(span / n))), err = n / span * step;
    if (err <= 0.15) step *= 10; else if (err <= 0.35) step *= 5; else if (err <= 0.75) step *= 2;
    var out = []; for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v); return out;
  }

${REPORT_FRONTIER_SCRIPT}
  function compareTable(rows) {
    var t = '<table><thead><tr><th>policy</th><th>hedges</th><th>notional</th><th>fees</th><th>slippage</th><th>funding</th><th>cost</th><th>trading cost</th><th>risk (sd/h)</th><th>delta risk (sd/h)</th><th>PnL</th><th>max |\u0394|</th><th>outside band</th><th>flow \u0394 off</th><th>perp cost avoided</th><th>lean paid</th></tr></thead><tbody>';
    rows.forEach(function (r) {
      t += '<tr class="' + (r.efficient ? 'eff' : '') + '"><td>' + esc(r.policy) + '</td><td>' + r.hedgeCount + '</td><td>' + usd(r.tradedNotionalUsd) + '</td><td>' + usd(r.feesUsd) + '</td><td>' + usd(r.slippageUsd) +
        '</td><td>' + usd(r.fundingUsd) + '</td><td><b>' + usd(r.costUsd) + '</b></td><td>' + usd(r.tradingCostUsd) + '</td><td><b>' + usd(r.riskUsd) + '</b></td><td>' + usd(r.deltaRiskUsd) + (r.hedgeEfficient ? ' \u2606' : '') + '</td><td>' + signed(r.pnlUsd) + '</td><td>' + btc(r.maxAbsDeltaBtc) + '</td><td>' + pct(r.timeOutsideBandFraction) +
        '</td><td>' + btc(r.flowDeltaBtc) + '</td><td>' + usd(r.flowPerpCostAvoidedUsd) + '</td><td>' + usd(r.flowLeanPaidUsd) + '</td></tr>';
    });
    return t + '</tbody></table><div class="note">\u2605 on the efficient frontier: no other policy is both cheaper and less risky; \u2606 the same on trading cost and delta risk.</div>';
  }

  function legend(items) {
    return '<div class="legend">' + items.map(function (it) {
      var sw = it[2] === 'tri' ? '<i class="tri" style="border-bottom:8px solid ' + it[1] + '"></i>' : it[2] === 'tridown' ? '<i class="tri" style="border-top:8px solid ' + it[1] + '"></i>' : it[2] === 'dash' ? '<i style="background:repeating-linear-gradient(90deg,' + it[1] + ' 0 5px,transparent 5px 8px)"></i>' : it[2] === 'dots' ? '<i class="dot" style="background:' + C.buy + '"></i><i class="dot" style="background:' + C.sell + '"></i>' : '<i style="background:' + it[1] + '"></i>';
      return '<span>' + sw + esc(it[0]) + '</span>';
    }).join('') + '</div>';
  }

  var charts = [];
  function axis(extra) { var a = { stroke: '#5f6b7a', grid: { stroke: '#eef1f5', width: 1 }, ticks: { stroke: '#d5dbe3', width: 1 }, font: '11px system-ui' }; for (var k in extra) a[k] = extra[k]; return a; }
  function opts(width, height, key, series, yfmt, hooks, bands, extraY) {
    var y = extraY && extraY.length ? { range: function (u, lo, hi) {
      var a = Math.min(lo, Math.min.apply(null, extraY)), b = Math.max(hi, Math.max.apply(null, extraY)), p = (b - a) * 0.06 || 1; return [a - p, b + p];
    } } : {};
    return {
      width: width, height: height, series: series, legend: { show: false }, hooks: withExpiries(hooks), bands: bands || [],
      cursor: { sync: { key: key }, drag: { x: true, y: false }, points: { size: 5 } },
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
      scales: { x: { time: true }, y: y },
      axes: [axis({ space: 70 }), axis({ size: 74, values: function (u, v) { return v.map(yfmt); } })]
    };
  }
  function markers(list, yOf, colorOf, shape) {
    return { draw: [function (u) {
      var ctx = u.ctx, r = (list.length > 300 ? 3.2 : list.length > 100 ? 3.8 : 4.6) * devicePixelRatio, b = u.bbox;
      ctx.save(); ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
      list.forEach(function (m) {
        var x = u.valToPos(m[0], 'x', true), y = u.valToPos(yOf(m), 'y', true);
        ctx.fillStyle = colorOf(m); ctx.strokeStyle = '#fff'; ctx.lineWidth = devicePixelRatio; ctx.beginPath();
        if (shape === 'tri') { var up = m[1] > 0 ? 1 : -1; ctx.moveTo(x, y - up * r * 1.2); ctx.lineTo(x - r, y + up * r * 0.8); ctx.lineTo(x + r, y + up * r * 0.8); ctx.closePath(); }
        else ctx.arc(x, y, r * 0.75, 0, 2 * Math.PI);
        ctx.fill(); ctx.stroke();
      });
      ctx.restore();
    }] };
  }
  /** A draw hook: a dashed vertical line and a label at each expiry (s), over the plot area. */
  function expiryLines(expiries) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox, px = devicePixelRatio;
      ctx.save(); ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
      ctx.strokeStyle = C.expiry; ctx.fillStyle = C.expiry; ctx.lineWidth = 1.5 * px; ctx.setLineDash([5 * px, 4 * px]); ctx.font = (10 * px) + 'px system-ui';
      expiries.forEach(function (t) {
        var x = u.valToPos(t, 'x', true);
        ctx.beginPath(); ctx.moveTo(x, b.top); ctx.lineTo(x, b.top + b.height); ctx.stroke();
        ctx.fillText('expiry ' + day(t).slice(5), x + 3 * px, b.top + 11 * px);
      });
      ctx.restore();
    };
  }
  /** The hooks of a chart of the vault being drawn, plus its expiry lines. */
  var expiriesNow = [];
  function withExpiries(hooks) {
    return { draw: ((hooks && hooks.draw) || []).concat(expiriesNow.length ? [expiryLines(expiriesNow)] : []) };
  }
  function vaultCharts(box, id, s) {
    var w = Math.max(320, box.clientWidth), key = 'v-' + id, side = function (m) { return m[1] > 0 ? C.buy : C.sell; };
    var fmtUsd = function (v) { return v == null ? '' : usd(v); }, fmtBtc = function (v) { return v == null ? '' : v.toFixed(Math.abs(v) < 10 ? 1 : 0); };
    expiriesNow = s.expiries || [];
    var expLeg = expiriesNow.length ? [['expiry (settlement)', C.expiry, 'dash']] : [];
    function add(title, leg, mk) { box.appendChild(h('h3', null, esc(title))); box.appendChild(h('div', null, legend(leg.concat(expLeg)))); var d = h('div', 'chart'); box.appendChild(d); charts.push(mk(d)); }
    var neg = function (a) { return a.map(function (v) { return -v; }); };
    add('Price (USD) and hedges', [['BTC price', C.price], ['buy perp', C.buy, 'tri'], ['sell perp', C.sell, 'tridown']], function (d) {
      return new uPlot(opts(w, 210, key, [{}, { stroke: C.price, width: 1.2 }], fmtUsd, markers(s.hedges, function (m) { return m[4] || m[3]; }, side, 'tri')), [s.t, s.price], d);
    });
    add('Net delta (BTC) and bands', [['net delta', C.delta], ['hedge band (no-trade zone shaded)', C.band, 'dash'], ['quote band', C.quote, 'dash'], ['delta when a hedge was decided (buy / sell)', C.buy, 'dots']], function (d) {
      return new uPlot(opts(w, 210, key, [{}, { stroke: C.delta, width: 1.4 }, { stroke: C.band, width: 1, dash: [6, 4] }, { stroke: C.band, width: 1, dash: [6, 4] },
        { stroke: C.quote, width: 1, dash: [2, 4] }, { stroke: C.quote, width: 1, dash: [2, 4] }], fmtBtc, markers(s.hedges, function (m) { return m[5]; }, side, 'dot'),
        [{ series: [2, 3], fill: 'rgba(224,161,0,0.08)' }], s.hedges.map(function (m) { return m[5]; })), [s.t, s.delta, s.hedgeBand, neg(s.hedgeBand), s.quoteBand, neg(s.quoteBand)], d);
    });
    add('Perp position (BTC)', [['perp position', C.perp]], function (d) {
      var stepped = uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined;
      return new uPlot(opts(w, 150, key, [{}, { stroke: C.perp, width: 1.4, fill: 'rgba(15,159,176,0.10)', paths: stepped }], fmtBtc), [s.t, s.perp], d);
    });
    add('Cumulative PnL (USD)', [['total', C.total], ['option PnL', C.opt], ['hedge PnL', C.hedge]], function (d) {
      return new uPlot(opts(w, 220, key, [{}, { stroke: C.total, width: 2 }, { stroke: C.opt, width: 1.2 }, { stroke: C.hedge, width: 1.2 }], fmtUsd), [s.t, s.pnl, s.pnlOption, s.pnlHedge], d);
    });
  }

  var body = document.getElementById('run');
  function show(i) {
    charts.forEach(function (c) { c.destroy(); }); charts = []; body.innerHTML = '';
    var run = D.runs[i], r = run.result;
    var sum = h('section'); sum.appendChild(h('h2', null, 'Policy ' + esc(run.policy) + ' \u2014 summary'));
    sum.appendChild(kpis(run)); sum.appendChild(h('h3', null, 'Per vault')); sum.appendChild(vaultTable(run)); body.appendChild(sum);
    Object.keys(run.series).forEach(function (id) {
      var sec = h('section'); var m = r.vaults[id];
      sec.appendChild(h('h2', null, 'Vault ' + esc(id) + ' <span class="note">' + m.hedgeCount + ' hedges \u00b7 PnL ' + usd(m.pnl.totalUsd) + ' \u00b7 final state ' + esc(m.finalState) + '</span>'));
      body.appendChild(sec); vaultCharts(sec, id, run.series[id]);
    });
    document.querySelectorAll('.tabs button').forEach(function (b, j) { b.className = j === i ? 'on' : ''; });
  }
  var first = D.runs[0].result;
  document.getElementById('sub').textContent = first.prices.source.replace(/^prices:/, '') + ' \u00b7 ' + when(first.prices.firstAt / 1000) + ' \u2192 ' + when(first.prices.lastAt / 1000) + ' UTC \u00b7 ' +
    first.prices.ticks.toLocaleString('en-US') + ' ticks \u00b7 seed ' + first.seed + ' \u00b7 taker fee ' + first.venue.takerFeeBps + ' bps';
  if (D.compare) {
    var cmp = document.getElementById('compare'); cmp.hidden = false;
    cmp.appendChild(h('div', 'frontier', frontier(D.compare, D.sweeps, 'tradingCostUsd', 'trading cost = fees + slippage', 'deltaRiskUsd', 'delta risk = sd of hourly delta PnL')));
    cmp.appendChild(h('div', 'frontier', frontier(D.compare, D.sweeps, 'costUsd', 'cost = fees + slippage + funding', 'riskUsd', 'risk = sd of hourly PnL changes')));
    cmp.appendChild(h('div', 'scroll', compareTable(D.compare)));
    var tabs = document.getElementById('tabs');
    D.runs.forEach(function (run, i) { var b = h('button', null, esc(run.policy)); b.onclick = function () { show(i); }; tabs.appendChild(b); });
  }
  show(0);
  var last = window.innerWidth;
  window.addEventListener('resize', function () { if (Math.abs(window.innerWidth - last) < 40) return; last = window.innerWidth; charts.forEach(function (c) { c.setSize({ width: Math.max(320, c.root.parentNode.clientWidth), height: c.height }); }); });
})();
`;
