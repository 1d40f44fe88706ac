// The vault machine: decides from its delta how to quote and when to hedge. Pure: guards and
// assign only; effects (place the hedge, publish quotes, arm the cooldown timer) run in the
// engine from the committed snapshot. Durable timing lives in context (cooldownUntil) and
// is ended by timer.fired events from outside, since XState does not persist `after` timers.
import { assertEvent, assign, setup } from 'xstate';
import {
  canFlatten, hasInFlight, hasReachedMaxFailures, hedgeReason, isAboveQuoteBand, isBelowQuoteBand,
  isEmergency, isForInFlight, isHedgeDue, isLong, isLongPastReentry, isOverDailyLimit, isShortPastReentry,
  isWithinReentry,
} from './vault.guards.ts';
import {
  applyExpiry, applyFill, applyHedgeFill, applyTick, dueHedgeSize, failHedge, finishHedge,
  initialContext, revalue, startHedge,
} from './vault.reducers.ts';
import type { VaultContext, VaultEvent, VaultInput } from './vault.types.ts';

/** Bump when states or context change shape; snapshots carry it and are migrated or rebuilt. */
export const MACHINE_VERSION = 1;

function eventOrderId(event: VaultEvent): string | null {
  return 'clientOrderId' in event ? event.clientOrderId : null;
}

function isFinalFillOf(context: VaultContext, event: VaultEvent, empty: boolean): boolean {
  if (event.type !== 'hedge.filled' || !event.final || !isForInFlight(context, event.clientOrderId)) return false;
  return empty ? !(event.filledBtc > 0) : event.filledBtc > 0;
}

