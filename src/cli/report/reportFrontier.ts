// Browser script of the report's cost/risk charts (plain ES5-style JS in a string, joined to
// REPORT_SCRIPT): one SVG per (cost, risk) pair. Every policy of --compare is a
// labelled dot; every --sweep is a line through its points in parameter order (its ends
// labelled with the parameter), so each policy's frontier reads as a curve; the dashed line
// joins the points no other run beats on both measures.
export const REPORT_FRONTIER_SCRIPT = String.raw`
  var SWEEP_COLORS = ['#2f6feb', '#d64545', '#1f9d55', '#7c4dff', '#f08c38', '#0f9fb0', '#8e6bd8'];
  function nondominated(pts) {
    return pts.filter(function (a) { return !pts.some(function (b) { return b !== a && b.x <= a.x && b.y <= a.y && (b.x < a.x || b.y < a.y); }); })
      .sort(function (a, b) { return a.x - b.x; });
  }
  function frontier(rows, sweeps, xKey, costLabel, key, riskLabel) {
    var W = 680, H = 380, L = 72, R = 24, T = 20, B = 48;
    var byLabel = {}; rows.forEach(function (r) { byLabel[r.policy] = r; });
    var pts = rows.map(function (r) { return { x: r[xKey], y: r[key], r: r }; });
    function range(a) { var lo = Math.min.apply(null, a), hi = Math.max.apply(null, a), p = (hi - lo) * 0.12 || Math.abs(hi) * 0.1 || 1; return [Math.max(0, lo - p), hi + p]; }
    var rx = range(pts.map(function (p) { return p.x; })), ry = range(pts.map(function (p) { return p.y; }));
    function X(v) { return L + (v - rx[0]) / (rx[1] - rx[0]) * (W - L - R); }
    function Y(v) { return H - B - (v - ry[0]) / (ry[1] - ry[0]) * (H - T - B); }
    var s = '<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="cost versus ' + esc(riskLabel) + '" data-risk="' + key + '"><g class="axis">';
    niceTicks(rx[0], rx[1], 6).forEach(function (v) { s += '<line x1="' + X(v) + '" x2="' + X(v) + '" y1="' + T + '" y2="' + (H - B) + '" stroke="#eef1f5"/><text x="' + X(v) + '" y="' + (H - B + 16) + '" text-anchor="middle">' + usd(v) + '</text>'; });
    niceTicks(ry[0], ry[1], 5).forEach(function (v) { s += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + Y(v) + '" y2="' + Y(v) + '" stroke="#eef1f5"/><text x="' + (L - 8) + '" y="' + (Y(v) + 4) + '" text-anchor="end">' + usd(v) + '</text>'; });
    s += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + (H - B) + '" y2="' + (H - B) + '" stroke="#9aa5b3"/><line x1="' + L + '" x2="' + L + '" y1="' + T + '" y2="' + (H - B) + '" stroke="#9aa5b3"/>';
    s += '<text x="' + ((L + W - R) / 2) + '" y="' + (H - 10) + '" text-anchor="middle">' + esc(costLabel) + ' (USD)</text>';
    s += '<text transform="translate(16 ' + ((T + H - B) / 2) + ') rotate(-90)" text-anchor="middle">' + esc(riskLabel) + ' (USD)</text></g>';
    var eff = nondominated(pts);
    if (eff.length > 1) s += '<polyline fill="none" stroke="' + C.band + '" stroke-width="2" stroke-dasharray="6 4" points="' + eff.map(function (p) { return X(p.x) + ',' + Y(p.y); }).join(' ') + '"/>';
    var swept = {};
    (sweeps || []).forEach(function (sw, i) {
      var col = SWEEP_COLORS[i % SWEEP_COLORS.length];
      var line = sw.points.map(function (p) { swept[p.label] = true; return { p: p, r: byLabel[p.label] }; }).filter(function (q) { return q.r; });
      s += '<g class="sweep" data-policy="' + esc(sw.policy) + '"><polyline fill="none" stroke="' + col + '" stroke-width="1.8" points="' + line.map(function (q) { return X(q.r[xKey]) + ',' + Y(q.r[key]); }).join(' ') + '"/>';
      line.forEach(function (q, j) {
        var x = X(q.r[xKey]), y = Y(q.r[key]);
        s += '<circle cx="' + x + '" cy="' + y + '" r="3.5" fill="' + col + '"><title>' + esc(q.p.label) + ': ' + esc(costLabel) + ' ' + usd(q.r[xKey]) + ', ' + esc(riskLabel) + ' ' + usd(q.r[key]) + '</title></circle>';
        var right = x < W - 150;
        if (j === 0 || j === line.length - 1) s += '<text x="' + (x + (right ? 7 : -7)) + '" y="' + (y - 6) + '" text-anchor="' + (right ? 'start' : 'end') + '" fill="' + col + '">' + esc(sw.param + ' ' + q.p.value) + '</text>';
      });
      s += '</g>';
    });
    pts.forEach(function (p) {
      if (swept[p.r.policy]) return;
      var x = X(p.x), y = Y(p.y), right = x < W - 150;
      s += '<circle cx="' + x + '" cy="' + y + '" r="6" fill="#1b2430" stroke="#fff" stroke-width="1.5"><title>' + esc(p.r.policy) + ': ' + esc(costLabel) + ' ' + usd(p.x) + ', ' + esc(riskLabel) + ' ' + usd(p.y) + '</title></circle>';
      s += '<text x="' + (x + (right ? 10 : -10)) + '" y="' + (y - 8) + '" text-anchor="' + (right ? 'start' : 'end') + '">' + esc(p.r.policy) + '</text>';
    });
    s += '</svg>';
    var leg = (sweeps || []).map(function (sw, i) { return '<span><i style="background:' + SWEEP_COLORS[i % SWEEP_COLORS.length] + '"></i>' + esc(sw.policy + ': ' + sw.param + ' ' + sw.from + ' \u2192 ' + sw.to + ' (' + sw.points.length + ' runs)') + '</span>'; }).join('');
    return (leg ? '<div class="legend">' + leg + '</div>' : '') + s;
  }
`;
