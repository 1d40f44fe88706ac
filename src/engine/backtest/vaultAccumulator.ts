// Running metrics of one vault during a backtest, fed by the engine's committed events (hedge
// order updates, transitions, committed contexts) and by the vault's context after every
// replay step. Definitions of every figure are on VaultMetrics (backtestResult.ts).
import type { FillReceived, OptionLeg, VaultContext, VaultStateName, VolSurface } from '../../../machines/vault.types.ts';
import { optionFillFlow, perpCostUsd } from '../../domain/optionFlow.ts';
import { perpCostBps } from '../../domain/quoteBook.ts';
import type { EngineEvent } from '../engineTypes.ts';
import type { FlowMetrics, HedgeMark, VaultMetrics, VaultSeries } from './backtestResult.ts';
import { pnlSplit, type PnlSplit } from '../../domain/pnlSplit.ts';
import { bookValueUsd, legValueUsd } from '../../domain/bookValue.ts';
import { FundingAccrual, type FundingTerms } from '../../domain/fundingAccrual.ts';
import { sampleSd } from './sampleSd.ts';

type HedgeEvent = Extract<EngineEvent, { kind: 'hedge' }>;
export interface VaultStart { cashUsd: number; perpBtc: number; book: readonly OptionLeg[]; ratePerYear: number; vol: VolSurface }

export class VaultAccumulator {
  private bookValue0 = 0;
  private perp0Usd = 0;
  private started = false;
  private firstAt = 0;
  private hedgeTradeCashUsd = 0;
  private feesUsd = 0;
  private tradedBtc = 0;
  private tradedNotionalUsd = 0;
  private slippageUsd = 0;
  private triggerNotionalUsd = 0;
  private readonly orders = new Map<string, { filledBtc: number; notionalUsd: number; feeUsd: number }>();
  private readonly statuses = { filled: 0, cancelled: 0, cancelledEmpty: 0, rejected: 0, failed: 0 };
  private readonly funding: FundingAccrual;
  private maxAbsDeltaBtc = 0;
  private maxAbsDeltaOutsideHedgesBtc = 0;
  private overHardMs = 0;
  private longestOverMs = 0;
  /** Event time the current run over the hard limit began (null: not over). */
  private overSince: number | null = null;
  /** The last observation of |net delta| against the hard limit: its event time and whether it was over. */
  private overAt: number | null = null;
  private wasOver = false;
  /** Largest-magnitude net delta committed since the last step (e.g. just before a hedge), signed. */
  private stepPeakBtc: number | null = null;
  private outsideMs = 0;
  private prevAt: number | null = null;
  private prevOutside = false;
  private prevState: VaultStateName | null = null;
  private readonly timeInState: Partial<Record<VaultStateName, number>> = {};
  private readonly transitions: Partial<Record<VaultStateName, number>> = {};
  /** Total PnL after the first step of each UTC hour, USD. */
  readonly hourlyPnl: number[] = [];
  /** Delta PnL so far: sum over steps of (net delta after the step before) x (price change), USD. */
  private deltaPnlUsd = 0;
  private prevNetBtc = 0;
  /** Delta PnL sampled with hourlyPnl, USD. */
  readonly hourlyDeltaPnl: number[] = [];
  private readonly marks = new Map<string, HedgeMark>();
  /** Option flow (simulated takers): delta it took off and what the vault paid for it. */
  private readonly flow = { fills: 0, reducingFills: 0, reducedBtc: 0, reducedNotionalUsd: 0, leanPaidUsd: 0, edgeUsd: 0 };
  readonly series: VaultSeries = {
    t: [], priceUsd: [], deltaBtc: [], hedgeBandBtc: [], quoteBandBtc: [], perpBtc: [],
    pnlTotalUsd: [], pnlOptionUsd: [], pnlHedgeUsd: [], hedges: [], expiries: [],
  };

  constructor(readonly vaultId: string, private readonly start: VaultStart, funding: FundingTerms) {
    this.funding = new FundingAccrual(funding);
  }

