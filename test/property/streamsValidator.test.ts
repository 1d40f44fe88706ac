// Property: garbage ticks change nothing downstream. Interleaving invalid ticks (NaN, <= 0,
// stale time, bad confidence) into any price path leaves the verdicts of the real ticks and
// the validator's state exactly as without them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TickValidator } from '../../src/streams/tickValidator.ts';
import type { PriceTickInput, Validated } from '../../src/streams/inputTypes.ts';

const T0 = Date.UTC(2023, 2, 1);
const verdict = (v: Validated<PriceTickInput>): string => (v.ok ? `ok:${v.value.offset}` : `${v.rejected.reason}:${v.rejected.offset}`);

describe('TickValidator properties', () => {
  it('garbage interleaved anywhere leaves the verdicts of real ticks unchanged', () => {
    const step = fc.record({ dtMs: fc.integer({ min: 1, max: 3_600_000 }), r: fc.double({ min: -0.2, max: 0.2, noNaN: true }) });
    const garbage = fc.constantFrom('nan', 'zero', 'neg', 'stale', 'conf', 'inf');
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 200 }), fc.array(fc.tuple(fc.nat(), garbage), { maxLength: 100 }), (steps, junk) => {
      const ticks: PriceTickInput[] = [];
      let at = T0;
      let p = 20_000;
      steps.forEach((s, i) => {
        at += s.dtMs;
        p *= Math.exp(s.r);
        ticks.push({ at, priceUsd: p, source: 's', offset: i });
      });
      const clean = new TickValidator();
      const expected = ticks.map((t) => verdict(clean.check(t)));
      const dirty = new TickValidator();
      const insertAt = new Map<number, string[]>();
      for (const [pos, kind] of junk) {
        const k = pos % ticks.length;
        insertAt.set(k, [...(insertAt.get(k) ?? []), kind]);
      }
      const got: string[] = [];
      ticks.forEach((t, i) => {
        for (const kind of insertAt.get(i) ?? []) {
          if (kind === 'stale' && i === 0) continue; // before any tick, an old time is not stale
          const g: PriceTickInput = { at: t.at, priceUsd: t.priceUsd, source: 's', offset: -1 };
          if (kind === 'nan') g.priceUsd = Number.NaN;
          if (kind === 'zero') g.priceUsd = 0;
          if (kind === 'neg') g.priceUsd = -1;
          if (kind === 'inf') g.priceUsd = Number.POSITIVE_INFINITY;
          if (kind === 'stale') g.at = T0 - 1;
          if (kind === 'conf') g.confUsd = t.priceUsd * 2;
          expect(dirty.check(g).ok).toBe(false);
        }
        got.push(verdict(dirty.check(t)));
      });
      expect(got).toEqual(expected);
      expect(dirty.volPerYear).toBe(clean.volPerYear);
      expect(dirty.lastAcceptedAt).toBe(clean.lastAcceptedAt);
    }), { numRuns: 300 });
  });

  it('accepted ticks are strictly increasing in time with positive finite prices', () => {
    fc.assert(fc.property(fc.array(fc.record({ at: fc.integer({ min: 0, max: 1e6 }), p: fc.double() }), { maxLength: 300 }), (raw) => {
      const v = new TickValidator();
      let last = Number.NEGATIVE_INFINITY;
      raw.forEach((x, i) => {
        const r = v.check({ at: x.at, priceUsd: x.p, source: 's', offset: i });
        if (r.ok) {
          expect(r.value.at).toBeGreaterThan(last);
          expect(Number.isFinite(r.value.priceUsd) && r.value.priceUsd > 0).toBe(true);
          last = r.value.at;
        } else expect(r.rejected.reason.length).toBeGreaterThan(0);
      });
    }), { numRuns: 300 });
  });
});
