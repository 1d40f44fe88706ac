import { describe, expect, it } from 'vitest';
import { StalenessTracker } from '../../../src/streams/staleness.ts';

describe('StalenessTracker (event time)', () => {
  it('goes stale at lastTickAt + maxAgeMs once, and recovers on the next tick', () => {
    const s = new StalenessTracker(5_000);
    expect(s.advanceTo(1_000_000)).toEqual([]); // no tick yet: nothing to be stale about
    expect(s.observe(1_000)).toEqual([]);
    expect(s.staleAt).toBe(6_000);
    expect(s.advanceTo(5_999)).toEqual([]);
    expect(s.advanceTo(6_000)).toEqual([{ type: 'feed.stale', at: 6_000 }]);
    expect(s.isStale).toBe(true);
    expect(s.advanceTo(60_000)).toEqual([]); // reported once
    expect(s.observe(61_000)).toEqual([{ type: 'feed.recovered', at: 61_000 }]);
    expect(s.isStale).toBe(false);
  });

  it('a tick exactly at the deadline keeps the feed fresh; a late tick reports stale then recovered', () => {
    const s = new StalenessTracker(5_000);
    s.observe(0);
    expect(s.observe(5_000)).toEqual([]);
    expect(s.observe(10_001)).toEqual([
      { type: 'feed.stale', at: 10_000 },
      { type: 'feed.recovered', at: 10_001 },
    ]);
  });

  it('rejects bad config and ticks going backwards', () => {
    expect(() => new StalenessTracker(0)).toThrow();
    const s = new StalenessTracker(10);
    s.observe(100);
    expect(() => s.observe(50)).toThrow();
  });
});
