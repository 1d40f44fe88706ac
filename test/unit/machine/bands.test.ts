// Given/when/then: delta bands and hysteresis of the vault machine.
// Which side of each edge the guards use (fixed bands quote 1, hedge 3, re-entry 0.5, hard 6 BTC):
//   hedge starts at |delta| >= hedgeBtc        (equality hedges)
//   overexposed when delta > quoteBtc          (equality stays neutral); underexposed when delta < -quoteBtc
//   back to neutral when |delta| <= reentryBtc (equality re-enters)
//   emergency in cooldown at |delta| >= hardBtc (equality hedges)
import { describe, expect, it } from 'vitest';
import { VaultDriver, ladderVault } from './harness.ts';

// Level:           0  1    2     3  4     5     6  7
const UP = [0, 0.5, 0.75, 1, 1.25, 2.75, 3, 6];
const DOWN = UP.map((d) => -d);

describe('neutral -> overexposed / underexposed at the quote band', () => {
  it('given neutral, when delta rises to exactly the quote band, then it stays neutral', () => {
    const v = new VaultDriver(ladderVault(UP)).level(0);
    expect(v.state).toBe('neutral');
    v.level(3);
    expect(v.delta).toBe(1);
    expect(v.state).toBe('neutral');
  });

  it('given neutral, when delta passes the quote band, then overexposed', () => {
    const v = new VaultDriver(ladderVault(UP)).level(0).level(4);
    expect(v.delta).toBe(1.25);
    expect(v.state).toBe('overexposed');
  });

  it('given neutral, when delta falls to exactly -quote, then neutral; below it, underexposed', () => {
    const v = new VaultDriver(ladderVault(DOWN)).level(0).level(3);
    expect(v.state).toBe('neutral');
    v.level(4);
    expect(v.state).toBe('underexposed');
  });

  it('given neutral, when delta jumps just under the hedge band, then overexposed without a hedge', () => {
    const v = new VaultDriver(ladderVault(UP)).level(5);
    expect(v.state).toBe('overexposed');
    expect(v.ctx.inFlight).toBeNull();
  });
});

describe('hysteresis: the re-entry band brings the vault back to neutral', () => {
  it('given overexposed, when |delta| is between re-entry and quote band, then it stays overexposed', () => {
    const v = new VaultDriver(ladderVault(UP)).level(4).level(2);
    expect(v.delta).toBe(0.75);
    expect(v.state).toBe('overexposed');
    v.level(3);
    expect(v.state).toBe('overexposed');
  });

  it('given overexposed, when |delta| is exactly the re-entry band, then neutral', () => {
    const v = new VaultDriver(ladderVault(UP)).level(4).level(1);
    expect(v.delta).toBe(0.5);
    expect(v.state).toBe('neutral');
  });

  it('given underexposed, when delta is between -quote and -re-entry it stays, at -re-entry it is neutral', () => {
    const v = new VaultDriver(ladderVault(DOWN)).level(4).level(2);
    expect(v.state).toBe('underexposed');
    v.level(1);
    expect(v.state).toBe('neutral');
  });

  it('given neutral re-entered at the edge, when delta wobbles inside the quote band, then no flip-flop', () => {
    const v = new VaultDriver(ladderVault(UP)).level(4).level(1);
    const states = [2, 3, 2, 1, 3].map((i) => v.level(i).state);
    expect(states).toEqual(['neutral', 'neutral', 'neutral', 'neutral', 'neutral']);
  });

  it('given overexposed, when delta swings to -quote or lower, then underexposed', () => {
    const v = new VaultDriver(ladderVault([1.25, -1.25])).level(0);
    expect(v.state).toBe('overexposed');
    v.level(1);
    expect(v.state).toBe('underexposed');
  });

  it('given overexposed, when delta swings short past the re-entry band (but not past -quote), then underexposed, not "overexposed" with a short delta', () => {
    const v = new VaultDriver(ladderVault([1.25, -0.75])).level(0);
    expect(v.state).toBe('overexposed');
    v.level(1);
    expect(v.delta).toBe(-0.75);
    expect(v.state).toBe('underexposed');
  });

  it('given underexposed, when delta swings long past the re-entry band (but not past quote), then overexposed', () => {
    const v = new VaultDriver(ladderVault([-1.25, 0.75])).level(0);
    expect(v.state).toBe('underexposed');
    v.level(1);
    expect(v.state).toBe('overexposed');
  });
});

describe('the hedge band edge', () => {
  it('given neutral, when |delta| reaches exactly the hedge band, then a hedge starts', () => {
    const v = new VaultDriver(ladderVault(UP)).level(0).level(6);
    expect(v.delta).toBe(3);
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ side: 'sell', sizeBtc: 3, reason: 'band' });
  });

  it('given overexposed, when delta reaches the hedge band, then hedging', () => {
    const v = new VaultDriver(ladderVault(UP)).level(4).level(6);
    expect(v.state).toBe('hedging');
  });

  it('given underexposed, when delta reaches -hedge band, then hedging with a buy', () => {
    const v = new VaultDriver(ladderVault(DOWN)).level(4).level(6);
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ side: 'buy', sizeBtc: 3 });
  });

  it('given a delta past the hedge band but a hedge below the venue minimum, then no hedge', () => {
    const v = new VaultDriver(ladderVault(UP, { minOrderBtc: 5 })).level(6);
    expect(v.state).toBe('overexposed');
    expect(v.ctx.inFlight).toBeNull();
  });

  it('given bands misconfigured with re-entry >= quote, when delta sits between them, then the machine settles (no always-loop)', () => {
    // Before the fix neutral (delta > quote) -> overexposed (|delta| <= re-entry) -> neutral ... forever (OOM).
    const bands = { kind: 'fixed' as const, quoteBtc: 1, hedgeBtc: 4, reentryBtc: 3, hardBtc: 6 };
    const v = new VaultDriver(ladderVault([0, 2, -2, 0.25], { bands })).level(0).level(1);
    expect(v.state).toBe('overexposed');
    v.level(2);
    expect(v.state).toBe('underexposed');
    v.level(3);
    expect(v.state).toBe('neutral');
  });

  it('given hedgeTarget bandEdge, when the hedge starts, then it trades back to the re-entry edge', () => {
    const v = new VaultDriver(ladderVault(UP, { hedgeTarget: 'bandEdge' })).level(6);
    expect(v.ctx.inFlight).toMatchObject({ side: 'sell', sizeBtc: 2.5 });
    v.filled();
    expect(v.delta).toBe(0.5);
    v.timerAtDeadline();
    expect(v.state).toBe('neutral');
  });

  it('given a hedge larger than maxOrderBtc, then it goes as even clips of one episode', () => {
    const v = new VaultDriver(ladderVault(UP, { maxOrderBtc: 2 })).level(6);
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-1', sizeBtc: 1.5 });
    expect(v.ctx.planned).toEqual({ sizeBtc: -1.5, reason: 'band' });
    v.filled();
    expect(v.state).toBe('hedging');
    expect(v.ctx.inFlight).toMatchObject({ clientOrderId: 'v1-2', sizeBtc: 1.5 });
  });
});
