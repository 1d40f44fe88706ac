// HISTORY, FROZEN: machine version 1, as released up to 20ec4a3 (flat states). Never edit it:
// it replays journal rows that version 1 decided (a journal tail an old process left behind, or
// a whole journal for `verify`), so they are never re-decided by newer rules. Only its state
// graph is copied here; its guards and actions are version 2's (history/v2/), which decide
// exactly as version 1's did.
import { initialContext } from './v2/vaultReducersV2.ts';
import { vaultSetupV2 } from './v2/vaultSetupV2.ts';

export const vaultMachineV1 = vaultSetupV2.createMachine({
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
