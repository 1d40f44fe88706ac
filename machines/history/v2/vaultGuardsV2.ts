// HISTORY, FROZEN: the guards of vault machine versions 1 and 2, as they decided before version 3
// (expiry as a planned event, hedges in clips, the vol surface). Never edit it: it replays
// journal rows those versions decided, so they are never re-decided by newer rules. It imports
// from src/domain only what version 3 left unchanged.
import type { VaultEvent } from '../../vault.types.ts';
import { dueHedgeSize } from './vaultReducersV2.ts';
import type { HedgeOrder, VaultContext } from './vaultTypesV2.ts';

/** Is a hedge due under the vault's trigger policy, and is it allowed (fresh feed, none in flight)? */
export function isHedgeDue(ctx: VaultContext): boolean {
  if (ctx.feedStale || ctx.inFlight || !(ctx.spotUsd > 0)) return false;
  const t = ctx.config.trigger;
  let due: boolean;
  switch (t.kind) {
    case 'band':
      due = Math.abs(ctx.greeks.netBtc) >= ctx.bands.hedgeBtc;
      break;
    case 'time':
      due = ctx.lastAt - ctx.lastHedgeAt >= t.everyMs;
      break;
    case 'move':
      due = ctx.lastHedgeSpotUsd === 0 || Math.abs(ctx.spotUsd / ctx.lastHedgeSpotUsd - 1) >= t.movePct;
      break;
  }
  return due && dueHedgeSize(ctx) !== 0;
}

/** The reason a due hedge is placed, from the trigger policy. */
export function hedgeReason(ctx: VaultContext): HedgeOrder['reason'] {
  return ctx.config.trigger.kind;
}

/** Would the due hedge push today's hedged notional past the daily risk limit? */
export function isOverDailyLimit(ctx: VaultContext): boolean {
  const day = Math.floor(ctx.lastAt / 86_400_000);
  const used = day === ctx.hedgeDay ? ctx.hedgeDayNotionalUsd : 0;
  return used + Math.abs(dueHedgeSize(ctx)) * ctx.spotUsd > ctx.config.maxHedgeNotionalPerDayUsd;
}

/** A hedge is due but would push today's hedged notional past the limit: the vault halts instead. */
export function isHedgeDueOverLimit(ctx: VaultContext): boolean {
  return isHedgeDue(ctx) && isOverDailyLimit(ctx);
}

/**
 * During the cooldown after a hedge: delta past the hard limit hedges at once (to zero). Not
 * during a retry backoff after a failure (consecutiveFailures > 0): the backoff protects a
 * failing venue, and bypassing it would retry at once exactly when delta is largest.
 */
export function isEmergency(ctx: VaultContext): boolean {
  return ctx.consecutiveFailures === 0 && !ctx.feedStale && !ctx.inFlight && ctx.spotUsd > 0 &&
    Math.abs(ctx.greeks.netBtc) >= ctx.bands.hardBtc && dueHedgeSize(ctx, 'zero') !== 0;
}

// Effective band edges for the state guards, clamped so that 0 <= reentry <= quote whatever the
// resolved bands are: the entry conditions of neutral and over/underexposed are then disjoint,
// and the eventless transitions between them can never loop (a loop would hang the process).
function quoteEdge(ctx: VaultContext): number {
  return Math.max(0, ctx.bands.quoteBtc);
}
function reentryEdge(ctx: VaultContext): number {
  return Math.max(0, Math.min(ctx.bands.reentryBtc, quoteEdge(ctx)));
}

/** Back to neutral: |delta| at or below the re-entry band (equality re-enters). */
export function isWithinReentry(ctx: VaultContext): boolean {
  return Math.abs(ctx.greeks.netBtc) <= reentryEdge(ctx);
}

/** Neutral -> overexposed: delta strictly above the quote band (equality stays neutral). */
export function isAboveQuoteBand(ctx: VaultContext): boolean {
  return ctx.greeks.netBtc > quoteEdge(ctx);
}

/** Neutral -> underexposed: delta strictly below -quote band. */
export function isBelowQuoteBand(ctx: VaultContext): boolean {
  return ctx.greeks.netBtc < -quoteEdge(ctx);
}

/** Overexposed -> underexposed: delta has swung short past the re-entry band (not just past -quote). */
export function isShortPastReentry(ctx: VaultContext): boolean {
  return ctx.greeks.netBtc < -reentryEdge(ctx);
}

/** Underexposed -> overexposed: delta has swung long past the re-entry band. */
export function isLongPastReentry(ctx: VaultContext): boolean {
  return ctx.greeks.netBtc > reentryEdge(ctx);
}

export function isLong(ctx: VaultContext): boolean {
  return ctx.greeks.netBtc > 0;
}

export function canFlatten(ctx: VaultContext): boolean {
  return !ctx.feedStale && !ctx.inFlight && ctx.spotUsd > 0 && dueHedgeSize(ctx, 'zero') !== 0;
}

export function hasInFlight(ctx: VaultContext): boolean {
  return ctx.inFlight !== null;
}

export function isForInFlight(ctx: VaultContext, clientOrderId: string): boolean {
  return ctx.inFlight !== null && ctx.inFlight.clientOrderId === clientOrderId;
}

/** Is the event a venue result (accepted, filled, rejected, failed) about the order in flight? */
export function isAboutInFlight(ctx: VaultContext, ev: VaultEvent): boolean {
  return 'clientOrderId' in ev && isForInFlight(ctx, ev.clientOrderId);
}

/** The last fill report of the order in flight, with something filled: the hedge is done. */
export function isFinalFill(ctx: VaultContext, ev: VaultEvent): boolean {
  return ev.type === 'hedge.filled' && ev.final && isForInFlight(ctx, ev.clientOrderId) && ev.filledBtc > 0;
}

/** The last fill report of the order in flight, with nothing filled: the hedge failed. */
export function isFinalEmptyFill(ctx: VaultContext, ev: VaultEvent): boolean {
  return ev.type === 'hedge.filled' && ev.final && isForInFlight(ctx, ev.clientOrderId) && !(ev.filledBtc > 0);
}

/** Does the event end the hedge in flight as a failure: rejected, failed, or over with nothing filled? */
export function isHedgeFailure(ctx: VaultContext, ev: VaultEvent): boolean {
  switch (ev.type) {
    case 'hedge.rejected':
    case 'hedge.failed':
      return isForInFlight(ctx, ev.clientOrderId);
    case 'hedge.filled':
      return isFinalEmptyFill(ctx, ev);
    default:
      return false;
  }
}

export function hasReachedMaxFailures(ctx: VaultContext): boolean {
  return ctx.consecutiveFailures + 1 >= ctx.config.maxConsecutiveFailures;
}

/** A hedge failure that is the maxConsecutiveFailures-th in a row: the vault halts. */
export function isFailureLimitReached(ctx: VaultContext, ev: VaultEvent): boolean {
  return isHedgeFailure(ctx, ev) && hasReachedMaxFailures(ctx);
}

/** A timer at `at` ends the cooldown (or retry backoff): no deadline armed, or it has passed. */
export function isCooldownOver(ctx: VaultContext, at: number): boolean {
  return ctx.cooldownUntil === null || at >= ctx.cooldownUntil;
}
