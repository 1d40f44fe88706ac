// The backtest report as one self-contained HTML page: uPlot (from node_modules, inlined; no
// CDN), the stylesheet, the data as JSON and the page script. Opens from disk, offline.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportData } from './reportData.ts';
import { REPORT_SCRIPT } from './reportScript.ts';
import { REPORT_CSS } from './reportStyles.ts';

const require = createRequire(import.meta.url);

function uplotAssets(): { js: string; css: string } {
  return {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

/** Text inside <script>: no "</script" or "<!--" may end or confuse the element early. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

export function reportHtml(data: ReportData): string {
  const { js, css } = uplotAssets();
  const sweeps = (data.sweeps ?? []).map((sw) => `${sw.policy} over ${sw.param}`);
  const title = sweeps.length > 0 ? `Backtest sweep: ${sweeps.join(', ')}`
    : data.compare ? `Backtest: ${data.runs.map((r) => r.policy).join(' vs ')}` : `Backtest: ${data.runs[0]?.policy ?? ''}`;
  // JSON in a non-executed script element; "<" escaped so no payload can close the element.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>omm-hedger ${escapeHtml(title)}</title>
<style>${css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>omm-hedger \u00b7 ${escapeHtml(title)}</h1><div class="sub" id="sub"></div></header>
<main>
<section id="compare" hidden><h2>Cost vs risk: one point per policy, one line per sweep</h2></section>
<div class="tabs" id="tabs"></div>
<div id="run"></div>
<section class="note">Definitions: cost = taker fees + slippage (fill price vs spot when the hedge was decided) + funding.
Risk = sample standard deviation of the hourly changes of total PnL; delta risk = the same of the delta PnL (net delta held
after each step × the next price move: the part of PnL the hedging policy decides). Option PnL = premiums and expiry payoffs + change of the
book's Black-Scholes value; hedge PnL = perp mark-to-market + perp trade cash \u2212 fees \u2212 funding. Generated for ${escapeHtml(data.generatedFor)}.</section>
</main>
<script id="data" type="application/json">${json}</script>
<script>${scriptSafe(js)}</script>
<script>${scriptSafe(REPORT_SCRIPT)}</script>
</body>
</html>
`;
}
