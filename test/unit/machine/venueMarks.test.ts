// Venue marks through the vault machine (version 4): vol.marked makes the venue's mark IV each
// held or quoted series' own vol (greeks, bands and quotes follow; a bad vol refuses the event);
// mmp.triggered freezes the vault's quotes until its deadline in every state, hedging going on.
import { describe, expect, it } from 'vitest';
import { describeTransition } from '../../../machines/describeTransition.ts';
import { volMarkRefusal } from '../../../machines/vault.guards.ts';
import type { VolMarked } from '../../../machines/vault.types.ts';
import { bookGreeks } from '../../../src/domain/bookGreeks.ts';
import { vaultQuotes } from '../../../src/engine/vaultQuotes.ts';
import { shortCallVault, straddleVault } from '../../fixtures/vaults.ts';
import { T0, VaultDriver } from './harness.ts';

const CALL = 'BTC-31MAR23-23000-C';
const PUT = 'BTC-31MAR23-23000-P';
const volMarked = (at: number, vols: [string, number][]): VolMarked => ({ type: 'vol.marked', at, vols: vols.map(([instrument, volPerYear]) => ({ instrument, volPerYear })) });

describe('vol.marked', () => {
  it('makes the venue vol the own vol of each series the vault holds, ignores the others, and revalues at once', () => {
    const v = new VaultDriver(straddleVault()).tick(23_000);
    const before = v.snap;
    v.send(volMarked(v.now + 1_000, [[CALL, 0.72], ['BTC-31MAR23-30000-C', 0.9]]));
    expect(v.snap).not.toBe(before);
    expect(v.ctx.book.map((l) => [l.instrument, l.volPerYear])).toEqual([[CALL, 0.72], [PUT, 0.6]]);
    const g = bookGreeks(v.ctx.book, 23_000, v.now, 0, 0, v.ctx.config);
    expect(v.ctx.greeks).toEqual(g);
    expect(v.ctx.greeks.vega).not.toBeCloseTo(before.context.greeks.vega, 3);
    expect(v.ctx.lastAt).toBe(v.now);
    // The quotes price the call at its new vol: its fair value rises with vol.
    const fair = (ctx: typeof v.ctx, inst: string): number => vaultQuotes('neutral', ctx).find((q) => q.instrument === inst)?.fairUsd ?? Number.NaN;
    expect(fair(v.ctx, CALL)).toBeGreaterThan(fair(before.context, CALL));
    expect(fair(v.ctx, PUT)).toBeCloseTo(fair(before.context, PUT), 2); // one second of theta apart
  });

  it('gives a series priced by the surface (no vol of its own) the venue vol, which then wins over the smile', () => {
    const inp = shortCallVault();
    const v = new VaultDriver({ ...inp, book: inp.book.map(({ volPerYear: _v, ...l }) => l) }).tick(23_000);
    v.send(volMarked(v.now + 1_000, [[CALL, 0.55]]));
    expect(v.ctx.book[0]?.volPerYear).toBe(0.55);
  });

  it('changes nothing (no new snapshot, so nothing journaled) when no held series changes vol', () => {
    const v = new VaultDriver(straddleVault()).tick(23_000);
    const before = v.snap;
    v.send(volMarked(v.now + 1_000, [[CALL, 0.6], ['BTC-31MAR23-30000-C', 0.8]]));
    v.send(volMarked(v.now + 1_000, []));
    expect(v.snap).toBe(before);
  });

  it('is refused whole, with a reason, when any vol is not finite, not above 0 or above the maximum', () => {
    const v = new VaultDriver(straddleVault()).tick(23_000);
    const before = v.snap;
    const cases: [number, RegExp][] = [[Number.NaN, /not a finite number/], [Number.POSITIVE_INFINITY, /not a finite number/], [0, /not above 0/], [-0.2, /not above 0/], [5.5, /above the maximum 5/]];
    for (const [bad, why] of cases) {
      const ev = volMarked(v.now + 1_000, [[PUT, 0.7], [CALL, bad]]);
      expect(volMarkRefusal(ev)).toMatch(new RegExp(`^${CALL}: .*${why.source}`));
      v.send(ev);
      expect(v.snap).toBe(before);
    }
    expect(volMarkRefusal(volMarked(0, [[CALL, 5], [PUT, 0.01]]))).toBeNull();
  });

  it('applies in every state (here halted and hedging), and a vol that moves delta past the hedge band starts a hedge', () => {
    const halted = new VaultDriver(straddleVault()).tick(23_000).pause();
    halted.send(volMarked(halted.now + 1_000, [[CALL, 0.8]]));
    expect(halted.state).toBe('halted');
    expect(halted.ctx.book[0]?.volPerYear).toBe(0.8);
    // Short 10 calls far out of the money: delta small at 60% vol, past the 3 BTC band at 200%.
    const otm = shortCallVault();
    const v = new VaultDriver({ ...otm, book: [{ ...otm.book[0]!, instrument: 'BTC-31MAR23-30000-C', strikeUsd: 30_000 }] }).tick(23_000);
    expect(v.state).toBe('neutral');
    v.send(volMarked(v.now + 1_000, [['BTC-31MAR23-30000-C', 2]]));
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight?.side).toBe('buy');
    v.send(volMarked(v.now + 1_000, [['BTC-31MAR23-30000-C', 1.5]]));
    expect(v.state).toBe('hedging');
    expect(v.ctx.book[0]?.volPerYear).toBe(1.5);
  });

  it('reads in the journal as the held series\' vols and the delta', () => {
    const v = new VaultDriver(straddleVault()).tick(23_000);
    const ev = volMarked(v.now + 1_000, [[CALL, 0.6512], ['BTC-31MAR23-30000-C', 0.9]]);
    v.send(ev);
    expect(describeTransition('neutral', 'neutral', ev, v.ctx)).toBe(`venue vols: ${CALL} 65.12%; delta ${v.delta.toFixed(3)}`);
  });
});