  onEvent(ev: EngineEvent): void {
    switch (ev.kind) {
      case 'hedge': this.onHedge(ev); break;
      case 'transition': this.transitions[ev.to as VaultStateName] = (this.transitions[ev.to as VaultStateName] ?? 0) + 1; break;
      case 'committed': {
        this.observeLimits(ev.context);
        // A commit with a fresh in-flight order carries the delta the hedge was decided on.
        const net = ev.context.greeks.netBtc;
        this.maxAbsDeltaBtc = Math.max(this.maxAbsDeltaBtc, Math.abs(net));
        if (this.stepPeakBtc === null || Math.abs(net) > Math.abs(this.stepPeakBtc)) this.stepPeakBtc = net;
        const o = ev.context.inFlight;
        const mark = o ? this.marks.get(o.clientOrderId) : undefined;
        if (o && mark && o.filledBtc === 0) mark.deltaBeforeBtc = ev.context.greeks.netBtc;
        break;
      }
      default: break;
    }
  }

  /** A taker fill the vault booked (before / after: its context around the fill). */
  onFill(fill: FillReceived, before: VaultContext, after: VaultContext): void {
    const leg = after.book.find((l) => l.instrument === fill.instrument);
    if (!leg) throw new Error(`backtest: vault ${this.vaultId} booked a fill on ${fill.instrument} but holds no such series`);
    const fairUsd = legValueUsd(leg, after.spotUsd, fill.at, this.start.ratePerYear, after.config.vol);
    const f = optionFillFlow({ side: fill.side, qty: fill.qty, priceUsd: fill.priceUsd, fairUsd, deltaBeforeBtc: before.greeks.netBtc, deltaAfterBtc: after.greeks.netBtc });
    const fl = this.flow;
    fl.fills += 1;
    fl.edgeUsd += f.edgeUsd;
    if (f.reducedBtc > 0) {
      fl.reducingFills += 1;
      fl.reducedBtc += f.reducedBtc;
      fl.reducedNotionalUsd += f.reducedBtc * after.spotUsd;
      fl.leanPaidUsd += f.leanPaidUsd;
    }
  }

  /**
   * Flow metrics at the end: the perp cost the sourced delta avoided is priced at this run's
   * own perp cost (fees + slippage per USD traded) when the vault hedged, else at the quote
   * config's expected cost (taker fee + slippage).
   */
  private flowMetrics(ctx: VaultContext): FlowMetrics {
    const fl = this.flow;
    const realized = this.tradedNotionalUsd > 0;
    const costBps = realized ? ((this.feesUsd + this.slippageUsd) / this.tradedNotionalUsd) * 1e4 : perpCostBps(ctx.config.quote);
    const avoided = perpCostUsd(fl.reducedNotionalUsd, costBps);
    return {
      fills: fl.fills, reducingFills: fl.reducingFills, deltaSourcedBtc: fl.reducedBtc, deltaSourcedNotionalUsd: fl.reducedNotionalUsd,
      perpCostBps: costBps, perpCostFrom: realized ? 'run' : 'config', perpCostAvoidedUsd: avoided,
      leanPaidUsd: fl.leanPaidUsd, netSavedUsd: avoided - fl.leanPaidUsd, edgeUsd: fl.edgeUsd,
    };
  }

  private onHedge(ev: HedgeEvent): void {
    if (ev.status === 'pending') {
      this.marks.set(ev.clientOrderId, {
        at: ev.at, fillAt: ev.at, side: ev.side, filledBtc: 0, avgPriceUsd: 0, triggerPriceUsd: ev.triggerPriceUsd, deltaBeforeBtc: 0, status: 'pending',
      });
      return;
    }
    const prev = this.orders.get(ev.clientOrderId) ?? { filledBtc: 0, notionalUsd: 0, feeUsd: 0 };
    const notionalUsd = ev.filledBtc * ev.avgPriceUsd;
    const addBtc = ev.filledBtc - prev.filledBtc;
    const addNotional = notionalUsd - prev.notionalUsd;
    const addFee = ev.feeUsd - prev.feeUsd;
    const sign = ev.side === 'buy' ? 1 : -1;
    if (addBtc > 1e-12) {
      this.tradedBtc += addBtc;
      this.tradedNotionalUsd += addNotional;
      this.hedgeTradeCashUsd -= sign * addNotional;
      if (ev.triggerPriceUsd > 0) {
        this.slippageUsd += sign * (addNotional - addBtc * ev.triggerPriceUsd);
        this.triggerNotionalUsd += addBtc * ev.triggerPriceUsd;
      }
      this.funding.addFill(ev.at, sign * addBtc);
    }
    this.feesUsd += addFee;
    this.orders.set(ev.clientOrderId, { filledBtc: ev.filledBtc, notionalUsd, feeUsd: ev.feeUsd });
    const status = ev.status;
    if (status !== 'filled' && status !== 'cancelled' && status !== 'rejected' && status !== 'failed') return;
    if (status === 'cancelled' && !(ev.filledBtc > 0)) this.statuses.cancelledEmpty += 1;
    else this.statuses[status] += 1;
    const mark = this.marks.get(ev.clientOrderId);
    this.marks.delete(ev.clientOrderId);
    if (mark && ev.filledBtc > 0) {
      this.series.hedges.push({ ...mark, fillAt: ev.at, filledBtc: ev.filledBtc, avgPriceUsd: ev.avgPriceUsd, status: ev.status });
    }
  }

