// HISTORY, FROZEN: the context, config and input types of vault machine version 3, as released up to version 4 (venue vol
// marks, MMP freeze, inverse account delta). Never edit it: it replays journal rows that version 3
// decided, so they are never re-decided by newer rules. It imports from src/domain only what
// version 4 left unchanged.
// Units: times are unix epoch milliseconds (UTC); prices USD; sizes BTC (perp) or
// contracts of 1 BTC (options); vol and rate annualised (ACT/365).

import type { BandConfig, Bands } from '../../../src/domain/bandConfig.ts';
import type { BookGreeks, BookLeg } from '../../../src/domain/bookGreeks.ts';
import type { ExpiryConfig } from '../../../src/domain/expiryTreatment.ts';
import type { OptionKind } from '../../../src/domain/instrument.ts';
import type { SmileSlice, VolSurface } from '../../../src/domain/volSurface.ts';
import type { ExpirySettled, FillReceived, HedgeFilled, VaultEvent } from '../../vault.types.ts';
export type { BandConfig, Bands, ExpiryConfig, SmileSlice, VolSurface };
/** Events are the current version's: version 3 has transitions for its own and ignores the rest. */
export type { ExpirySettled, FillReceived, HedgeFilled, VaultEvent };

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
  /** Implied vol of every series without its own: a smile per expiry, else the flat vol. */
  vol: VolSurface;
  /** Expiry as a planned event: hedged at settlement or glided over the last minutes; the pin floor. */
  expiry: ExpiryConfig;
}

/** One option series held by the vault. qty > 0 long, < 0 short, contracts of 1 BTC. */
export type OptionLeg = BookLeg;
export type { OptionKind };

export type Side = 'buy' | 'sell';

/**
 * Why a hedge was started: the trigger policy (band, time, move), the hard limit in cooldown
 * (emergency), the operator (flatten), or an expiry (its settlement offset, or the glide).
 */
export type HedgeReason = 'band' | 'time' | 'move' | 'emergency' | 'flatten' | 'expiry';

/** A hedge decided and not yet sent: the rest of a clip sequence, or an expiry offset waiting to go. */
export interface PlannedHedge {
  /** Signed perp trade still due, BTC (> 0 buy). */
  sizeBtc: number;
  reason: HedgeReason;
}

export interface HedgeOrder {
  /** `<vaultId>-<hedgeSeq>`: assigned by the machine before any effect runs. */
  clientOrderId: string;
  side: Side;
  sizeBtc: number;
  limitPriceUsd: number;
  createdAt: number;
  reason: HedgeReason;
  accepted: boolean;
  /** Cumulative fill so far, BTC (unsigned) and its average price. */
  filledBtc: number;
  avgPriceUsd: number;
  feeUsd: number;
}


/** The book's greeks (options delta, net delta with the perp, gross delta, gamma, vega, gamma-weighted tau and vol). */
export type Greeks = BookGreeks;

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
  /**
   * The rest of the hedging episode after the order in flight (a hedge larger than maxOrderBtc
   * goes as consecutive clips), or an expiry offset that could not go at once (stale feed, retry
   * backoff, another order in flight). Dropped by a failure or a halt; replaced by a flatten.
   */
  planned: PlannedHedge | null;
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
