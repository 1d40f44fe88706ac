// HISTORY, FROZEN: the context, config and input types of vault machine versions 1 and 2, as they decided before version 3
// (expiry as a planned event, hedges in clips, the vol surface). Never edit it: it replays
// journal rows those versions decided, so they are never re-decided by newer rules. It imports
// from src/domain only what version 3 left unchanged.
import type { BandConfig, Bands } from '../../../src/domain/bandConfig.ts';
import type { OptionKind } from '../../../src/domain/instrument.ts';
import type { VaultEvent } from '../../vault.types.ts';
export type { VaultEvent };

/** When a hedge is due (bands say how far; the trigger says when). */
export type HedgeTrigger =
  | { kind: 'band' }
  /** Hedge every everyMs of event time, whatever the delta (if above the venue minimum). */
  | { kind: 'time'; everyMs: number }
  /** Hedge when spot moved movePct (0.01 = 1%) since the last hedge. */
  | { kind: 'move'; movePct: number };

export interface QuoteConfig {
  /** Half the bid/ask spread around fair value, in bps of the option's fair price. */
  halfSpreadBps: number;
  /** Floor of the half spread in USD (deep OTM options have tiny prices). */
  minHalfSpreadUsd: number;
  /** Maximum lean of the delta-reducing side through mid, bps of fair price. */
  maxLeanBps: number;
  /** Size quoted on each side when the vault is flat, contracts. */
  baseSizeContracts: number;
}

export interface VaultConfig {
  underlying: 'BTC';
  bands: BandConfig;
  trigger: HedgeTrigger;
  /** 'zero': trade delta to 0; 'bandEdge': trade back to the nearest edge of the re-entry band. */
  hedgeTarget: 'zero' | 'bandEdge';
  /** Largest single hedge order, BTC (clip). */
  maxOrderBtc: number;
  /** Venue minimum order, BTC: never hedge less than this. */
  minOrderBtc: number;
  /** Venue lot, BTC: hedge sizes are rounded to whole lots. */
  lotBtc: number;
  /** Protective limit price distance from spot, bps. */
  slippageBps: number;
  cooldownMs: number;
  /** Retry backoff after a failed hedge: min(retryMaxMs, retryBaseMs * 2^(failures-1)). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Consecutive hedge failures (rejected or failed) after which the vault halts. */
  maxConsecutiveFailures: number;
  /** Risk limit: USD notional hedged per UTC day; beyond it the vault halts. */
  maxHedgeNotionalPerDayUsd: number;
  /** Risk-free rate, per year. */
  ratePerYear: number;
  quote: QuoteConfig;
}

/** One option series held by the vault. qty > 0 long, < 0 short, contracts of 1 BTC. */
export interface OptionLeg {
  instrument: string;
  kind: OptionKind;
  strikeUsd: number;
  expiryMs: number;
  qty: number;
  volPerYear: number;
}

export type Side = 'buy' | 'sell';

export interface HedgeOrder {
  /** `<vaultId>-<hedgeSeq>`: assigned by the machine before any effect runs. */
  clientOrderId: string;
  side: Side;
  sizeBtc: number;
  limitPriceUsd: number;
  createdAt: number;
  reason: 'band' | 'time' | 'move' | 'emergency' | 'flatten';
  accepted: boolean;
  /** Cumulative fill so far, BTC (unsigned) and its average price. */
  filledBtc: number;
  avgPriceUsd: number;
  feeUsd: number;
}


/** The book's greeks (options delta, net delta with the perp, gross delta, gamma, vega, gamma-weighted tau and vol). */
export interface Greeks {
  optionsBtc: number;
  netBtc: number;
  grossBtc: number;
  gamma: number;
  vega: number;
  tauYears: number;
  volPerYear: number;
}

export interface VaultContext {
  vaultId: string;
  config: VaultConfig;
  book: OptionLeg[];
  perpBtc: number;
  /** Last valid spot price and its event time (0 before the first tick). */
  spotUsd: number;
  spotAt: number;
  /** Time of the last event applied. */
  lastAt: number;
  greeks: Greeks;
  bands: Bands;
  hedgeSeq: number;
  inFlight: HedgeOrder | null;
  /** Absolute deadline ending cooldown (or a retry backoff); fired from outside as timer.fired. */
  cooldownUntil: number | null;
  consecutiveFailures: number;
  lastHedgeAt: number;
  lastHedgeSpotUsd: number;
  feedStale: boolean;
  haltReason: string | null;
  /** Cash of the vault, USD: option premiums, hedge cash flows, fees, expiry payoffs. */
  cashUsd: number;
  /** Hedge notional of the current UTC day (day = floor(at / 86_400_000)). */
  hedgeDay: number;
  hedgeDayNotionalUsd: number;
  /** Delta taken off by option fills vs by perp hedges, BTC (absolute sums of reductions). */
  flowDeltaReducedBtc: number;
  hedgeDeltaReducedBtc: number;
  fills: number;
  hedges: number;
}

export interface VaultInput {
  vaultId: string;
  config: VaultConfig;
  book: OptionLeg[];
  perpBtc?: number;
  cashUsd?: number;
}

// Events are version 3's (vault.types.ts): their shapes did not change.

export type VaultStateName = 'neutral' | 'overexposed' | 'underexposed' | 'hedging' | 'cooldown' | 'halted';
