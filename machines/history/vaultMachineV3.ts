// HISTORY, FROZEN: the state graph of vault machine version 3, as released up to version 4 (venue vol
// marks, MMP freeze, inverse account delta). Never edit it: it replays journal rows that version 3
// decided, so they are never re-decided by newer rules.
// Its guards and actions are its own (history/v3/), frozen with it.
import { initialContext } from './v3/vaultReducersV3.ts';
import { vaultSetupV3 } from './v3/vaultSetupV3.ts';

export const vaultMachineV3 = vaultSetupV3.createMachine({
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
