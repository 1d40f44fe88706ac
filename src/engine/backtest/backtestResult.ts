// What a backtest reports: per-vault and total metrics (plain JSON, no wall-clock figures, so
// the same inputs and seed give byte-identical output) and the sampled series the HTML report
// draws. Units in the names: Usd, Btc, Ms, Bps; times are unix ms (event time).
import type { VaultStateName } from '../../../machines/vault.types.ts';

/** Option / hedge PnL split (definitions on the domain type). */
export type { PnlSplit } from '../../domain/pnlSplit.ts';
import type { PnlSplit } from '../../domain/pnlSplit.ts';

export interface VaultMetrics {
  /** Hedge orders that ended with a fill: filled, or IOC remainder cancelled after a partial fill. */
  hedgeCount: number;
  /** Final hedge order statuses; `cancelled` counts only IOCs with a partial fill, `cancelledEmpty` those with none. */
  hedgeOrders: { filled: number; cancelled: number; cancelledEmpty: number; rejected: number; failed: number };
  /** Sum of |filled size|, BTC, and of |filled size| * fill price, USD. */
  tradedBtc: number;
  tradedNotionalUsd: number;
  /** Venue taker fees, USD, and as bps of the traded notional. */
  feesUsd: number;
  feesBps: number;
  /** Fill price against spot when the hedge was decided, signed so > 0 is a cost:
   * sum over fills of (avg - spot at trigger) * size for buys, (spot at trigger - avg) * size for
   * sells, USD; bps = slippageUsd / sum(size * spot at trigger) * 1e4. */
  slippageUsd: number;
  slippageBps: number;
  /** Funding paid on the vault's perp position (> 0 paid), venue model, USD. */
  fundingUsd: number;
  /** cost = fees + slippage + funding, USD. */
  costUsd: number;
  /** Net delta (options + perp) after the last step, BTC. */
  finalDeltaBtc: number;
  /** Largest |net delta| seen after any step or at any hedge decision (per vault), BTC. */
  maxAbsDeltaBtc: number;
  finalPerpBtc: number;
  /** Largest |net delta| while no hedge order was in flight (at every committed state and after
   * every step), BTC: what no clip sequence was answering. Total: the largest over vaults. */
  maxAbsDeltaOutsideHedgesBtc: number;
  /** Event time during which |net delta| exceeded the vault's hard limit, ms: from a committed
   * state (or a step's end) over it to the next one at a later time. A clip sequence answering a
   * breach counts its venue latency (ms); a breach nobody answers counts until the next tick. */
  timeOverHardLimitMs: number;
  /** The longest single run over the hard limit, ms (total: the longest over vaults). */
  longestOverHardLimitMs: number;
  /** Event time during which |net delta| after a step exceeded the hedge band (each interval
   * between consecutive ticks counts with the state at its start), ms, and its share of the span. */
  timeOutsideBandMs: number;
  timeOutsideBandFraction: number;
  pnl: PnlSplit;
  /** Sample standard deviation of the hourly changes of total PnL (sampled after the first step
   * of each UTC hour), USD; `pnlSdSamples` changes went into it. */
  pnlSdUsd: number;
  pnlSdSamples: number;
  /** Delta PnL: sum over steps of (net delta after the previous step) x (price change), USD: the
   * first-order PnL of the delta the vault left unhedged, the part of PnL its hedging decides
   * (gamma, theta, option flow and costs excluded). */
  deltaPnlUsd: number;
  /** Sample sd of its hourly changes (same hours as pnlSdUsd), USD: the hedge's risk. */
  deltaPnlSdUsd: number;
  /** Machine transitions counted by the state entered. */
  transitions: Partial<Record<VaultStateName, number>>;
  /** Event time spent in each state after a step, ms. */
  timeInStateMs: Partial<Record<VaultStateName, number>>;
  finalState: VaultStateName;
  /** |delta| taken off by option fills (the quote lean at work) vs by perp hedges, BTC (sums of reductions). */
  deltaReduced: { byOptionFlowBtc: number; byHedgesBtc: number; optionFlowShare: number };
  optionFills: number;
  flow: FlowMetrics;
}

