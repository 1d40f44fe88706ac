// Simulated option takers trading against a vault's current quotes. Pure and deterministic:
// every draw is hashUniform(seed, vaultId, at, ...), so a restarted process sees exactly
// the same fills for the same (seed, vault, event time).
//
// Per call (one step of intervalMs ending at `at`):
// - n ~ Poisson(arrivalsPerMinute * intervalMs / 60_000) takers arrive.
// - Each picks a series uniformly among the quotes and a side by this response function:
//     edgeBuyBps  = (fair - ask) / fair * 1e4   (> 0 when the vault sells below fair)
//     edgeSellBps = (bid - fair) / fair * 1e4   (> 0 when the vault buys above fair)
//     wBuy = buyShare * exp(edgeSensitivityPerBp * edgeBuyBps), wSell = (1 - buyShare) * exp(...Sell)
//     P(taker buys) = wBuy / (wBuy + wSell)
//   With the default 0.01 per bp, a side 100 bps better than the other draws e (2.7) times
//   the flow, so the vault's lean really pulls the delta-reducing trades.
// - Size ~ Exponential(meanSizeContracts) (or fixed, or lognormal with that mean), capped by the size still quoted on that side
//   (earlier takers in the same step consume it), floored to sizeStepContracts. A side
//   quoted with size 0 (or nothing left) gets no trade.
// - The vault's side is the opposite of the taker's: a taker buy fills the vault's ask as a
//   vault 'sell' at askPriceUsd; a taker sell fills its bid as a vault 'buy' at bidPriceUsd.
import { hashNormal, hashUniform, poisson } from '../domain/rng.ts';
import type { Quote } from '../domain/quote.ts';
import type { FillInput } from './inputTypes.ts';

export interface SimulatedTakersInput {
  seed: number;
  vaultId: string;
  /** Event time of the step, unix ms. */
  at: number;
  /** The vault's quotes, or a function giving them: called only when some taker arrives
   * (most minutes have none, and pricing a whole book is the costly part). */
  quotes: readonly Quote[] | (() => readonly Quote[]);
  /** Mean taker arrivals per minute of event time (all series together). */
  arrivalsPerMinute: number;
  /** Fraction of takers who buy when both sides are equally attractive, 0..1. */
  buyShare: number;
  /** Mean taker size, contracts of 1 BTC. */
  meanSizeContracts: number;
  /** Taker size law with that mean (default 'exponential'); 'lognormal' uses sizeLogSigma (default 1). */
  sizeDistribution?: 'exponential' | 'fixed' | 'lognormal';
  sizeLogSigma?: number;
  /** Length of the step the arrivals cover, ms (default 60_000: one 1-minute tick). */
  intervalMs?: number;
  /** Side response to price, per bp of edge (default 0.01). */
  edgeSensitivityPerBp?: number;
  /** Fill sizes are floored to this step, contracts (default 0.01). */
  sizeStepContracts?: number;
  /** Source name on the fills (default 'sim-takers'). */
  source?: string;
}

function edgeBps(better: number, fair: number): number {
  return fair > 0 ? (better / fair) * 1e4 : 0;
}

/** exp() of the response, clamped so a near-zero fair value cannot give Infinity/Infinity. */
function response(sens: number, edge: number): number {
  return Math.exp(Math.max(-50, Math.min(50, sens * edge)));
}

function takerSize(i: SimulatedTakersInput, k: number): number {
  const mean = i.meanSizeContracts;
  switch (i.sizeDistribution ?? 'exponential') {
    case 'fixed': return mean;
    case 'lognormal': {
      const sig = i.sizeLogSigma ?? 1;
      return mean * Math.exp(sig * hashNormal(i.seed, i.vaultId, i.at, k, 'size') - (sig * sig) / 2);
    }
    default: return -mean * Math.log(1 - hashUniform(i.seed, i.vaultId, i.at, k, 'size'));
  }
}

export function simulateTakerFills(input: SimulatedTakersInput): FillInput[] {
  const { seed, vaultId, at, arrivalsPerMinute, buyShare, meanSizeContracts } = input;
  const intervalMs = input.intervalMs ?? 60_000;
  const sens = input.edgeSensitivityPerBp ?? 0.01;
  const step = input.sizeStepContracts ?? 0.01;
  const source = input.source ?? 'sim-takers';
  if (!(arrivalsPerMinute >= 0) || !(buyShare >= 0 && buyShare <= 1) || !(meanSizeContracts > 0) || !(intervalMs > 0) || !(step > 0)) {
    throw new Error(`simulateTakerFills: bad parameters ${JSON.stringify({ arrivalsPerMinute, buyShare, meanSizeContracts, intervalMs, step })}`);
  }
  const n = poisson((arrivalsPerMinute * intervalMs) / 60_000, hashUniform(seed, vaultId, at, 'arrivals'));
  if (n === 0) return [];
  const quotes = typeof input.quotes === 'function' ? input.quotes() : input.quotes;
  if (quotes.length === 0) return [];
  // Size still quoted per series index and side within this step.
  const bidLeft = quotes.map((q) => q.bidSizeContracts);
  const askLeft = quotes.map((q) => q.askSizeContracts);
  const fills: FillInput[] = [];
  for (let k = 0; k < n; k++) {
    const i = Math.min(quotes.length - 1, Math.floor(hashUniform(seed, vaultId, at, k, 'series') * quotes.length));
    const q = quotes[i] as Quote;
    const wBuy = buyShare * response(sens, edgeBps(q.fairUsd - q.askPriceUsd, q.fairUsd));
    const wSell = (1 - buyShare) * response(sens, edgeBps(q.bidPriceUsd - q.fairUsd, q.fairUsd));
    const total = wBuy + wSell;
    if (!(total > 0)) continue;
    const takerBuys = hashUniform(seed, vaultId, at, k, 'side') < wBuy / total;
    const left = takerBuys ? (askLeft[i] ?? 0) : (bidLeft[i] ?? 0);
    const price = takerBuys ? q.askPriceUsd : q.bidPriceUsd;
    if (!(left > 0) || !(price > 0)) continue;
    const want = takerSize(input, k);
    // Round to 1e-9 first so float dust (0.3 / 0.01 = 29.999...) does not lose a whole step.
    const qty = Math.floor(Math.round((Math.min(want, left) / step) * 1e9) / 1e9) * step;
    if (!(qty > 0)) continue;
    if (takerBuys) askLeft[i] = left - qty;
    else bidLeft[i] = left - qty;
    fills.push({
      fillId: `${vaultId}:${at}:${k}`, vaultId, instrument: q.instrument, side: takerBuys ? 'sell' : 'buy',
      qty: Number(qty.toFixed(10)), priceUsd: price, at, source, offset: null,
    });
  }
  return fills;
}
