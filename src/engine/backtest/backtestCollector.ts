// Collects a backtest's metrics: one VaultAccumulator per vault, fed by the engine's events
// and by each vault's context after every replay step, plus the totals over vaults.
// Sampling: PnL after the first step of every UTC hour (for the PnL standard deviation) and
// every `sampleEveryMs` of event time (for the report's charts).
import type { FillReceived, VaultContext, VaultStateName } from '../../../machines/vault.types.ts';
import type { EngineEvent } from '../engineTypes.ts';
import type { FlowMetrics, TotalMetrics, VaultMetrics, VaultSeries } from './backtestResult.ts';
import type { FundingTerms } from '../../domain/fundingAccrual.ts';
import { sampleSd } from './sampleSd.ts';
import { diffs, VaultAccumulator, type VaultStart } from './vaultAccumulator.ts';

const MS_PER_HOUR = 3_600_000;

export interface VaultView { state: VaultStateName; context: VaultContext }

export class BacktestCollector {
  private readonly vaults = new Map<string, VaultAccumulator>();
  private lastHour: number | null = null;
  private nextChartAt = Number.NEGATIVE_INFINITY;
  private prevPriceUsd = 0;
  private maxAbsTotalDeltaBtc = 0;
  private readonly totalHourlyPnl: number[] = [];
  private readonly totalHourlyDeltaPnl: number[] = [];
  /** Rows committed after start-up (vault events + rejected inputs). */
  rows = 0;

  constructor(starts: ReadonlyMap<string, VaultStart>, funding: FundingTerms, private readonly sampleEveryMs: number) {
    if (!(sampleEveryMs > 0)) throw new RangeError(`sampleEveryMs must be > 0, got ${sampleEveryMs}`);
    for (const [id, s] of starts) this.vaults.set(id, new VaultAccumulator(id, s, funding));
  }

  /** A simulated taker fill booked by a vault, with its context just before and after. */
  onFill(vaultId: string, fill: FillReceived, before: VaultContext, after: VaultContext): void {
    this.vaults.get(vaultId)?.onFill(fill, before, after);
  }

  onEvent(ev: EngineEvent): void {
    if (ev.kind === 'commit') {
      this.rows += ev.rows;
      return;
    }
    if (ev.kind === 'rejected') return; // counted by the engine per reason
    this.vaults.get(ev.vaultId)?.onEvent(ev);
  }

  /** After a whole replay step at tick (at, priceUsd): every vault's current state. */
  onStep(at: number, priceUsd: number, view: (vaultId: string) => VaultView): void {
    const hour = Math.floor(at / MS_PER_HOUR);
    const sample = { hour: hour !== this.lastHour, chart: at >= this.nextChartAt };
    if (sample.hour) this.lastHour = hour;
    if (sample.chart) this.nextChartAt = Math.floor(at / this.sampleEveryMs) * this.sampleEveryMs + this.sampleEveryMs;
    const prev = this.prevPriceUsd > 0 ? this.prevPriceUsd : priceUsd;
    let totalDelta = 0;
    let totalPnl = 0;
    let totalDeltaPnl = 0;
    for (const [id, acc] of this.vaults) {
      const v = view(id);
      totalDelta += acc.takeStepPeak(v.context.greeks.netBtc);
      const p = acc.onStep(v.state, v.context, at, priceUsd, prev, sample);
      totalPnl += p?.totalUsd ?? 0;
      totalDeltaPnl += p?.deltaUsd ?? 0;
    }
    if (sample.hour) { this.totalHourlyPnl.push(totalPnl); this.totalHourlyDeltaPnl.push(totalDeltaPnl); }
    this.maxAbsTotalDeltaBtc = Math.max(this.maxAbsTotalDeltaBtc, Math.abs(totalDelta));
    this.prevPriceUsd = priceUsd;
  }

  /** Final metrics per vault and in total. */
  finish(view: (vaultId: string) => VaultView, at: number, priceUsd: number, spanMs: number): { vaults: Record<string, VaultMetrics>; total: TotalMetrics; series: Record<string, VaultSeries> } {
    const vaults: Record<string, VaultMetrics> = {};
    const series: Record<string, VaultSeries> = {};
    let slippageBase = 0;
    for (const [id, acc] of this.vaults) {
      const v = view(id);
      vaults[id] = acc.finish(v.state, v.context, at, priceUsd, spanMs);
      series[id] = acc.series;
      slippageBase += acc.slippageBaseUsd;
    }
    const total = sumMetrics(Object.values(vaults), slippageBase, spanMs);
    const changes = diffs(this.totalHourlyPnl);
    total.pnlSdUsd = sampleSd(changes);
    total.pnlSdSamples = changes.length;
    total.deltaPnlSdUsd = sampleSd(diffs(this.totalHourlyDeltaPnl));
    total.maxAbsDeltaBtc = Math.max(this.maxAbsTotalDeltaBtc, Math.abs(total.finalDeltaBtc));
    return { vaults, total, series };
  }
}

