// Text output of `omm-hedger backtest`: a per-vault summary of one run and the cost vs risk
// table of --compare (cost = fees + slippage + funding, risk = sd of hourly changes of PnL).
import type { BacktestResult, TotalMetrics, VaultMetrics } from '../../engine/backtest/backtestResult.ts';

export interface CompareRow {
  policy: string;
  hedgeCount: number;
  tradedNotionalUsd: number;
  feesUsd: number;
  slippageUsd: number;
  fundingUsd: number;
  /** fees + slippage + funding, USD (all vaults). */
  costUsd: number;
  /** Sample sd of hourly changes of the total PnL of all vaults, USD. */
  riskUsd: number;
  pnlUsd: number;
  maxAbsDeltaBtc: number;
  timeOutsideBandFraction: number;
  /** No other policy has cost and risk both at or below this one's (one strictly). */
  efficient: boolean;
}

export function compareRows(results: readonly BacktestResult[]): CompareRow[] {
  const rows = results.map((r) => ({
    policy: r.policy, hedgeCount: r.total.hedgeCount, tradedNotionalUsd: r.total.tradedNotionalUsd,
    feesUsd: r.total.feesUsd, slippageUsd: r.total.slippageUsd, fundingUsd: r.total.fundingUsd, costUsd: r.total.costUsd,
    riskUsd: r.total.pnlSdUsd, pnlUsd: r.total.pnl.totalUsd, maxAbsDeltaBtc: r.total.maxAbsDeltaBtc,
    timeOutsideBandFraction: r.total.timeOutsideBandFraction, efficient: true,
  }));
  for (const a of rows) {
    a.efficient = !rows.some((b) => b !== a && b.costUsd <= a.costUsd && b.riskUsd <= a.riskUsd && (b.costUsd < a.costUsd || b.riskUsd < a.riskUsd));
  }
  return rows;
}

const usd = (x: number): string => Math.round(x).toLocaleString('en-US');
const btc = (x: number): string => x.toFixed(3);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatCompareTable(rows: readonly CompareRow[]): string {
  const header = ['policy', 'hedges', 'notional $', 'fees $', 'slippage $', 'funding $', 'cost $', 'risk sd $/h', 'PnL $', 'max |delta|', 'outside band', 'frontier'];
  const body = rows.map((r) => [
    r.policy, String(r.hedgeCount), usd(r.tradedNotionalUsd), usd(r.feesUsd), usd(r.slippageUsd), usd(r.fundingUsd), usd(r.costUsd),
    usd(r.riskUsd), usd(r.pnlUsd), btc(r.maxAbsDeltaBtc), pct(r.timeOutsideBandFraction), r.efficient ? '*' : '',
  ]);
  return `${table(header, body)}\n\ncost = fees + slippage + funding; risk = sd of hourly changes of total PnL; * = not dominated on (cost, risk)\n`;
}

function metricRows(name: string, m: VaultMetrics | TotalMetrics): string[] {
  return [
    name, String(m.hedgeCount), usd(m.tradedNotionalUsd), usd(m.feesUsd), `${usd(m.slippageUsd)} (${m.slippageBps.toFixed(1)} bps)`, usd(m.fundingUsd),
    btc(m.finalDeltaBtc), btc(m.maxAbsDeltaBtc), `${(m.timeOverHardLimitMs / 1000).toFixed(2)} s`, pct(m.timeOutsideBandFraction), usd(m.pnl.optionUsd), usd(m.pnl.hedgeUsd), usd(m.pnl.totalUsd), usd(m.pnlSdUsd),
    `${btc(m.deltaReduced.byOptionFlowBtc)} / ${btc(m.deltaReduced.byHedgesBtc)}`,
  ];
}

export function formatRunSummary(r: BacktestResult): string {
  const days = r.prices.spanMs / 86_400_000;
  const header = ['vault', 'hedges', 'notional $', 'fees $', 'slippage $', 'funding $', 'final delta', 'max |delta|', 'over hard limit', 'outside band', 'option PnL $', 'hedge PnL $', 'PnL $', 'sd $/h', 'delta off: flow / hedges'];
  const rows = Object.entries(r.vaults).map(([id, m]) => metricRows(id, m));
  rows.push(metricRows('total', r.total));
  const rejected = Object.entries(r.rejected).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const trans = Object.entries(r.total.transitions).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `backtest: policy ${r.policy}, target ${r.target}, seed ${r.seed}, ${r.prices.source}: ${r.prices.ticks} ticks over ${days.toFixed(1)} days`,
    '',
    table(header, rows),
    '',
    `transitions into: ${trans}`,
    `rejected inputs: ${rejected}`,
    `venue funding paid ${usd(r.venue.fundingPaidUsd)} $ (fee ${r.venue.takerFeeBps} bps); ${r.journal.vaultEvents} vault events journaled`,
    '',
  ].join('\n');
}
