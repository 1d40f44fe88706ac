// Venue vol marks conflated per vault by event time: at most one vol.marked a second, with the
// latest vol of each held series that moved by more than epsilon from the vault's; bad vols never
// sent but returned with their reason. Deterministic: no timers, only the marks' own times.
import { describe, expect, it } from 'vitest';
import {
  conflateVolMarkList, conflateVolMarks, initialVolMarkConflation, type VolLeg,
} from '../../../src/streams/conflateVolMarks.ts';
import type { MarksUpdate } from '../../../src/venues/optionsBook.ts';

const A = 'BTC-31MAR23-23000-C';
const B = 'BTC-31MAR23-23000-P';
const OTHER = 'BTC-31MAR23-40000-C';
const T = 1_677_628_800_000; // a whole second
const marks = (at: number, ivs: Record<string, number>): MarksUpdate => ({ at, marks: Object.entries(ivs).map(([instrument, markIv]) => ({ instrument, markPriceBtc: 0.01, markIv })) });

describe('conflateVolMarks', () => {
  it('sends the first marks at once, only the vault\'s series, and only those moved by more than 0.0005', () => {
    const legs: VolLeg[] = [{ instrument: A, volPerYear: 0.6 }, { instrument: B, volPerYear: 0.6 }];
    const s = conflateVolMarks(initialVolMarkConflation, marks(T + 10, { [A]: 0.6006, [B]: 0.6004, [OTHER]: 0.9 }), legs);
    expect(s.event).toEqual({ type: 'vol.marked', at: T + 10, vols: [{ instrument: A, volPerYear: 0.6006 }] });
    expect(s.refused).toEqual([]);
    expect(s.state.lastWindow).toBe(Math.floor((T + 10) / 1000));
    // Within a configured epsilon is no move.
    expect(conflateVolMarks(initialVolMarkConflation, marks(T, { [A]: 0.609 }), [{ instrument: A, volPerYear: 0.6 }], { epsilon: 0.01 }).event).toBeNull();
  });

  it('a series without a vol of its own (the surface prices it) takes the first valid mark', () => {
    const s = conflateVolMarks(initialVolMarkConflation, marks(T, { [A]: 0.6 }), [{ instrument: A }]);
    expect(s.event?.vols).toEqual([{ instrument: A, volPerYear: 0.6 }]);
  });

  it('holds marks later in a second already sent and sends the latest of them with the first marks of a later second', () => {
    // The vault's legs as the machine holds them after each vol.marked (applied as it goes).
    let legs: VolLeg[] = [{ instrument: A, volPerYear: 0.6 }, { instrument: B, volPerYear: 0.6 }];
    const apply = (vols: { instrument: string; volPerYear: number }[]): void => {
      legs = legs.map((l) => ({ ...l, volPerYear: vols.find((v) => v.instrument === l.instrument)?.volPerYear ?? l.volPerYear }));
    };
    const updates = [
      marks(T + 100, { [A]: 0.61 }), // sent at once
      marks(T + 400, { [A]: 0.62, [B]: 0.59 }), // same second: held
      marks(T + 900, { [A]: 0.63 }), // held, A's latest
      marks(T + 1_000, { [B]: 0.5902 }), // next second: A 0.63 and B 0.59 go (B's newest is within epsilon of the held one, both moved from 0.6)
      marks(T + 1_500, { [A]: 0.6302 }), // within epsilon of 0.63: nothing to hold that moves
      marks(T + 2_999, { [A]: 0.6302 }), // next second, nothing moved: no event
      marks(T + 3_000, { [A]: 0.64 }), // a new second: sent
    ];
    const out: (ReturnType<typeof conflateVolMarks>['event'])[] = [];
    let state = initialVolMarkConflation;
    for (const u of updates) {
      const step = conflateVolMarks(state, u, legs);
      state = step.state;
      out.push(step.event);
      if (step.event) apply(step.event.vols);
    }
    expect(out).toEqual([
      { type: 'vol.marked', at: T + 100, vols: [{ instrument: A, volPerYear: 0.61 }] },
      null,
      null,
      { type: 'vol.marked', at: T + 1_000, vols: [{ instrument: A, volPerYear: 0.63 }, { instrument: B, volPerYear: 0.5902 }] },
      null,
      null,
      { type: 'vol.marked', at: T + 3_000, vols: [{ instrument: A, volPerYear: 0.64 }] },
    ]);
    // At most one per second of event time.
    const seconds = out.filter((e) => e !== null).map((e) => Math.floor(e.at / 1000));
    expect(new Set(seconds).size).toBe(seconds.length);
  });

  it('returns bad vols refused with their reason and never sends them; the good ones of the same update go', () => {
    const legs: VolLeg[] = [{ instrument: A, volPerYear: 0.6 }, { instrument: B, volPerYear: 0.6 }];
    const s = conflateVolMarks(initialVolMarkConflation, marks(T, { [A]: Number.NaN, [B]: 0.7, [OTHER]: -1 }), legs);
    expect(s.event).toEqual({ type: 'vol.marked', at: T, vols: [{ instrument: B, volPerYear: 0.7 }] });
    expect(s.refused).toEqual([{ at: T, instrument: A, volPerYear: Number.NaN, reason: 'vol NaN is not a finite number' }]);
    const high = conflateVolMarks(initialVolMarkConflation, marks(T, { [A]: 6 }), legs);
    expect([high.event, high.refused.map((r) => r.reason)]).toEqual([null, ['vol 6 is above the maximum 5 (a decimal: 0.6 = 60% a year)']]);
  });

  it('drops held marks of a series the vault no longer holds', () => {
    const first = conflateVolMarks(initialVolMarkConflation, marks(T, { [A]: 0.7 }), [{ instrument: A, volPerYear: 0.6 }, { instrument: B, volPerYear: 0.6 }]);
    const held = conflateVolMarks(first.state, marks(T + 10, { [B]: 0.7 }), [{ instrument: A, volPerYear: 0.7 }, { instrument: B, volPerYear: 0.6 }]);
    expect(held.event).toBeNull();
    expect(conflateVolMarks(held.state, marks(T + 1_000, {}), [{ instrument: A, volPerYear: 0.7 }]).event).toBeNull();
  });

  it('over a list: the same marks and legs give the same events (no clock but the marks\' times); bad options are refused', () => {
    const legs: VolLeg[] = [{ instrument: A, volPerYear: 0.6 }];
    const updates = Array.from({ length: 50 }, (_, k) => marks(T + k * 250, { [A]: 0.6 + 0.001 * k }));
    const run = (): ReturnType<typeof conflateVolMarkList> => conflateVolMarkList(updates, () => legs);
    expect(run()).toEqual(run());
    // Four updates a second, the legs never updated: one event a second, the first that moved (the
    // very first mark is the leg's own vol: not sent).
    expect(run().events.map((e) => e.at)).toEqual([T + 250, ...Array.from({ length: 12 }, (_, s) => T + (s + 1) * 1_000)]);
    expect(() => conflateVolMarks(initialVolMarkConflation, updates[0]!, legs, { epsilon: -1 })).toThrow(RangeError);
    expect(() => conflateVolMarks(initialVolMarkConflation, updates[0]!, legs, { intervalMs: 0 })).toThrow(RangeError);
  });
});
