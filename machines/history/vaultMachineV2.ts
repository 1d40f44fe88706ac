// HISTORY, FROZEN: machine version 2 (neutral, overexposed and underexposed in the exposure
// group), as released up to version 3 (expiry as a planned event, hedges in clips, the vol
// surface). Never edit it: it replays journal rows that version 2 decided, so they are never
// re-decided by newer rules. Its guards and actions are its own (history/v2/), frozen with it.
import { initialContext } from './v2/vaultReducersV2.ts';
import { vaultSetupV2 } from './v2/vaultSetupV2.ts';

export const vaultMachineV2 = vaultSetupV2.createMachine({
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
