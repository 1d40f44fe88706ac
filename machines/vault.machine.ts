// The vault machine: decides from its delta how to quote and when to hedge. Pure: guards and
// assign only; effects (place the hedge, publish quotes, arm the cooldown timer) run in the
// engine from the committed snapshot. Durable timing lives in context (cooldownUntil) and
// is ended by timer.fired events from outside, since XState does not persist `after` timers.
import { assertEvent, assign, setup, type StateValue } from 'xstate';
import {
  canFlatten, hasInFlight, hedgeReason, isAboutInFlight, isAboveQuoteBand, isBelowQuoteBand, isCooldownOver,
  isEmergency, isFailureLimitReached, isFinalEmptyFill, isFinalFill, isHedgeDue, isHedgeDueOverLimit, isLong,
  isLongPastReentry, isShortPastReentry, isWithinReentry,
} from './vault.guards.ts';
import {
  applyExpiry, applyFill, applyHedgeFill, applyTick, dueHedgeSize, failHedge, finishHedge,
  initialContext, revalue, startHedge,
} from './vault.reducers.ts';
import type { VaultContext, VaultEvent, VaultInput, VaultStateName } from './vault.types.ts';

/**
 * Bump when states or context change shape or a guard or reducer decides differently; then add
 * the snapshot step in machines/migrations/ and freeze the old machine in machines/history/
 * (see machines/machineVersions.ts and the README's "Upgrading the machine").
 */
export const MACHINE_VERSION = 2;

/**
 * The state's name as the journal, the engine and the dashboard know it: the leaf of the state
 * value ('neutral' for { exposure: 'neutral' }; a flat value is its own leaf).
 */
export function leafState(value: StateValue): VaultStateName {
  let v = value;
  while (typeof v !== 'string') {
    const keys = Object.keys(v);
    if (keys.length !== 1) throw new Error(`vault state value ${JSON.stringify(value)} is not a single leaf`);
    v = v[keys[0] as string] as StateValue;
  }
  return v as VaultStateName;
}

/**
 * The vault's guards and actions by name. Every machine version is built on it (the frozen ones
 * in machines/history/ too): a later version that changes what one of them decides must first
 * give the versions it replaces their own copy of the old one.
 */
export const vaultSetup = setup({
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

export const vaultMachine = vaultSetup.createMachine({
  id: 'vault',
  initial: 'exposure',
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
    // Resting with no hedge in flight and no cooldown: the vault quotes by its delta, and a due
    // hedge starts at once from whichever child it is in. XState tries a child's eventless
    // transitions before its parent's: a child may first move to the sibling its delta belongs
    // to (no actions), then the parent's list runs on the same context, so the vault ends where
    // (and does what) the old flat machine with this list at the head of every child did.
    exposure: {
      initial: 'neutral',
      always: [
        { guard: 'isHedgeDueOverLimit', target: 'halted', actions: 'haltForRiskLimit' },
        { guard: 'isHedgeDue', target: 'hedging', actions: 'startDueHedge' },
      ],
      on: { 'control.flatten': { guard: 'canFlatten', target: 'hedging', actions: 'startFlatten' } },
      states: {
        neutral: {
          always: [
            { guard: 'isAboveQuoteBand', target: 'overexposed' },
            { guard: 'isBelowQuoteBand', target: 'underexposed' },
          ],
        },
        overexposed: {
          // Hysteresis: overexposed holds while delta > re-entry band; a short swing past the
          // re-entry band is underexposed (an "overexposed" vault with short delta skews wrongly).
          always: [
            { guard: 'isShortPastReentry', target: 'underexposed' },
            { guard: 'isWithinReentry', target: 'neutral' },
          ],
        },
        underexposed: {
          always: [
            { guard: 'isLongPastReentry', target: 'overexposed' },
            { guard: 'isWithinReentry', target: 'neutral' },
          ],
        },
        // Transient: picks the child from the current delta (after a cooldown or a resume).
        // Never rests here (the last branch has no guard), so it never appears in a committed
        // snapshot.
        routing: {
          always: [
            { guard: 'isWithinReentry', target: 'neutral' },
            { guard: 'isLong', target: 'overexposed' },
            { target: 'underexposed' },
          ],
        },
      },
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
        'timer.fired': { guard: 'isCooldownOver', target: 'exposure.routing', actions: ['revalueAt', 'clearCooldown'] },
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
          { target: 'exposure.routing', actions: ['resume', 'clearCooldown', 'revalueAt'] },
        ],
      },
    },
  },
});

export type VaultMachine = typeof vaultMachine;