describe('mmp.triggered', () => {
  it('freezes the quotes until its deadline (event time); the first event at or past it brings them back', () => {
    const v = new VaultDriver(straddleVault()).tick(23_000);
    expect(vaultQuotes(v.state, v.ctx).length).toBe(2);
    const until = v.now + 30_000;
    v.send({ type: 'mmp.triggered', at: v.now + 500, frozenUntil: until });
    expect(v.ctx.quotesFrozenUntil).toBe(until);
    expect(vaultQuotes(v.state, v.ctx)).toEqual([]);
    v.tick(23_010, until - 1);
    expect(vaultQuotes(v.state, v.ctx)).toEqual([]);
    v.tick(23_020, until);
    expect(vaultQuotes(v.state, v.ctx).length).toBe(2);
    expect(v.ctx.quotesFrozenUntil).toBe(until);
  });

  it('never shortens a freeze: an earlier deadline, or one that is not a finite time, changes nothing', () => {
    const v = new VaultDriver(straddleVault()).tick(23_000);
    v.send({ type: 'mmp.triggered', at: v.now, frozenUntil: v.now + 60_000 });
    const frozen = v.snap;
    for (const frozenUntil of [v.now + 30_000, v.now + 60_000, Number.NaN, Number.POSITIVE_INFINITY]) {
      v.send({ type: 'mmp.triggered', at: v.now, frozenUntil });
      expect(v.snap).toBe(frozen);
    }
    v.send({ type: 'mmp.triggered', at: v.now + 1, frozenUntil: v.now + 90_000 });
    expect(v.ctx.quotesFrozenUntil).toBe(v.now + 89_999);
  });

  it('holds in every state and does not stop hedging: a hedge in flight finishes into its cooldown, frozen all along', () => {
    const v = new VaultDriver(shortCallVault()).tick(23_000);
    expect(v.state).toBe('hedging');
    const until = v.now + 120_000;
    v.send({ type: 'mmp.triggered', at: v.now + 100, frozenUntil: until });
    expect(v.state).toBe('hedging');
    v.filled();
    expect(v.state).toBe('cooldown');
    expect(vaultQuotes(v.state, v.ctx)).toEqual([]);
    v.pause();
    v.send({ type: 'mmp.triggered', at: v.now, frozenUntil: until + 1 });
    expect([v.state, v.ctx.quotesFrozenUntil]).toEqual(['halted', until + 1]);
  });

  it('reads in the journal as the freeze and its deadline', () => {
    const v = new VaultDriver(straddleVault()).tick(23_000);
    const ev = { type: 'mmp.triggered' as const, at: T0 + 5_000, frozenUntil: T0 + 65_000 };
    v.send(ev);
    expect(describeTransition('neutral', 'neutral', ev, v.ctx)).toBe('MMP triggered: quotes frozen until 2023-03-01T00:01:05.000Z, hedging goes on');
  });
});
