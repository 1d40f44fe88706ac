// Machine version 1 -> 2: neutral, overexposed and underexposed (and the transient routing)
// moved into the `exposure` group, so their state value gains one level:
// 'neutral' -> { exposure: 'neutral' }. hedging, cooldown and halted and the whole context are
// unchanged (no guard or action decides differently).
// Releases of version 1 before the cost-bounded lean persisted a quote config without
// leanMode, perpTakerFeeBps and perpSlippageBps; the step writes the defaults the code has
// applied to such a vault since (LEAN_DEFAULTS), so its persisted config says what it quotes
// by and equals that of a config file naming none of them. The quote config only prices
// quotes: no machine decision reads it.
import { LEAN_DEFAULTS } from '../../src/domain/quoteBook.ts';
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
    return { ...snapshot, value: INTO_EXPOSURE.has(v) ? { exposure: v } : v, context: withLeanDefaults(snapshot.context) };
  },
};

/** The context with any lean field its quote config lacks set to LEAN_DEFAULTS; the same object when none is missing. */
function withLeanDefaults(context: unknown): unknown {
  const config = (context as { config?: { quote?: Record<string, unknown> } } | null)?.config;
  const quote = config?.quote;
  if (quote === undefined || quote === null || typeof quote !== 'object') return context;
  if (Object.keys(LEAN_DEFAULTS).every((k) => k in quote)) return context;
  return { ...(context as object), config: { ...config, quote: { ...LEAN_DEFAULTS, ...quote } } };
}
