// HISTORY, FROZEN: the guards and actions by name of vault machine versions 1 and 2 (their
// state graphs are history/vaultMachineV1.ts and vaultMachineV2.ts), as they decided before
// version 3. Never edit it: it replays journal rows those versions decided.
import { assertEvent, assign, setup } from 'xstate';
import {
  canFlatten, hasInFlight, hedgeReason, isAboutInFlight, isAboveQuoteBand, isBelowQuoteBand, isCooldownOver,
  isEmergency, isFailureLimitReached, isFinalEmptyFill, isFinalFill, isHedgeDue, isHedgeDueOverLimit, isLong,
  isLongPastReentry, isShortPastReentry, isWithinReentry,
} from './vaultGuardsV2.ts';
import {
  applyExpiry, applyFill, applyHedgeFill, applyTick, dueHedgeSize, failHedge, finishHedge,
  revalue, startHedge,
} from './vaultReducersV2.ts';
import type { VaultEvent } from '../../vault.types.ts';
import type { VaultContext, VaultInput } from './vaultTypesV2.ts';

export const vaultSetupV2 = setup({
  types: {
    context: {} as VaultContext,
    events: {} as VaultEvent,
    input: {} as VaultInput,
  },
  guards: {
    isHedgeDue: ({ context }) => isHedgeDue(context),
    isHedgeDueOverLimit: ({ context }) => isHedgeDueOverLimit(context),
    isEmergency: ({ context }) => isEmergency(context),
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
    isFinalEmptyFill: ({ context, event }) => isFinalEmptyFill(context, event),
    isFailureLimitReached: ({ context, event }) => isFailureLimitReached(context, event),
    isCooldownOver: ({ context, event }) => isCooldownOver(context, event.at),
  },
  actions: {
    applyTick: assign(({ context, event }) => {
      assertEvent(event, 'price.tick');
      return applyTick(context, event.at, event.priceUsd);
    }),
    applyFill: assign(({ context, event }) => {
      assertEvent(event, 'fill.received');
      return applyFill(context, event);
    }),
    applyExpiry: assign(({ context, event }) => {
      assertEvent(event, 'expiry.settled');
      return applyExpiry(context, event);
    }),
    revalueAt: assign(({ context, event }) => revalue(context, event.at)),
    markStale: assign({ feedStale: true }),
    markFresh: assign({ feedStale: false }),
    startDueHedge: assign(({ context }) => startHedge(context, context.lastAt, dueHedgeSize(context), hedgeReason(context))),
    startEmergencyHedge: assign(({ context }) => startHedge(context, context.lastAt, dueHedgeSize(context, 'zero'), 'emergency')),
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
    haltForRiskLimit: assign({ haltReason: 'risk-limit: daily hedge notional' }),
    haltForFailures: assign(({ context }) => ({ haltReason: `venue: ${context.consecutiveFailures} consecutive hedge failures` })),
    haltByControl: assign(({ event }) => {
      assertEvent(event, 'control.pause');
      return { haltReason: event.reason ?? 'paused' };
    }),
    resume: assign({ haltReason: null, consecutiveFailures: 0 }),
  },
});
