// The frozen machine versions and the upgrade path between them, over random inputs and event
// sequences:
// - version 1 (flat states) and version 2 (the exposure group) decide alike: the same (leaf)
//   state and context after every event, and version 1's snapshot migrated to version 2 is
//   version 2's;
// - version 3 restored from version 2's migrated snapshot (at the start, and again half-way)
//   carries on exactly as version 2 does for every event whose rules version 3 kept (no expiry
//   settles, no hedge above maxOrderBtc): the same state, and the context version 2 holds,
//   migrated. A series the vault comes to hold is priced at the surface's flat vol under
//   version 3 where version 2 gave it the same vol as its own;
// - version 4 restored from version 3's migrated snapshot (at the start, and again half-way)
//   decides a linear vault exactly as version 3 does, for every event version 3 knows (and an
//   account mark, which a linear vault ignores): the same state and the very context version 3
//   holds, migrated.
import fc from 'fast-check';
import { createActor, type Snapshot } from 'xstate';
import { describe, expect, it } from 'vitest';
import { vaultMachineV1 } from '../../machines/history/vaultMachineV1.ts';
import { vaultMachineV2 } from '../../machines/history/vaultMachineV2.ts';
import { vaultMachineV3 } from '../../machines/history/vaultMachineV3.ts';
import type { VaultInput as VaultInputV2 } from '../../machines/history/v2/vaultTypesV2.ts';
import type { VaultInput as VaultInputV3 } from '../../machines/history/v3/vaultTypesV3.ts';
import { migrateSnapshot } from '../../machines/migrations/snapshotMigrations.ts';
import { leafState, vaultMachine } from '../../machines/vault.machine.ts';
import type { VaultContext, VaultEvent } from '../../machines/vault.types.ts';
import { cmd, concrete, input, type Cmd } from '../fixtures/vaultCommands.ts';
import { T0 } from '../fixtures/vaults.ts';

/** A version-2 input: the fixture's vault without version 3's config (every leg has its own vol). */
const inputV2: fc.Arbitrary<VaultInputV2> = input
  .filter((v) => v.book.every((l) => l.volPerYear !== undefined))
  .map((v) => {
    const { vol: _vol, expiry: _expiry, account: _account, ...config } = v.config;
    return { ...v, config, book: v.book.map((l) => ({ ...l, volPerYear: l.volPerYear as number })) };
  });

/** A version-3 input: the fixture's vault without version 4's account kind. */
const inputV3: fc.Arbitrary<VaultInputV3> = input.map((v) => {
  const { account: _account, ...config } = v.config;
  return { ...v, config };
});

const RUNS = Number(process.env.PROP_RUNS ?? 200);

function compareV1V2(inp: VaultInputV2, cmds: Cmd[]): void {
  const v1 = createActor(vaultMachineV1, { input: inp }).start();
  const v2 = createActor(vaultMachineV2, { input: inp }).start();
  const check = (where: string): void => {
    const a = v1.getSnapshot(), b = v2.getSnapshot();
    expect(b.status, where).toBe('active');
    expect(leafState(b.value), where).toBe(leafState(a.value));
    expect(b.context, where).toEqual(a.context);
    expect(migrateSnapshot(v1.getPersistedSnapshot(), 1, 2), where).toEqual(v2.getPersistedSnapshot());
  };
  check('start');
  let now = T0;
  cmds.forEach((c, k) => {
    const ev = concrete(c, v1.getSnapshot().context as unknown as VaultContext, now, k);
    now = Math.max(now, ev.at);
    v1.send(ev);
    v2.send(ev);
    check(`step ${k} ${JSON.stringify(ev)}`);
  });
  v1.stop();
  v2.stop();
}

/**
 * Version 3's context against version 2's migrated one. A leg version 3 prices at the flat vol
 * had that vol as its own under version 2; it is then revalued in its own group rather than
 * netted with a same-strike leg of the other kind, so greeks and bands agree to float rounding.
 */
