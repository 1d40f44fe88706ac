// Types of the vault machine: its config, context and events. Plain JSON everywhere, so a
// persisted snapshot round-trips through SQLite unchanged.
// Units: times are unix epoch milliseconds (UTC); prices USD; sizes BTC (perp) or
// contracts of 1 BTC (options); vol and rate annualised (ACT/365).

import type { BandConfig, Bands } from '../src/domain/bandConfig.ts';
import type { BookGreeks, BookLeg } from '../src/domain/bookGreeks.ts';
import type { ExpiryConfig } from '../src/domain/expiryTreatment.ts';
import type { OptionKind } from '../src/domain/instrument.ts';
import type { OptionMarkBtc } from '../src/domain/inverseBookDelta.ts';
import type { SeriesVol } from '../src/domain/volMarks.ts';
import type { SmileSlice, VolSurface } from '../src/domain/volSurface.ts';
export type { BandConfig, Bands, ExpiryConfig, OptionMarkBtc, SeriesVol, SmileSlice, VolSurface };

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

/**
 * How the vault's delta is measured. linear: options and perp in BTC of underlying, cash in USD
 * (net delta = options + perpBtc). inverse: a coin-margined account (Deribit: BTC options and
 * BTC-PERPETUAL, collateral in BTC), whose equity and option marks carry delta too (net delta =
 * options + equityBtc - sum qty x markBtc + perpUsd / spot; src/venues/deribit/INVERSE.md).
 */
export type AccountKind = { kind: 'linear' } | { kind: 'inverse' };

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
  /** Linear (the default) or inverse: what the vault's net delta counts. */
  account: AccountKind;
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
  /**
   * Market-maker protection: the venue froze the vault's quotes until this time (unix ms; 0 =
   * never frozen). No quotes while lastAt < quotesFrozenUntil; hedging goes on.
   */
  quotesFrozenUntil: number;
  /**
   * An inverse vault's account as last marked (account.marked), moved by its hedge fills (the
   * perp's USD size) and option fills (a new series' mark) since; null before the first mark and
   * on a linear vault. An inverse vault hedges only once it has it.
   */
  accountMarks: AccountMarks | null;
}

/** What an inverse vault knows of its account: the venue's equity, perp size and option marks at `at`. */
export interface AccountMarks {
  /** Event time of the last account.marked, unix ms. */
  at: number;
  /** Account equity, BTC: cash balance + options at mark + perp unrealised PnL. */
  equityBtc: number;
  /** The perp position, USD notional (> 0 long). */
  perpUsd: number;
  /** BTC mark per contract of each option series the account holds. */
  marksBtc: OptionMarkBtc[];
}

export interface VaultInput {
  vaultId: string;
  config: VaultConfig;
  book: OptionLeg[];
  perpBtc?: number;
  cashUsd?: number;
}

// ---- events: namespaced, lower case, each with its event time `at` (unix ms) ----
export interface PriceTick { type: 'price.tick'; at: number; priceUsd: number }
export interface FillReceived {
  type: 'fill.received'; at: number; fillId: string; instrument: string;
  /** The vault's side of the trade. */
  side: Side; qty: number; priceUsd: number;
}
export interface HedgeAccepted { type: 'hedge.accepted'; at: number; clientOrderId: string }
export interface HedgeFilled {
  type: 'hedge.filled'; at: number; clientOrderId: string;
  /** Cumulative filled size of the order, BTC, and its average price (idempotent to re-apply). */
  filledBtc: number; avgPriceUsd: number; feeUsd: number;
  /** True when the order is done (IOC remainder cancelled). */
  final: boolean;
}
export interface HedgeRejected { type: 'hedge.rejected'; at: number; clientOrderId: string; reason: string }
export interface HedgeFailed { type: 'hedge.failed'; at: number; clientOrderId: string; reason: string }
export interface TimerFired { type: 'timer.fired'; at: number }
export interface ExpirySettled { type: 'expiry.settled'; at: number; expiryMs: number; settlementPriceUsd: number }
export interface ControlPause { type: 'control.pause'; at: number; reason?: string }
export interface ControlResume { type: 'control.resume'; at: number }
export interface ControlFlatten { type: 'control.flatten'; at: number }
export interface FeedStale { type: 'feed.stale'; at: number }
export interface FeedRecovered { type: 'feed.recovered'; at: number }
/**
 * The venue's mark IV per series (conflated: at most one a second per vault): each becomes the
 * own vol of the vault's leg of that series; series the vault does not hold or quote are ignored.
 * Refused (not applied, nothing journaled) unless every vol is finite, > 0 and at most
 * MAX_VOL_PER_YEAR (src/domain/volMarks.ts volMarksRefusal says why).
 */
export interface VolMarked { type: 'vol.marked'; at: number; vols: SeriesVol[] }
/** Market-maker protection triggered on the venue: quoting is frozen until frozenUntil (unix ms). */
export interface MmpTriggered { type: 'mmp.triggered'; at: number; frozenUntil: number }
/**
 * An inverse account as the venue reports it: equity (BTC), the perp's USD size and the BTC mark
 * of each option series it holds. Ignored by a linear vault; refused unless finite (marks >= 0).
 */
export interface AccountMarked { type: 'account.marked'; at: number; equityBtc: number; perpUsd: number; marksBtc: OptionMarkBtc[] }

export type VaultEvent =
  | PriceTick | FillReceived | HedgeAccepted | HedgeFilled | HedgeRejected | HedgeFailed
  | TimerFired | ExpirySettled | ControlPause | ControlResume | ControlFlatten
  | FeedStale | FeedRecovered | VolMarked | MmpTriggered | AccountMarked;

export type VaultEventType = VaultEvent['type'];

export type VaultStateName = 'neutral' | 'overexposed' | 'underexposed' | 'hedging' | 'cooldown' | 'halted';