export const vaultMachine = setup({
  types: {
    context: {} as VaultContext,
    events: {} as VaultEvent,
    input: {} as VaultInput,
  },
  guards: {
    isHedgeDue: ({ context }) => isHedgeDue(context),
    isHedgeDueOverLimit: ({ context }) => isHedgeDue(context) && isOverDailyLimit(context),
    isEmergency: ({ context }) => isEmergency(context),
    isWithinReentry: ({ context }) => isWithinReentry(context),
    isAboveQuoteBand: ({ context }) => isAboveQuoteBand(context),
    isBelowQuoteBand: ({ context }) => isBelowQuoteBand(context),
    isShortPastReentry: ({ context }) => isShortPastReentry(context),
    isLongPastReentry: ({ context }) => isLongPastReentry(context),
    isLong: ({ context }) => isLong(context),
    canFlatten: ({ context }) => canFlatten(context),
    hasInFlight: ({ context }) => hasInFlight(context),
    isForInFlight: ({ context, event }) => {
      const id = eventOrderId(event);
      return id !== null && isForInFlight(context, id);
    },
    isFinalFill: ({ context, event }) => isFinalFillOf(context, event, false),
    isFinalEmptyFill: ({ context, event }) => isFinalFillOf(context, event, true),
    isFailureLimitReached: ({ context, event }) => {
      const id = eventOrderId(event);
      const forUs = id !== null && isForInFlight(context, id);
      const emptyFill = isFinalFillOf(context, event, true);
      return (forUs && event.type !== 'hedge.filled' || emptyFill) && hasReachedMaxFailures(context);
    },
    isCooldownOver: ({ context, event }) => context.cooldownUntil === null || event.at >= context.cooldownUntil,
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
}).createMachine({
  id: 'vault',
  initial: 'neutral',
  context: ({ input }) => initialContext(input),
  on: {
    // Book-keeping that holds in every state; state nodes add transitions on top.
    'price.tick': { actions: 'applyTick' },
    'fill.received': { actions: 'applyFill' },
    'expiry.settled': { actions: 'applyExpiry' },
    'timer.fired': { actions: 'revalueAt' },
    'feed.stale': { actions: 'markStale' },
    'feed.recovered': { actions: 'markFresh' },
    'hedge.filled': { guard: 'isForInFlight', actions: 'settleStrayHedge' },
    'hedge.rejected': { guard: 'isForInFlight', actions: 'settleStrayHedge' },
    'hedge.failed': { guard: 'isForInFlight', actions: 'settleStrayHedge' },
    'control.pause': { target: '.halted', actions: 'haltByControl' },
  },
  states: {
    neutral: {
      always: [
        { guard: 'isHedgeDueOverLimit', target: 'halted', actions: 'haltForRiskLimit' },
        { guard: 'isHedgeDue', target: 'hedging', actions: 'startDueHedge' },
        { guard: 'isAboveQuoteBand', target: 'overexposed' },
        { guard: 'isBelowQuoteBand', target: 'underexposed' },
      ],
      on: { 'control.flatten': { guard: 'canFlatten', target: 'hedging', actions: 'startFlatten' } },
    },
    overexposed: {
      always: [
        { guard: 'isHedgeDueOverLimit', target: 'halted', actions: 'haltForRiskLimit' },
        { guard: 'isHedgeDue', target: 'hedging', actions: 'startDueHedge' },
        // Hysteresis: overexposed holds while delta > re-entry band; a short swing past the
        // re-entry band is underexposed (an "overexposed" vault with short delta skews wrongly).
        { guard: 'isShortPastReentry', target: 'underexposed' },
        { guard: 'isWithinReentry', target: 'neutral' },
      ],
      on: { 'control.flatten': { guard: 'canFlatten', target: 'hedging', actions: 'startFlatten' } },
    },
    underexposed: {
      always: [
        { guard: 'isHedgeDueOverLimit', target: 'halted', actions: 'haltForRiskLimit' },
        { guard: 'isHedgeDue', target: 'hedging', actions: 'startDueHedge' },
        { guard: 'isLongPastReentry', target: 'overexposed' },
        { guard: 'isWithinReentry', target: 'neutral' },
      ],
      on: { 'control.flatten': { guard: 'canFlatten', target: 'hedging', actions: 'startFlatten' } },
    },
    hedging: {
      on: {
        'hedge.accepted': { guard: 'isForInFlight', actions: 'acceptHedge' },
        'hedge.filled': [
          { guard: 'isFinalFill', target: 'cooldown', actions: ['applyHedgeFill', 'finishHedge'] },
          { guard: 'isFailureLimitReached', target: 'halted', actions: ['failHedge', 'haltForFailures'] },
          { guard: 'isFinalEmptyFill', target: 'cooldown', actions: 'failHedge' },
          { guard: 'isForInFlight', actions: 'applyHedgeFill' },
        ],
        'hedge.rejected': [
          { guard: 'isFailureLimitReached', target: 'halted', actions: ['failHedge', 'haltForFailures'] },
          { guard: 'isForInFlight', target: 'cooldown', actions: 'failHedge' },
        ],
        'hedge.failed': [
          { guard: 'isFailureLimitReached', target: 'halted', actions: ['failHedge', 'haltForFailures'] },
          { guard: 'isForInFlight', target: 'cooldown', actions: 'failHedge' },
        ],
      },
    },
    cooldown: {
      always: [{ guard: 'isEmergency', target: 'hedging', actions: 'startEmergencyHedge' }],
      on: {
        'timer.fired': { guard: 'isCooldownOver', target: 'routing', actions: ['revalueAt', 'clearCooldown'] },
        'control.flatten': { guard: 'canFlatten', target: 'hedging', actions: 'startFlatten' },
      },
    },
    halted: {
      // Kill switch, risk limit or repeated venue failure: no hedging, quotes pulled.
      // Left only by an explicit control.resume.
      on: {
        'control.resume': [
          { guard: 'hasInFlight', target: 'hedging', actions: 'resume' },
          // clearCooldown: a retry deadline armed before the halt must not outlive it.
          { target: 'routing', actions: ['resume', 'clearCooldown', 'revalueAt'] },
        ],
      },
    },
    // Transient: picks the resting state from the current delta. Never rests here (the
    // last branch has no guard), so it never appears in a committed snapshot.
    routing: {
      always: [
        { guard: 'isHedgeDueOverLimit', target: 'halted', actions: 'haltForRiskLimit' },
        { guard: 'isHedgeDue', target: 'hedging', actions: 'startDueHedge' },
        { guard: 'isWithinReentry', target: 'neutral' },
        { guard: 'isLong', target: 'overexposed' },
        { target: 'underexposed' },
      ],
    },
  },
});

export type VaultMachine = typeof vaultMachine;
