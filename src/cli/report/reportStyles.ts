// Stylesheet of the backtest report (self-contained HTML; light, print-friendly).
export const REPORT_CSS = `
:root { --bg:#f6f7f9; --card:#fff; --ink:#1b2430; --muted:#5f6b7a; --line:#e3e7ed; --accent:#2f6feb;
  --buy:#1f9d55; --sell:#d64545; --delta:#7c4dff; --band:#e0a100; --quote:#f08c38; --perp:#0f9fb0;
  --opt:#8e6bd8; --hedge:#2f6feb; --total:#1b2430; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
header { background:#141b26; color:#fff; padding:22px 32px 18px; }
header h1 { margin:0 0 4px; font-size:21px; font-weight:600; letter-spacing:.2px; }
header .sub { color:#aab6c5; font-size:13px; }
main { max-width:1280px; margin:0 auto; padding:20px 32px 48px; }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:18px 20px; margin:0 0 18px; }
h2 { font-size:16px; margin:0 0 12px; font-weight:600; }
h3 { font-size:14px; margin:16px 0 6px; font-weight:600; color:var(--muted); }
.kpis { display:grid; grid-template-columns:repeat(auto-fit,minmax(150px,1fr)); gap:12px; }
.kpi { border:1px solid var(--line); border-radius:8px; padding:10px 12px; background:#fbfcfd; }
.kpi .v { font-size:20px; font-weight:600; font-variant-numeric:tabular-nums; }
.kpi .l { color:var(--muted); font-size:12px; }
.pos { color:var(--buy); } .neg { color:var(--sell); }
table { border-collapse:collapse; width:100%; font-variant-numeric:tabular-nums; font-size:13px; }
th, td { padding:6px 8px; border-bottom:1px solid var(--line); text-align:right; white-space:nowrap; }
th:first-child, td:first-child { text-align:left; }
th { color:var(--muted); font-weight:600; font-size:12px; background:#fafbfc; }
tr.total td { font-weight:600; border-top:2px solid var(--line); }
tr.eff td:first-child::after { content:" \\2605"; color:var(--band); }
.tabs { display:flex; gap:6px; flex-wrap:wrap; margin:0 0 14px; }
.tabs button { border:1px solid var(--line); background:#fff; border-radius:999px; padding:5px 12px; cursor:pointer; font:inherit; font-size:13px; }
.tabs button.on { background:var(--accent); color:#fff; border-color:var(--accent); }
.chart { margin:2px 0 8px; }
.legend { display:flex; gap:14px; flex-wrap:wrap; font-size:12px; color:var(--muted); margin:0 0 2px; }
.legend i { display:inline-block; width:14px; height:3px; vertical-align:middle; margin-right:5px; border-radius:2px; }
.legend i.tri { width:0; height:0; border-left:5px solid transparent; border-right:5px solid transparent; border-radius:0; }
.note { color:var(--muted); font-size:12px; margin-top:8px; }
.frontier { max-width:760px; margin:0 0 14px; }
.frontier svg { width:100%; height:auto; display:block; }
.scroll { overflow-x:auto; }
.legend i.dot { width:8px; height:8px; border-radius:50%; }
.frontier text { font:12px system-ui,sans-serif; fill:var(--ink); }
.frontier .axis text { fill:var(--muted); }
.u-legend { display:none; }
`;
