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
  /** fees + slippage, USD: what trading the hedge cost (funding is carry on the perp position,
   * which follows the option book's delta whatever the policy). */
  tradingCostUsd: number;
  /** Sample sd of hourly changes of the total PnL of all vaults, USD. */
  riskUsd: number;
  /** Sample sd of hourly changes of the total delta PnL (the unhedged delta's PnL), USD. */
  deltaRiskUsd: number;
  pnlUsd: number;
  maxAbsDeltaBtc: number;
  timeOutsideBandFraction: number;
  /** |delta| option flow took off, BTC; the perp cost that avoided and the lean paid for it, USD. */
  flowDeltaBtc: number;
  flowPerpCostAvoidedUsd: number;
  flowLeanPaidUsd: number;
  /** No other policy has cost and risk both at or below this one's (one strictly). */
  efficient: boolean;
  /** The same on (tradingCostUsd, deltaRiskUsd): what the hedge pays against the risk it leaves. */
  hedgeEfficient: boolean;
}

/** Flags on each item whether no other item is at or below it on both measures (one strictly). */
function markNondominated<T>(rows: readonly T[], x: (r: T) => number, y: (r: T) => number, set: (r: T, v: boolean) => void): void {
  for (const a of rows) {
    set(a, !rows.some((b) => b !== a && x(b) <= x(a) && y(b) <= y(a) && (x(b) < x(a) || y(b) < y(a))));
  }
}

export function compareRows(results: readonly BacktestResult[]): CompareRow[] {
  const rows = results.map((r) => ({
    policy: r.policy, hedgeCount: r.total.hedgeCount, tradedNotionalUsd: r.total.tradedNotionalUsd,
    feesUsd: r.total.feesUsd, slippageUsd: r.total.slippageUsd, fundingUsd: r.total.fundingUsd, costUsd: r.total.costUsd,
    tradingCostUsd: r.total.feesUsd + r.total.slippageUsd,
    riskUsd: r.total.pnlSdUsd, deltaRiskUsd: r.total.deltaPnlSdUsd, pnlUsd: r.total.pnl.totalUsd, maxAbsDeltaBtc: r.total.maxAbsDeltaBtc,
    timeOutsideBandFraction: r.total.timeOutsideBandFraction,
    flowDeltaBtc: r.total.flow.deltaSourcedBtc, flowPerpCostAvoidedUsd: r.total.flow.perpCostAvoidedUsd, flowLeanPaidUsd: r.total.flow.leanPaidUsd,
    efficient: true, hedgeEfficient: true,
  }));
  markNondominated(rows, (r) => r.costUsd, (r) => r.riskUsd, (r, v) => { r.efficient = v; });
  markNondominated(rows, (r) => r.tradingCostUsd, (r) => r.deltaRiskUsd, (r, v) => { r.hedgeEfficient = v; });
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

/** A sweep as the output names it: the policy, its parameter and the points' values and labels. */
export interface SweepSummary { policy: string; param: string; from: number; to: number; points: { value: number; label: string }[] }

export function formatCompareTable(rows: readonly CompareRow[], sweeps?: readonly SweepSummary[]): string {
  const header = ['policy', 'hedges', 'notional $', 'fees $', 'slippage $', 'funding $', 'cost $', 'risk sd $/h', 'delta risk $/h', 'PnL $', 'max |delta|', 'outside band', 'flow delta', 'perp cost avoided $', 'lean paid $', 'frontier', 'hedge frontier'];
  const body = rows.map((r) => [
    r.policy, String(r.hedgeCount), usd(r.tradedNotionalUsd), usd(r.feesUsd), usd(r.slippageUsd), usd(r.fundingUsd), usd(r.costUsd),
    usd(r.riskUsd), usd(r.deltaRiskUsd), usd(r.pnlUsd), btc(r.maxAbsDeltaBtc), pct(r.timeOutsideBandFraction), btc(r.flowDeltaBtc), usd(r.flowPerpCostAvoidedUsd), usd(r.flowLeanPaidUsd), r.efficient ? '*' : '', r.hedgeEfficient ? '*' : '',
  ]);
  const swept = (sweeps ?? []).map((sw) => `sweep ${sw.policy} over ${sw.param} ${sw.from} .. ${sw.to}: ${sw.points.length} runs (${sw.points[0]?.label ?? ''} .. ${sw.points[sw.points.length - 1]?.label ?? ''})\n`).join('');
  return `${swept}${swept ? '\n' : ''}${table(header, body)}\n\ncost = fees + slippage + funding; risk = sd of hourly changes of total PnL; delta risk = sd of hourly changes of delta PnL (net delta held x price move: what the hedge decides); flow delta = |delta| option fills took off (BTC), priced at the perp's cost per USD traded (perp cost avoided) against the lean paid past fair for it; frontier * = not dominated on (cost, risk); hedge frontier * = not dominated on (fees + slippage, delta risk)\n`;
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
  const f = r.total.flow;
  return [
    `backtest: policy ${r.policy}, target ${r.target}, seed ${r.seed}, ${r.prices.source}: ${r.prices.ticks} ticks over ${days.toFixed(1)} days`,
    '',
    table(header, rows),
    '',
    `transitions into: ${trans}`,
    `rejected inputs: ${rejected}`,
    `option flow: ${f.fills} fills, ${f.reducingFills} took ${btc(f.deltaSourcedBtc)} BTC of delta off (${usd(f.deltaSourcedNotionalUsd)} $ at spot); the perp would have cost ${usd(f.perpCostAvoidedUsd)} $ (${f.perpCostBps.toFixed(1)} bps), the lean paid ${usd(f.leanPaidUsd)} $: saved ${usd(f.netSavedUsd)} $`,
    `venue funding paid ${usd(r.venue.fundingPaidUsd)} $ (fee ${r.venue.takerFeeBps} bps); ${r.journal.vaultEvents} vault events journaled`,
    '',
  ].join('\n');
}
