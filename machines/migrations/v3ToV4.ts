// Machine version 3 -> 4: venue vol marks, the MMP freeze of quotes and the inverse account.
// The state value is unchanged; the context gains what version 4 reads, set so the vault means
// what it meant under version 3 and its config is what version 4 makes of a config file that
// names none of the new settings:
//  - config.account: linear (version 3 knew no other: net delta = options + perp);
//  - quotesFrozenUntil: 0 (never frozen);
//  - accountMarks: null (a linear vault has none).
// Every leg keeps its vol (a venue mark is just a leg's own vol, which version 3 already had).
// Never edit it once shipped: databases in the field were migrated by it.
import type { PersistedVaultSnapshot, SnapshotMigration } from './snapshotMigration.ts';

const STATES = new Set(['hedging', 'cooldown', 'halted']);
const EXPOSURE = new Set(['neutral', 'overexposed', 'underexposed']);

function isV3Value(v: unknown): boolean {
  if (typeof v === 'string') return STATES.has(v);
  if (typeof v !== 'object' || v === null) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === 'exposure' && EXPOSURE.has((v as { exposure: unknown }).exposure as string);
}

function fail(why: string): never {
  throw new Error(`not a machine version 3 snapshot: ${why}`);
}

export const v3ToV4: SnapshotMigration = {
  from: 3,
  to: 4,
  summary: 'a linear account, quotes never frozen by MMP, no account marks',
  migrate(snapshot: PersistedVaultSnapshot): PersistedVaultSnapshot {
    if (!isV3Value(snapshot.value)) fail(`state value ${JSON.stringify(snapshot.value)}`);
    const ctx = snapshot.context as Record<string, unknown> | null;
    if (typeof ctx !== 'object' || ctx === null) fail('no context');
    const config = ctx.config as Record<string, unknown> | undefined;
    if (typeof config !== 'object' || config === null || !Array.isArray(ctx.book)) fail('no config or book');
    // What version 3 wrote, and nothing of version 4: a version 2 snapshot (no vol surface, expiry
    // treatment or plan) or a later one is not migrated as if it were version 3's.
    if (!('vol' in config) || !('expiry' in config) || !('planned' in ctx)) fail('it lacks version 3 fields (vol surface, expiry treatment, planned hedge)');
    if ('account' in config || 'quotesFrozenUntil' in ctx || 'accountMarks' in ctx) fail('it already has version 4 fields');
    return {
      ...snapshot,
      context: { ...ctx, config: { ...config, account: { kind: 'linear' } }, quotesFrozenUntil: 0, accountMarks: null },
    };
  },
};
