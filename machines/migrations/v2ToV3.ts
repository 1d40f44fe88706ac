// Machine version 2 -> 3: expiry as a planned event, hedges in clips, the vol surface. The state
// value is unchanged; the context gains what version 3 reads, set so the vault means what it
// meant under version 2 and its config is what version 3 makes of a config file that names none
// of the new settings (so the engine does not report the persisted config as different):
//  - config.vol: no smile; the flat vol (a series the vault comes to hold later gets it) is the
//    first leg's, as version 2 priced a new series of an expiry it did not hold. Every leg keeps
//    the vol it had as its own, so its greeks stay exactly as they were.
//  - config.expiry: version 3's default, at settlement with a 60-minute pin floor (greeks as
//    version 2's but in the last hour before an expiry: version 3's pin-risk rule).
//  - planned: null (version 2 planned nothing beyond the order in flight).
// Never edit it once shipped: databases in the field were migrated by it.
import type { PersistedVaultSnapshot, SnapshotMigration } from './snapshotMigration.ts';

const STATES = new Set(['hedging', 'cooldown', 'halted']);
const EXPOSURE = new Set(['neutral', 'overexposed', 'underexposed']);

function isV2Value(v: unknown): boolean {
  if (typeof v === 'string') return STATES.has(v);
  if (typeof v !== 'object' || v === null) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === 'exposure' && EXPOSURE.has((v as { exposure: unknown }).exposure as string);
}

function fail(why: string): never {
  throw new Error(`not a machine version 2 snapshot: ${why}`);
}

export const v2ToV3: SnapshotMigration = {
  from: 2,
  to: 3,
  summary: 'expiry treatment (at settlement, 60-minute pin floor), a flat vol surface (each leg keeps its vol) and no planned hedge',
  migrate(snapshot: PersistedVaultSnapshot): PersistedVaultSnapshot {
    if (!isV2Value(snapshot.value)) fail(`state value ${JSON.stringify(snapshot.value)}`);
    const ctx = snapshot.context as Record<string, unknown> | null;
    if (typeof ctx !== 'object' || ctx === null) fail('no context');
    const config = ctx.config as Record<string, unknown> | undefined;
    const book = ctx.book as { volPerYear?: unknown }[] | undefined;
    if (typeof config !== 'object' || config === null || !Array.isArray(book)) fail('no config or book');
    if ('vol' in config || 'expiry' in config || 'planned' in ctx) fail('it already has version 3 fields');
    for (const [i, leg] of book.entries()) {
      if (typeof leg.volPerYear !== 'number') fail(`leg ${i} has no vol of its own`);
    }
    const firstVol = (book[0]?.volPerYear as number | undefined) ?? 0.6;
    return {
      ...snapshot,
      context: {
        ...ctx,
        config: { ...config, vol: { flatVolPerYear: firstVol, smiles: [] }, expiry: { mode: 'atSettlement', pinMinutes: 60 } },
        planned: null,
      },
    };
  },
};
