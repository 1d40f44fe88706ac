// The data a backtest report embeds: per run (policy) its result and its sampled series,
// rounded to what a chart can show (the HTML stays small: ~2,000 points per series) with
// times in unix seconds (uPlot's unit). Hedges become compact tuples.
import type { BacktestResult, BacktestRun, VaultSeries } from '../../engine/backtest/backtestResult.ts';
import type { CompareRow, SweepSummary } from './backtestTables.ts';

export interface ReportSeries {
  t: number[];
  price: number[];
  delta: number[];
  hedgeBand: number[];
  quoteBand: number[];
  perp: number[];
  pnl: number[];
  pnlOption: number[];
  pnlHedge: number[];
  /** [decided at (s), +1 buy / -1 sell, filled BTC, spot at trigger, avg fill USD, delta before BTC] */
  hedges: [number, number, number, number, number, number][];
  /** Expiries inside the span (s): a dashed line on every chart. */
  expiries: number[];
}

export interface ReportRun {
  policy: string;
  result: BacktestResult;
  series: Record<string, ReportSeries>;
}

export interface ReportData {
  generatedFor: string;
  runs: ReportRun[];
  compare: CompareRow[] | null;
  /** --sweep: each swept policy's points (labels match compare rows), drawn as one line each. */
  sweeps: SweepSummary[] | null;
}

const r = (d: number) => (x: number): number => Number(x.toFixed(d));

function compact(s: VaultSeries): ReportSeries {
  const r4 = r(4), r2 = r(2), r0 = r(0);
  return {
    t: s.t.map((t) => t / 1000),
    price: s.priceUsd.map(r2),
    delta: s.deltaBtc.map(r4),
    hedgeBand: s.hedgeBandBtc.map(r4),
    quoteBand: s.quoteBandBtc.map(r4),
    perp: s.perpBtc.map(r4),
    pnl: s.pnlTotalUsd.map(r0),
    pnlOption: s.pnlOptionUsd.map(r0),
    pnlHedge: s.pnlHedgeUsd.map(r0),
    hedges: s.hedges.map((h) => [h.at / 1000, h.side === 'buy' ? 1 : -1, r4(h.filledBtc), r2(h.triggerPriceUsd), r2(h.avgPriceUsd), r4(h.deltaBeforeBtc)]),
    expiries: s.expiries.map((t) => t / 1000),
  };
}

export function reportData(runs: readonly BacktestRun[], compare: CompareRow[] | null, generatedFor: string, sweeps: SweepSummary[] | null = null): ReportData {
  return {
    generatedFor,
    runs: runs.map((run) => ({
      policy: run.result.policy,
      result: run.result,
      series: Object.fromEntries(Object.entries(run.series).map(([id, s]) => [id, compact(s)])),
    })),
    compare,
    sweeps,
  };
}
