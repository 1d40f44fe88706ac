// HISTORY, FROZEN: the guards of vault machine version 3, as released up to version 4 (venue vol
// marks, MMP freeze, inverse account delta). Never edit it: it replays journal rows that version 3
// decided, so they are never re-decided by newer rules. It imports from src/domain only what
// version 4 left unchanged.
import { glideMs } from '../../../src/domain/expiryTreatment.ts';
import { nextClipBtc } from '../../../src/domain/hedgeSize.ts';
import { dueHedgeSize } from './vaultReducersV3.ts';
import type { PlannedHedge, VaultContext, VaultEvent } from './vaultTypesV3.ts';

/** No stale feed, no order in flight, a spot to price at: a hedge may start. */
function canTrade(ctx: VaultContext): boolean {
  return !ctx.feedStale && !ctx.inFlight && ctx.spotUsd > 0;
}

/** The planned hedge, if its next clip is above the venue minimum. */
export function plannedHedge(ctx: VaultContext): PlannedHedge | null {
  const p = ctx.planned;
  return p && nextClipBtc(p.sizeBtc, ctx.config) !== 0 ? p : null;
}

/** Glide mode: does a series with a position sit inside its glide (the last `minutes` before its expiry)? */
export function isGliding(ctx: VaultContext): boolean {
  const e = ctx.config.expiry;
  if (e.mode !== 'glide') return false;
  const g = glideMs(e);
  for (const l of ctx.book) if (l.qty !== 0 && l.expiryMs > ctx.lastAt && l.expiryMs - ctx.lastAt < g) return true;
  return false;
}

/**
 * The glide's hedge: while a series glides, its delta leaves the vault's delta minute by minute,
 * and a hedge band crossed on the way is hedged at once (trigger and cooldown aside), so the
 * perp takes the delta over as it leaves.
 */
function glideHedge(ctx: VaultContext): PlannedHedge | null {
  if (!(Math.abs(ctx.greeks.netBtc) >= ctx.bands.hedgeBtc) || !isGliding(ctx)) return null;
  const sizeBtc = dueHedgeSize(ctx);
  return sizeBtc !== 0 ? { sizeBtc, reason: 'expiry' } : null;
}

/**
 * The hedge a resting vault starts now (its signed total and reason), or null: the planned
 * hedge first, then the glide's, then the one the trigger policy makes due.
 */
export function dueHedge(ctx: VaultContext): PlannedHedge | null {
  if (!canTrade(ctx)) return null;
  const planned = plannedHedge(ctx) ?? glideHedge(ctx);
  if (planned) return planned;
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
  if (!due) return null;
  const sizeBtc = dueHedgeSize(ctx);
  return sizeBtc !== 0 ? { sizeBtc, reason: t.kind } : null;
}

/** Is a hedge due (planned, gliding, or by the trigger policy), and is it allowed (fresh feed, none in flight)? */
export function isHedgeDue(ctx: VaultContext): boolean {
  return dueHedge(ctx) !== null;
}

/** Would `hedge` (its whole episode) push today's hedged notional past the daily risk limit? */
export function isOverDailyLimit(ctx: VaultContext, hedge: PlannedHedge): boolean {
  const day = Math.floor(ctx.lastAt / 86_400_000);
  const used = day === ctx.hedgeDay ? ctx.hedgeDayNotionalUsd : 0;
  return used + Math.abs(hedge.sizeBtc) * ctx.spotUsd > ctx.config.maxHedgeNotionalPerDayUsd;
}

/** A hedge is due but would push today's hedged notional past the limit: the vault halts instead. */
export function isHedgeDueOverLimit(ctx: VaultContext): boolean {
  const h = dueHedge(ctx);
  return h !== null && isOverDailyLimit(ctx, h);
}

/**
 * What goes at once during the cooldown after a hedge: the planned hedge (an expiry offset),
 * an emergency hedge to zero when |delta| reaches the hard limit, or the glide's hedge. Not
 * during a retry backoff after a failure (consecutiveFailures > 0): the backoff protects a
 * failing venue, and bypassing it would retry at once exactly when delta is largest.
 */
export function cooldownBypassHedge(ctx: VaultContext): PlannedHedge | null {
  if (ctx.consecutiveFailures !== 0 || !canTrade(ctx)) return null;
  const planned = plannedHedge(ctx);
  if (planned) return planned;
  if (Math.abs(ctx.greeks.netBtc) >= ctx.bands.hardBtc) {
    const sizeBtc = dueHedgeSize(ctx, 'zero');
    if (sizeBtc !== 0) return { sizeBtc, reason: 'emergency' };
  }
  return glideHedge(ctx);
}

export function isCooldownBypass(ctx: VaultContext): boolean {
  return cooldownBypassHedge(ctx) !== null;
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
  return canTrade(ctx) && dueHedgeSize(ctx, 'zero') !== 0;
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

/** A final fill of a clip while more of its episode is planned and the feed is fresh: the next clip goes at once. */
export function isFinalFillWithNextClip(ctx: VaultContext, ev: VaultEvent): boolean {
  return isFinalFill(ctx, ev) && !ctx.feedStale && ctx.spotUsd > 0 && plannedHedge(ctx) !== null;
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