  /**
   * One observation of the vault (a committed state, or the state after a step): time over the
   * hard limit runs from an observation over it to the next one at a later event time; the
   * largest |delta| with no hedge order in flight is the one no clip sequence is answering.
   */
  private observeLimits(ctx: VaultContext, atMs = ctx.lastAt): void {
    const over = Math.abs(ctx.greeks.netBtc) > ctx.bands.hardBtc;
    if (this.overAt !== null && atMs < this.overAt) return; // an older state (committed before the step it belongs to)
    if (this.overAt !== null && this.wasOver) this.overHardMs += atMs - this.overAt;
    if (over && this.overSince === null) this.overSince = atMs;
    if (this.overSince !== null) this.longestOverMs = Math.max(this.longestOverMs, atMs - this.overSince);
    if (!over) this.overSince = null;
    this.overAt = atMs;
    this.wasOver = over;
    if (!ctx.inFlight) this.maxAbsDeltaOutsideHedgesBtc = Math.max(this.maxAbsDeltaOutsideHedgesBtc, Math.abs(ctx.greeks.netBtc));
  }

  /** The step's signed peak delta (committed before a hedge) or, if larger or none, `postBtc`; resets. */
  takeStepPeak(postBtc: number): number {
    const peak = this.stepPeakBtc;
    this.stepPeakBtc = null;
    return peak !== null && Math.abs(peak) > Math.abs(postBtc) ? peak : postBtc;
  }

  /** PnL of the vault now (context after a step at spot priceUsd, event time at), USD. */
  pnl(ctx: VaultContext, priceUsd: number, at: number): PnlSplit {
    return pnlSplit({
      startCashUsd: this.start.cashUsd, startBookValueUsd: this.bookValue0, startPerpValueUsd: this.perp0Usd,
      cashUsd: ctx.cashUsd, bookValueUsd: bookValueUsd(ctx.book, priceUsd, at, this.start.ratePerYear, ctx.config.vol), perpBtc: ctx.perpBtc, spotUsd: priceUsd,
      hedgeTradeCashUsd: this.hedgeTradeCashUsd, feesUsd: this.feesUsd, fundingUsd: this.funding.totalUsd,
    });
  }

  /**
   * The vault after a replay step at event time `at` (tick price priceUsd; prevPriceUsd is
   * the tick before, for funding boundaries that fell between ticks). Returns the total PnL
   * and the delta PnL so far when a sample was taken (hour or chart), else null.
   */
  onStep(state: VaultStateName, ctx: VaultContext, at: number, priceUsd: number, prevPriceUsd: number, sample: { hour: boolean; chart: boolean }): { totalUsd: number; deltaUsd: number } | null {
    if (!this.started) {
      this.started = true;
      this.firstAt = at;
      this.bookValue0 = bookValueUsd(this.start.book, priceUsd, at, this.start.ratePerYear, this.start.vol);
      this.perp0Usd = this.start.perpBtc * priceUsd;
    }
    if (this.prevAt !== null && this.prevState !== null) {
      const dt = at - this.prevAt;
      if (this.prevOutside) this.outsideMs += dt;
      this.timeInState[this.prevState] = (this.timeInState[this.prevState] ?? 0) + dt;
    }
    const net = ctx.greeks.netBtc;
    // The delta held since the last step (after its hedges and fills) times this step's move.
    this.deltaPnlUsd += this.prevNetBtc * (priceUsd - prevPriceUsd);
    this.prevNetBtc = net;
    this.observeLimits(ctx, Math.max(at, ctx.lastAt));
    this.prevAt = at;
    this.prevState = state;
    this.prevOutside = Math.abs(net) > ctx.bands.hedgeBtc;
    this.maxAbsDeltaBtc = Math.max(this.maxAbsDeltaBtc, Math.abs(net));
    this.funding.advance(at, (t) => (t >= at ? priceUsd : prevPriceUsd));
    if (!sample.hour && !sample.chart) return null;
    const p = this.pnl(ctx, priceUsd, at);
    if (sample.hour) { this.hourlyPnl.push(p.totalUsd); this.hourlyDeltaPnl.push(this.deltaPnlUsd); }
    if (sample.chart) {
      const s = this.series;
      s.t.push(at); s.priceUsd.push(priceUsd); s.deltaBtc.push(net); s.hedgeBandBtc.push(ctx.bands.hedgeBtc);
      s.quoteBandBtc.push(ctx.bands.quoteBtc); s.perpBtc.push(ctx.perpBtc);
      s.pnlTotalUsd.push(p.totalUsd); s.pnlOptionUsd.push(p.optionUsd); s.pnlHedgeUsd.push(p.hedgeUsd);
    }
    return { totalUsd: p.totalUsd, deltaUsd: this.deltaPnlUsd };
  }