function addCounts<K extends string>(into: Partial<Record<K, number>>, from: Partial<Record<K, number>>): void {
  for (const [k, n] of Object.entries(from) as [K, number][]) into[k] = (into[k] ?? 0) + n;
}

/** Sums over vaults; ratios recomputed from the sums. pnlSd, deltaPnlSd and maxAbsDelta are set by the caller. */
export function sumMetrics(ms: readonly VaultMetrics[], slippageBaseUsd: number, spanMs: number): TotalMetrics {
  const s = (f: (m: VaultMetrics) => number): number => ms.reduce((a, m) => a + f(m), 0);
  const transitions: TotalMetrics['transitions'] = {};
  const timeInStateMs: TotalMetrics['timeInStateMs'] = {};
  for (const m of ms) { addCounts(transitions, m.transitions); addCounts(timeInStateMs, m.timeInStateMs); }
  const tradedNotionalUsd = s((m) => m.tradedNotionalUsd);
  const feesUsd = s((m) => m.feesUsd);
  const slippageUsd = s((m) => m.slippageUsd);
  const flow = s((m) => m.deltaReduced.byOptionFlowBtc);
  const hedged = s((m) => m.deltaReduced.byHedgesBtc);
  const outside = s((m) => m.timeOutsideBandMs);
  return {
    hedgeCount: s((m) => m.hedgeCount),
    hedgeOrders: {
      filled: s((m) => m.hedgeOrders.filled), cancelled: s((m) => m.hedgeOrders.cancelled), cancelledEmpty: s((m) => m.hedgeOrders.cancelledEmpty),
      rejected: s((m) => m.hedgeOrders.rejected), failed: s((m) => m.hedgeOrders.failed),
    },
    tradedBtc: s((m) => m.tradedBtc),
    tradedNotionalUsd,
    feesUsd,
    feesBps: tradedNotionalUsd > 0 ? (feesUsd / tradedNotionalUsd) * 1e4 : 0,
    slippageUsd,
    slippageBps: slippageBaseUsd > 0 ? (slippageUsd / slippageBaseUsd) * 1e4 : 0,
    fundingUsd: s((m) => m.fundingUsd),
    costUsd: s((m) => m.costUsd),
    finalDeltaBtc: s((m) => m.finalDeltaBtc),
    maxAbsDeltaBtc: 0,
    finalPerpBtc: s((m) => m.finalPerpBtc),
    maxAbsDeltaOutsideHedgesBtc: ms.reduce((a, m) => Math.max(a, m.maxAbsDeltaOutsideHedgesBtc), 0),
    timeOverHardLimitMs: s((m) => m.timeOverHardLimitMs),
    longestOverHardLimitMs: ms.reduce((a, m) => Math.max(a, m.longestOverHardLimitMs), 0),
    timeOutsideBandMs: outside,
    timeOutsideBandFraction: ms.length > 0 && spanMs > 0 ? outside / (ms.length * spanMs) : 0,
    pnl: {
      optionUsd: s((m) => m.pnl.optionUsd), optionCashUsd: s((m) => m.pnl.optionCashUsd), bookMarkChangeUsd: s((m) => m.pnl.bookMarkChangeUsd),
      hedgeUsd: s((m) => m.pnl.hedgeUsd), perpMarkToMarketUsd: s((m) => m.pnl.perpMarkToMarketUsd), hedgeTradeCashUsd: s((m) => m.pnl.hedgeTradeCashUsd),
      totalUsd: s((m) => m.pnl.totalUsd),
    },
    pnlSdUsd: 0,
    pnlSdSamples: 0,
    deltaPnlUsd: s((m) => m.deltaPnlUsd),
    deltaPnlSdUsd: 0,
    transitions,
    timeInStateMs,
    deltaReduced: { byOptionFlowBtc: flow, byHedgesBtc: hedged, optionFlowShare: flow + hedged > 0 ? flow / (flow + hedged) : 0 },
    optionFills: s((m) => m.optionFills),
    flow: sumFlow(ms.map((m) => m.flow)),
  };
}

function sumFlow(fs: readonly FlowMetrics[]): FlowMetrics {
  const s = (f: (m: FlowMetrics) => number): number => fs.reduce((a, m) => a + f(m), 0);
  const notional = s((f) => f.deltaSourcedNotionalUsd);
  const avoided = s((f) => f.perpCostAvoidedUsd);
  const from = new Set(fs.map((f) => f.perpCostFrom));
  return {
    fills: s((f) => f.fills), reducingFills: s((f) => f.reducingFills), deltaSourcedBtc: s((f) => f.deltaSourcedBtc), deltaSourcedNotionalUsd: notional,
    perpCostBps: notional > 0 ? (avoided / notional) * 1e4 : 0, perpCostFrom: from.size === 1 ? [...from][0] as FlowMetrics['perpCostFrom'] : 'mixed',
    perpCostAvoidedUsd: avoided, leanPaidUsd: s((f) => f.leanPaidUsd), netSavedUsd: s((f) => f.netSavedUsd), edgeUsd: s((f) => f.edgeUsd),
  };
}
