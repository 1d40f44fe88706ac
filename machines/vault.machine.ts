// The vault machine: decides from its delta how to quote and when to hedge. Pure: guards and
// assign only; effects (place the hedge, publish quotes, arm the cooldown timer) run in the
// engine from the committed snapshot. Durable timing lives in context (cooldownUntil) and
// is ended by timer.fired events from outside, since XState does not persist `after` timers.
import { assertEvent, assign, setup, type StateValue } from 'xstate';
import {
  canFlatten, cooldownBypassHedge, dueHedge, hasInFlight, isAboutInFlight, isAboveQuoteBand, isAccountMark, isBelowQuoteBand,
  isCooldownBypass, isCooldownOver, isFailureLimitReached, isFinalEmptyFill, isFinalFill, isFinalFillWithNextClip,
  isHedgeDue, isHedgeDueOverLimit, isLong, isLongPastReentry, isMmpFreeze, isNewVolMark, isShortPastReentry, isWithinReentry,
} from './vault.guards.ts';
import {
  applyAccountMarks, applyExpiry, applyFill, applyHedgeFill, applyTick, applyVolMarks, dueHedgeSize, failHedge, finishHedge,
  freezeQuotes, initialContext, revalue, startHedge, startNextClip,
} from './vault.reducers.ts';
import type { PlannedHedge, VaultContext, VaultEvent, VaultInput, VaultStateName } from './vault.types.ts';

/**
 * Bump when states or context change shape or a guard or reducer decides differently; then add
 * the snapshot step in machines/migrations/ and freeze the old machine in machines/history/
 * (see machines/machineVersions.ts and the README's "Upgrading the machine").
 */
export const MACHINE_VERSION = 4;

/** The hedge a guard found due; its action runs only after that guard passed. */
function guaranteed(h: PlannedHedge | null, what: string): PlannedHedge {
  if (!h) throw new Error(`vault machine: ${what} started with no hedge due (its guard passed)`);
  return h;
}

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
 * The vault's guards and actions by name (version 4). Versions 1 and 2 have their own frozen
 * copy (machines/history/v2/), version 3 its own (machines/history/v3/); a later version that
 * changes what one of these decides must first give version 4 its own copy of the old one.
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
    isNewVolMark: ({ context, event }) => isNewVolMark(context, event),
    isMmpFreeze: ({ context, event }) => isMmpFreeze(context, event),
    isAccountMark: ({ context, event }) => isAccountMark(context, event),
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
    applyVolMarks: assign(({ context, event }) => {
      assertEvent(event, 'vol.marked');
      return applyVolMarks(context, event);
    }),
    freezeQuotes: assign(({ context, event }) => {
      assertEvent(event, 'mmp.triggered');
      return freezeQuotes(context, event);
    }),
    applyAccountMarks: assign(({ context, event }) => {
      assertEvent(event, 'account.marked');
      return applyAccountMarks(context, event);
    }),
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
    // Venue marks (Deribit): each series' vol, the MMP freeze of quotes (hedging goes on), an
    // inverse account's equity, perp and option marks. Greeks follow at once; a hedge they make
    // due starts as after a tick.
    'vol.marked': { guard: 'isNewVolMark', actions: 'applyVolMarks' },
    'mmp.triggered': { guard: 'isMmpFreeze', actions: 'freezeQuotes' },
    'account.marked': { guard: 'isAccountMark', actions: 'applyAccountMarks' },
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
          // A hedge larger than maxOrderBtc goes as consecutive clips of one episode: each final
          // fill starts the next clip (a new client order id) while the rest is due.
          { guard: 'isFinalFillWithNextClip', actions: ['applyHedgeFill', 'startNextClip'] },
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
      // Planned hedges (an expiry offset), the hard limit and the glide do not wait for the cooldown.
      always: [{ guard: 'isCooldownBypass', target: 'hedging', actions: 'startBypassHedge' }],
      on: {
        'timer.fired': { guard: 'isCooldownOver', target: 'exposure.routing', actions: ['revalueAt', 'clearCooldown'] },
        'control.flatten': { guard: 'canFlatten', target: 'hedging', actions: 'startFlatten' },
      },
    },
    halted: {
      // Kill switch, risk limit or repeated venue failure: no hedging, quotes pulled.
      // Left only by an explicit control.resume.
      on: {
        'expiry.settled': { actions: 'settleExpiry' },
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
