// The upgrade path of persisted vault snapshots: one pure step per machine version, chained
// from version 1 to MACHINE_VERSION; v1 -> v2 moves the three exposure states into their group;
// v2 -> v3 adds the vol surface, the expiry treatment and the planned hedge, keeping the vault's greeks;
// v3 -> v4 makes the vault linear, never MMP-frozen, with no account marks.
import { describe, expect, it } from 'vitest';
import { migrateSnapshot, SNAPSHOT_MIGRATIONS, canMigrate } from '../../../machines/migrations/snapshotMigrations.ts';
import { v1ToV2 } from '../../../machines/migrations/v1ToV2.ts';
import { v2ToV3 } from '../../../machines/migrations/v2ToV3.ts';
import { v3ToV4 } from '../../../machines/migrations/v3ToV4.ts';
import { MACHINE_VERSION } from '../../../machines/vault.machine.ts';

const v1 = (value: unknown) => ({ status: 'active', value, historyValue: {}, context: { vaultId: 'a', perpBtc: 1.5, book: [{ qty: -2 }] }, children: {} });

describe('snapshot migrations', () => {
  it('chain every version from 1 to MACHINE_VERSION, one step each', () => {
    expect(SNAPSHOT_MIGRATIONS.map((m) => [m.from, m.to])).toEqual(Array.from({ length: MACHINE_VERSION - 1 }, (_, i) => [i + 1, i + 2]));
    for (const m of SNAPSHOT_MIGRATIONS) expect(m.summary.length).toBeGreaterThan(10);
    expect(canMigrate(1, MACHINE_VERSION)).toBe(true);
    expect(canMigrate(0, MACHINE_VERSION)).toBe(false);
    expect(canMigrate(MACHINE_VERSION, MACHINE_VERSION)).toBe(true);
  });

  it('v1 -> v2: neutral, overexposed and underexposed move into exposure; the other states and the context stay', () => {
    for (const s of ['neutral', 'overexposed', 'underexposed']) expect(v1ToV2.migrate(v1(s))).toEqual({ ...v1(s), value: { exposure: s } });
    for (const s of ['hedging', 'cooldown', 'halted']) expect(v1ToV2.migrate(v1(s))).toEqual(v1(s));
  });

  it('v1 -> v2 refuses what version 1 never wrote, and never changes its input', () => {
    for (const bad of ['routing', 'paused', { exposure: 'neutral' }, null]) expect(() => v1ToV2.migrate(v1(bad))).toThrow(/not a machine version 1 snapshot/);
    const input = v1('neutral');
    const copy = structuredClone(input);
    const out = v1ToV2.migrate(input);
    expect(input).toEqual(copy);
    expect(out.context).toBe(input.context);
  });

  it('v1 -> v2: a quote config from before the cost-bounded lean gets the lean defaults; one that has them is kept as it is', () => {
    const quote = { halfSpreadBps: 150, minHalfSpreadUsd: 5, maxLeanBps: 100, baseSizeContracts: 2 };
    const old = { ...v1('neutral'), context: { vaultId: 'a', config: { vaultId: 'a', quote } } };
    const out = v1ToV2.migrate(old);
    expect(out.context).toEqual({ vaultId: 'a', config: { vaultId: 'a', quote: { ...quote, leanMode: 'costBounded', perpTakerFeeBps: 5, perpSlippageBps: 1 } } });
    expect(old.context.config.quote).toEqual(quote);
    const set = { ...v1('hedging'), context: { config: { quote: { ...quote, leanMode: 'fixed', perpTakerFeeBps: 2, perpSlippageBps: 0 } } } };
    expect(v1ToV2.migrate(set).context).toBe(set.context);
  });

  const v2 = (value: unknown, book: unknown[] = [{ instrument: 'BTC-31MAR23-23000-C', qty: -2, volPerYear: 0.55 }, { instrument: 'BTC-31MAR23-25000-C', qty: 1, volPerYear: 0.62 }]) => ({
    status: 'active', value, historyValue: {}, children: {},
    context: { vaultId: 'a', perpBtc: 1.5, book, inFlight: null, config: { underlying: 'BTC', maxOrderBtc: 25 } },
  });

  it('v2 -> v3: the flat vol is the first leg\'s, every leg keeps its own, expiry at settlement with the default pin floor, nothing planned; the state value stays', () => {
    for (const value of [{ exposure: 'neutral' }, { exposure: 'underexposed' }, 'hedging', 'cooldown', 'halted']) {
      const before = v2(value);
      const copy = structuredClone(before);
      const out = v2ToV3.migrate(before);
      expect(before).toEqual(copy);
      expect(out).toEqual({
        ...before,
        context: {
          ...before.context, planned: null,
          config: { ...before.context.config, vol: { flatVolPerYear: 0.55, smiles: [] }, expiry: { mode: 'atSettlement', pinMinutes: 60 } },
        },
      });
    }
    expect((v2ToV3.migrate(v2('halted', [])).context as { config: { vol: unknown } }).config.vol).toEqual({ flatVolPerYear: 0.6, smiles: [] });
  });

  it('v2 -> v3 refuses what version 2 never wrote', () => {
    for (const bad of ['neutral', 'routing', { exposure: 'routing' }, { exposure: 'neutral', x: 1 }, null]) expect(() => v2ToV3.migrate(v2(bad))).toThrow(/not a machine version 2 snapshot: state value/);
    expect(() => v2ToV3.migrate(v2('halted', [{ instrument: 'x', qty: 1 }]))).toThrow(/leg 0 has no vol of its own/);
    const v3 = v2ToV3.migrate(v2('halted'));
    expect(() => v2ToV3.migrate(v3)).toThrow(/already has version 3 fields/);
    // Chained from version 1: the state moves into its group, then the context gains version 3's fields.
    const flat = { ...v2('x'), value: 'overexposed' };
    expect(migrateSnapshot(flat, 1, 3)).toEqual(v2ToV3.migrate({ ...flat, value: { exposure: 'overexposed' } }));
  });

  const v3 = (value: unknown) => v2ToV3.migrate(v2(value));

  it('v3 -> v4: a linear account, quotes never frozen, no account marks; the state value, book and vols stay; the input is not changed', () => {
    for (const value of [{ exposure: 'neutral' }, { exposure: 'overexposed' }, 'hedging', 'cooldown', 'halted']) {
      const before = v3(value);
      const copy = structuredClone(before);
      const out = v3ToV4.migrate(before);
      expect(before).toEqual(copy);
      const ctx = before.context as Record<string, unknown> & { config: Record<string, unknown> };
      expect(out).toEqual({ ...before, context: { ...ctx, config: { ...ctx.config, account: { kind: 'linear' } }, quotesFrozenUntil: 0, accountMarks: null } });
    }
  });

  it('v3 -> v4 refuses what version 3 never wrote: another state value, a version 2 context, a version 4 one', () => {
    for (const bad of ['neutral', 'routing', { exposure: 'routing' }, { exposure: 'neutral', x: 1 }, null]) expect(() => v3ToV4.migrate({ ...v3('halted'), value: bad })).toThrow(/not a machine version 3 snapshot: state value/);
    expect(() => v3ToV4.migrate(v2('halted'))).toThrow(/lacks version 3 fields/);
    expect(() => v3ToV4.migrate({ ...v3('halted'), context: null })).toThrow(/no context/);
    const v4 = v3ToV4.migrate(v3('halted'));
    expect(() => v3ToV4.migrate(v4)).toThrow(/already has version 4 fields/);
    const ctx = v3('halted').context as Record<string, unknown>;
    expect(() => v3ToV4.migrate({ ...v3('halted'), context: { ...ctx, quotesFrozenUntil: 5 } })).toThrow(/already has version 4 fields/);
    // Chained from version 1: into the exposure group, version 3's fields, then version 4's.
    const flat = { ...v2('x'), value: 'underexposed' };
    expect(migrateSnapshot(flat, 1, 4)).toEqual(v3ToV4.migrate(v2ToV3.migrate({ ...flat, value: { exposure: 'underexposed' } })));
  });

  it('migrateSnapshot applies the steps in order, is the identity on its own version, and never goes down or skips a missing step', () => {
    expect(migrateSnapshot(v1('overexposed'), 1, 2)).toEqual({ ...v1('overexposed'), value: { exposure: 'overexposed' } });
    const current = { ...v1({ exposure: 'neutral' }) };
    expect(migrateSnapshot(current, MACHINE_VERSION, MACHINE_VERSION)).toBe(current);
    expect(() => migrateSnapshot(current, MACHINE_VERSION, 1)).toThrow(/never migrated down/);
    expect(() => migrateSnapshot(v1('neutral'), 0, 2)).toThrow(/no migration of machine version 0/);
    expect(() => migrateSnapshot('neutral', 1, 2)).toThrow(/JSON object/);
  });
});
