// Machine version 1 -> 2: neutral, overexposed and underexposed (and the transient routing)
// moved into the `exposure` group, so their state value gains one level:
// 'neutral' -> { exposure: 'neutral' }. hedging, cooldown and halted and the whole context are
// unchanged (no guard or action decides differently).
import type { PersistedVaultSnapshot, SnapshotMigration } from './snapshotMigration.ts';

/** The states version 1 rests in (routing is transient: never in a snapshot). */
const V1_STATES = new Set(['neutral', 'overexposed', 'underexposed', 'hedging', 'cooldown', 'halted']);
const INTO_EXPOSURE = new Set(['neutral', 'overexposed', 'underexposed']);

export const v1ToV2: SnapshotMigration = {
  from: 1,
  to: 2,
  summary: 'neutral, overexposed and underexposed move into the exposure group',
  migrate(snapshot: PersistedVaultSnapshot): PersistedVaultSnapshot {
    const v = snapshot.value;
    if (typeof v !== 'string' || !V1_STATES.has(v)) {
      throw new Error(`not a machine version 1 snapshot: state value ${JSON.stringify(v)} (version 1 rests in ${[...V1_STATES].join(', ')})`);
    }
    return { ...snapshot, value: INTO_EXPOSURE.has(v) ? { exposure: v } : v };
  },
};
