// HISTORY, FROZEN: the guards and actions by name of vault machine version 3, as released up to version 4 (venue vol
// marks, MMP freeze, inverse account delta). Never edit it: it replays journal rows that version 3
// decided, so they are never re-decided by newer rules.
import { assertEvent, assign, setup } from 'xstate';
import {
  canFlatten, cooldownBypassHedge, dueHedge, hasInFlight, isAboutInFlight, isAboveQuoteBand, isBelowQuoteBand,
  isCooldownBypass, isCooldownOver, isFailureLimitReached, isFinalEmptyFill, isFinalFill, isFinalFillWithNextClip,
  isHedgeDue, isHedgeDueOverLimit, isLong, isLongPastReentry, isShortPastReentry, isWithinReentry,
} from './vaultGuardsV3.ts';
import {
  applyExpiry, applyFill, applyHedgeFill, applyTick, dueHedgeSize, failHedge, finishHedge,
  revalue, startHedge, startNextClip,
} from './vaultReducersV3.ts';
import type { PlannedHedge, VaultContext, VaultEvent, VaultInput } from './vaultTypesV3.ts';

/** The hedge a guard found due; its action runs only after that guard passed. */
function guaranteed(h: PlannedHedge | null, what: string): PlannedHedge {
  if (!h) throw new Error(`vault machine: ${what} started with no hedge due (its guard passed)`);
  return h;
}

export const vaultSetupV3 = setup({
  types: {
    context: {} as VaultContext,
    events: {} as VaultEvent,
    input: {} as VaultInput,
  },
  guards: {
    isHedgeDue: ({ context }) => isHedgeDue(context),
    isHedgeDueOverLimit: ({ context }) => isHedgeDueOverLimit(context),
    isCooldownBypass: ({ context }) => isCooldownBypass(context),
    isWithinReentry: ({ context }) => isWithinReentry(context),
    isAboveQuoteBand: ({ context }) => isAboveQuoteBand(context),
    isBelowQuoteBand: ({ context }) => isBelowQuoteBand(context),
    isShortPastReentry: ({ context }) => isShortPastReentry(context),
    isLongPastReentry: ({ context }) => isLongPastReentry(context),
    isLong: ({ context }) => isLong(context),
    canFlatten: ({ context }) => canFlatten(context),
    hasInFlight: ({ context }) => hasInFlight(context),
    isForInFlight: ({ context, event }) => isAboutInFlight(context, event),
    isFinalFill: ({ context, event }) => isFinalFill(context, event),
    isFinalFillWithNextClip: ({ context, event }) => isFinalFillWithNextClip(context, event),
    isFinalEmptyFill: ({ context, event }) => isFinalEmptyFill(context, event),
    isFailureLimitReached: ({ context, event }) => isFailureLimitReached(context, event),
    isCooldownOver: ({ context, event }) => isCooldownOver(context, event.at),
  },
  actions: {
    // The hot path (every tick of every vault): narrowed by hand, not by assertEvent (which
    // allocates and matches event descriptors on every call).
    applyTick: assign(({ context, event }) => {
      if (event.type !== 'price.tick') throw new Error(`applyTick on ${event.type}`);
      return applyTick(context, event.at, event.priceUsd);
    }),
    applyFill: assign(({ context, event }) => {
      assertEvent(event, 'fill.received');
      return applyFill(context, event);
    }),
    applyExpiry: assign(({ context, event }) => {
      assertEvent(event, 'expiry.settled');
      return applyExpiry(context, event, true);
    }),
    /** Halted: the settlement books the payoff, and no hedge is planned (halted means no hedging). */
    settleExpiry: assign(({ context, event }) => {
      assertEvent(event, 'expiry.settled');
      return applyExpiry(context, event, false);
    }),
    revalueAt: assign(({ context, event }) => revalue(context, event.at)),
    markStale: assign({ feedStale: true }),
    markFresh: assign({ feedStale: false }),
    startDueHedge: assign(({ context }) => {
      const h = guaranteed(dueHedge(context), 'startDueHedge');
      return startHedge(context, context.lastAt, h.sizeBtc, h.reason);
    }),
    startBypassHedge: assign(({ context }) => {
      const h = guaranteed(cooldownBypassHedge(context), 'startBypassHedge');
      return startHedge(context, context.lastAt, h.sizeBtc, h.reason);
    }),
    startNextClip: assign(({ context, event }) => startNextClip(context, event.at)),
    startFlatten: assign(({ context, event }) => {
      const ctx = revalue(context, event.at);
      return startHedge(ctx, event.at, dueHedgeSize(ctx, 'zero'), 'flatten');
    }),
    acceptHedge: assign(({ context }) => (context.inFlight ? { inFlight: { ...context.inFlight, accepted: true } } : {})),
    applyHedgeFill: assign(({ context, event }) => {
      assertEvent(event, 'hedge.filled');
      return applyHedgeFill(context, event);
    }),
    finishHedge: assign(({ context, event }) => finishHedge(context, event.at)),
    failHedge: assign(({ context, event }) => failHedge(context, event.at)),
    /** Outside `hedging` (a halted vault): book the fill, and drop the order once final. */
    settleStrayHedge: assign(({ context, event }) => {
      if (event.type === 'hedge.filled') {
        const next = applyHedgeFill(context, event);
        return event.final ? { ...next, inFlight: null } : next;
      }
      return { inFlight: null };
    }),
    clearCooldown: assign({ cooldownUntil: null }),
    // A halt ends the hedging episode: what was planned is dropped (halted means no hedging).
    haltForRiskLimit: assign({ haltReason: 'risk-limit: daily hedge notional', planned: null }),
    haltForFailures: assign(({ context }) => ({ haltReason: `venue: ${context.consecutiveFailures} consecutive hedge failures`, planned: null })),
    haltByControl: assign(({ event }) => {
      assertEvent(event, 'control.pause');
      return { haltReason: event.reason ?? 'paused', planned: null };
    }),
    resume: assign({ haltReason: null, consecutiveFailures: 0 }),
  },
});