/** What option flow did for the hedge (issue 17), over the vault's simulated taker fills. */
export interface FlowMetrics {
  fills: number;
  /** Fills that took |net delta| down. */
  reducingFills: number;
  /** |net delta| those fills took off, BTC (sum of max(0, |before| - |after|)), and the same at spot, USD. */
  deltaSourcedBtc: number;
  deltaSourcedNotionalUsd: number;
  /** Perp cost the sourced delta is priced at, bps one way: the run's own (fees + slippage) / traded
   * notional when the vault hedged ('run'), else the quote config's taker fee + slippage ('config');
   * in totals, avoided / notional ('mixed' when vaults differ). */
  perpCostBps: number;
  perpCostFrom: 'run' | 'config' | 'mixed';
  /** deltaSourcedNotionalUsd * perpCostBps / 1e4: hedging the same delta on the perp, USD. */
  perpCostAvoidedUsd: number;
  /** On delta-reducing fills, how far past fair the vault traded (the lean it paid), USD. */
  leanPaidUsd: number;
  /** perpCostAvoidedUsd - leanPaidUsd: > 0 when sourcing delta from flow was cheaper than the perp. */
  netSavedUsd: number;
  /** The vault's edge against fair over every fill (> 0 earned: spread on the other fills included), USD. */
  edgeUsd: number;
}

/** Totals over vaults: sums, except maxAbsDeltaOutsideHedgesBtc (the largest over vaults) and maxAbsDeltaBtc = max over steps of |sum over vaults of the
 * step's peak net delta| (a vault's peak is its delta when it decided a hedge in that step, else
 * its delta after the step),
 * pnlSdUsd and deltaPnlSdUsd = sd of hourly changes of the summed PnL / delta PnL, time outside band summed over vaults
 * (fraction of vaults x span). */
export type TotalMetrics = Omit<VaultMetrics, 'finalState' | 'transitions' | 'timeInStateMs'> & {
  transitions: Partial<Record<VaultStateName, number>>;
  timeInStateMs: Partial<Record<VaultStateName, number>>;
};

export interface BacktestResult {
  policy: string;
  target: 'config' | 'zero' | 'edge';
  seed: number;
  prices: { source: string; ticks: number; firstAt: number; lastAt: number; spanMs: number };
  venue: { takerFeeBps: number; fundingRatePerHour: number; fundingIntervalMs: number; fundingPaidUsd: number };
  vaults: Record<string, VaultMetrics>;
  total: TotalMetrics;
  /** Refused input records, count per reason. */
  rejected: Record<string, number>;
  /** Vault events journaled during the replay (every event that changed a vault; the genesis rows excluded). */
  journal: { vaultEvents: number };
}

/** One hedge as drawn on the report: decided at `at` (spot triggerPriceUsd), filled at avgPriceUsd. */
export interface HedgeMark {
  at: number;
  fillAt: number;
  side: 'buy' | 'sell';
  filledBtc: number;
  avgPriceUsd: number;
  triggerPriceUsd: number;
  deltaBeforeBtc: number;
  status: string;
}

/** Sampled series of one vault, columns aligned on `t` (unix ms). */
export interface VaultSeries {
  t: number[];
  priceUsd: number[];
  deltaBtc: number[];
  hedgeBandBtc: number[];
  quoteBandBtc: number[];
  perpBtc: number[];
  pnlTotalUsd: number[];
  pnlOptionUsd: number[];
  pnlHedgeUsd: number[];
  hedges: HedgeMark[];
  /** Expiries of the vault's book inside the replayed span (unix ms): marked on every chart. */
  expiries: number[];
}

export interface BacktestRun {
  result: BacktestResult;
  series: Record<string, VaultSeries>;
}