function expectSameVault(v3: VaultContext, migratedV2: VaultContext, where: string): void {
  let regrouped = false;
  const book = migratedV2.book.map((l, i) => {
    const mine = v3.book[i];
    if (mine && mine.volPerYear === undefined) {
      expect(l.volPerYear, `${where}: leg ${l.instrument}`).toBe(v3.config.vol.flatVolPerYear);
      regrouped = true;
      const { volPerYear: _v, ...rest } = l;
      return rest;
    }
    return l;
  });
  if (!regrouped) {
    expect(v3, where).toEqual({ ...migratedV2, book });
    return;
  }
  const near = (a: Record<string, number>, b: Record<string, number>, what: string): void => {
    for (const k of Object.keys(b)) expect(Math.abs((a[k] as number) - (b[k] as number)), `${where}: ${what}.${k}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b[k] as number)));
  };
  near(v3.greeks as unknown as Record<string, number>, migratedV2.greeks as unknown as Record<string, number>, 'greeks');
  near(v3.bands as unknown as Record<string, number>, migratedV2.bands as unknown as Record<string, number>, 'bands');
  const reduced = ({ flowDeltaReducedBtc, hedgeDeltaReducedBtc }: VaultContext): Record<string, number> => ({ flowDeltaReducedBtc, hedgeDeltaReducedBtc });
  near(reduced(v3), reduced(migratedV2), 'delta reduced');
  const rounded = { greeks: null, bands: null, flowDeltaReducedBtc: null, hedgeDeltaReducedBtc: null };
  expect({ ...v3, ...rounded }, where).toEqual({ ...migratedV2, book, ...rounded });
}

function compareV2V3(inp: VaultInputV2, cmds: Cmd[]): void {
  const v2 = createActor(vaultMachineV2, { input: inp }).start();
  const upgraded = (): ReturnType<typeof createActor<typeof vaultMachineV3>> => createActor(vaultMachineV3, {
    snapshot: migrateSnapshot(v2.getPersistedSnapshot(), 2, 3) as unknown as Snapshot<unknown>, input: inp as never,
  }).start();
  let v3 = upgraded();
  const check = (where: string): void => {
    const a = v2.getSnapshot(), b = v3.getSnapshot();
    expect(b.status, where).toBe('active');
    expect(leafState(b.value), where).toBe(leafState(a.value));
    expectSameVault(b.context as unknown as VaultContext, migrateSnapshot(v2.getPersistedSnapshot(), 2, 3).context as VaultContext, where);
  };
  check('start');
  let now = T0;
  const half = Math.floor(cmds.length / 2);
  cmds.forEach((c, k) => {
    if (k === half) {
      // An upgrade half-way: version 3 restored from version 2's migrated snapshot.
      v3.stop();
      v3 = upgraded();
      check(`restored at step ${k}`);
    }
    const ev = concrete(c, v2.getSnapshot().context as unknown as VaultContext, now, k);
    now = Math.max(now, ev.at);
    v2.send(ev);
    v3.send(ev);
    check(`step ${k} ${JSON.stringify(ev)}`);
  });
  v2.stop();
  v3.stop();
}

/** An account mark (which a linear vault ignores) between version 3's events. */
type CmdV4 = Cmd | { k: 'account'; dt: number; equityBtc: number };
const cmdV4: fc.Arbitrary<CmdV4> = fc.oneof(
  { weight: 9, arbitrary: cmd },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('account' as const), dt: fc.integer({ min: 0, max: 60_000 }), equityBtc: fc.double({ min: 0, max: 20, noNaN: true }) }) },
);

function compareV3V4(inp: VaultInputV3, cmds: CmdV4[]): void {
  const v3 = createActor(vaultMachineV3, { input: inp }).start();
  const upgraded = (): ReturnType<typeof createActor<typeof vaultMachine>> => createActor(vaultMachine, {
    snapshot: migrateSnapshot(v3.getPersistedSnapshot(), 3, 4) as unknown as Snapshot<unknown>, input: inp as never,
  }).start();
  let v4 = upgraded();
  const check = (where: string): void => {
    const a = v3.getSnapshot(), b = v4.getSnapshot();
    expect(b.status, where).toBe('active');
    expect(b.value, where).toEqual(a.value);
    expect(b.context, where).toEqual(migrateSnapshot(v3.getPersistedSnapshot(), 3, 4).context);
  };
  check('start');
  let now = T0;
  const half = Math.floor(cmds.length / 2);
  cmds.forEach((c, k) => {
    if (k === half) {
      v4.stop();
      v4 = upgraded();
      check(`restored at step ${k}`);
    }
    const ctx = v3.getSnapshot().context as unknown as VaultContext;
    const ev: VaultEvent = c.k === 'account'
      ? { type: 'account.marked', at: now + c.dt, equityBtc: c.equityBtc, perpUsd: -1_000, marksBtc: ctx.book.map((l) => ({ instrument: l.instrument, markPriceBtc: 0.02 })) }
      : concrete(c, ctx, now, k);
    now = Math.max(now, ev.at);
    v3.send(ev);
    v4.send(ev);
    check(`step ${k} ${JSON.stringify(ev)}`);
  });
  v3.stop();
  v4.stop();
}

describe('frozen machine versions and the upgrade path', () => {
  it('versions 1 and 2 rest in the same state with the same context after every event; the migrated snapshot is version 2\'s', () => {
    fc.assert(fc.property(inputV2, fc.array(cmd, { minLength: 1, maxLength: 60 }), compareV1V2), { numRuns: RUNS });
  });

  it('version 3 upgraded from version 2 carries on as version 2 wherever version 3 kept the rules (no expiry, no clip)', () => {
    const noClips = inputV2.map((v) => ({ ...v, config: { ...v.config, maxOrderBtc: 50 } }));
    const noExpiry = fc.array(cmd.filter((c) => c.k !== 'expiry'), { minLength: 1, maxLength: 60 });
    fc.assert(fc.property(noClips, noExpiry, compareV2V3), { numRuns: RUNS });
  });

  it('version 4 upgraded from version 3 decides a linear vault exactly as version 3 (every event, expiries and clips included)', () => {
    fc.assert(fc.property(inputV3, fc.array(cmdV4, { minLength: 1, maxLength: 60 }), compareV3V4), { numRuns: RUNS });
  });
});