  /** Final metrics from the last committed context at the last tick (at, priceUsd). */
  finish(state: VaultStateName, ctx: VaultContext, at: number, priceUsd: number, spanMs: number): VaultMetrics {
    this.funding.advance(at, () => priceUsd);
    this.observeLimits(ctx, Math.max(at, ctx.lastAt));
    this.series.expiries = [...new Set(this.start.book.map((l) => l.expiryMs))].filter((e) => e > this.firstAt && e <= at).sort((a, b) => a - b);
    const pnl = this.pnl(ctx, priceUsd, at);
    const hourlyChanges = diffs(this.hourlyPnl);
    const hourlyDelta = diffs(this.hourlyDeltaPnl);
    const flow = ctx.flowDeltaReducedBtc;
    const hedged = ctx.hedgeDeltaReducedBtc;
    const fundingUsd = this.funding.totalUsd;
    return {
      hedgeCount: this.statuses.filled + this.statuses.cancelled,
      hedgeOrders: { ...this.statuses },
      tradedBtc: this.tradedBtc,
      tradedNotionalUsd: this.tradedNotionalUsd,
      feesUsd: this.feesUsd,
      feesBps: this.tradedNotionalUsd > 0 ? (this.feesUsd / this.tradedNotionalUsd) * 1e4 : 0,
      slippageUsd: this.slippageUsd,
      slippageBps: this.triggerNotionalUsd > 0 ? (this.slippageUsd / this.triggerNotionalUsd) * 1e4 : 0,
      fundingUsd,
      costUsd: this.feesUsd + this.slippageUsd + fundingUsd,
      finalDeltaBtc: ctx.greeks.netBtc,
      maxAbsDeltaBtc: Math.max(this.maxAbsDeltaBtc, Math.abs(ctx.greeks.netBtc)),
      finalPerpBtc: ctx.perpBtc,
      maxAbsDeltaOutsideHedgesBtc: Math.max(this.maxAbsDeltaOutsideHedgesBtc, Math.abs(ctx.greeks.netBtc)),
      timeOverHardLimitMs: this.overHardMs,
      longestOverHardLimitMs: this.longestOverMs,
      timeOutsideBandMs: this.outsideMs,
      timeOutsideBandFraction: spanMs > 0 ? this.outsideMs / spanMs : 0,
      pnl,
      pnlSdUsd: sampleSd(hourlyChanges),
      pnlSdSamples: hourlyChanges.length,
      deltaPnlUsd: this.deltaPnlUsd,
      deltaPnlSdUsd: sampleSd(hourlyDelta),
      transitions: { ...this.transitions },
      timeInStateMs: { ...this.timeInState },
      finalState: state,
      deltaReduced: { byOptionFlowBtc: flow, byHedgesBtc: hedged, optionFlowShare: flow + hedged > 0 ? flow / (flow + hedged) : 0 },
      optionFills: ctx.fills,
      flow: this.flowMetrics(ctx),
    };
  }

  /** Slippage base (sum of size * spot at trigger), for totals in bps. */
  get slippageBaseUsd(): number { return this.triggerNotionalUsd; }
}

export function diffs(xs: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < xs.length; i++) out.push((xs[i] as number) - (xs[i - 1] as number));
  return out;
}
