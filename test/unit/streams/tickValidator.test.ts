import { describe, expect, it } from 'vitest';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TickValidator } from '../../../src/streams/tickValidator.ts';
import { validateTicks } from '../../../src/streams/validateTicks.ts';
import type { PriceTickInput } from '../../../src/streams/inputTypes.ts';

const MIN = 60_000;
const T0 = Date.UTC(2023, 2, 1);
let off = 0;
const tick = (at: number, priceUsd: number, confUsd?: number): PriceTickInput =>
  confUsd === undefined ? { at, priceUsd, source: 't', offset: off++ } : { at, priceUsd, confUsd, source: 't', offset: off++ };

function reasonOf(v: ReturnType<TickValidator['check']>): string {
  return v.ok ? 'ok' : v.rejected.reason;
}

describe('TickValidator', () => {
  it('accepts a normal path and rejects bad values with reasons', () => {
    const v = new TickValidator();
    expect(reasonOf(v.check(tick(T0, 20_000)))).toBe('ok');
    expect(reasonOf(v.check(tick(T0 + MIN, Number.NaN)))).toBe('nan-price');
    expect(reasonOf(v.check(tick(T0 + MIN, Number.POSITIVE_INFINITY)))).toBe('non-finite-price');
    expect(reasonOf(v.check(tick(T0 + MIN, 0)))).toBe('non-positive-price');
    expect(reasonOf(v.check(tick(T0 + MIN, -3)))).toBe('non-positive-price');
    expect(reasonOf(v.check(tick(Number.NaN, 20_000)))).toBe('bad-time');
    expect(reasonOf(v.check(tick(T0, 20_001)))).toBe('duplicate-time');
    expect(reasonOf(v.check(tick(T0 - MIN, 20_001)))).toBe('out-of-order');
    expect(reasonOf(v.check(tick(T0 + MIN, 20_010)))).toBe('ok');
    expect(v.accepted).toBe(2);
    expect(v.rejected).toBe(7);
  });

  it('checks confidence: non-positive, crossed (>= price) and too wide', () => {
    const v = new TickValidator({ maxConfRatio: 0.01 });
    expect(reasonOf(v.check(tick(T0, 20_000, 0)))).toBe('bad-confidence');
    expect(reasonOf(v.check(tick(T0, 20_000, -1)))).toBe('bad-confidence');
    expect(reasonOf(v.check(tick(T0, 20_000, 20_000)))).toBe('bad-confidence');
    expect(reasonOf(v.check(tick(T0, 20_000, Number.NaN)))).toBe('bad-confidence');
    expect(reasonOf(v.check(tick(T0, 20_000, 300)))).toBe('wide-confidence');
    const ok = v.check(tick(T0, 20_000, 10));
    expect(ok.ok && ok.value.confUsd).toBe(10);
  });

  it('rejects a 10x bad print and accepts the next normal tick as if it never happened', () => {
    const a = new TickValidator();
    const b = new TickValidator();
    const path = [20_000, 20_010, 19_995, 20_020];
    path.forEach((p, i) => {
      a.check(tick(T0 + i * MIN, p));
      b.check(tick(T0 + i * MIN, p));
    });
    const bad = a.check(tick(T0 + 4 * MIN, 200_000));
    expect(reasonOf(bad)).toBe('jump');
    if (!bad.ok) {
      expect(bad.rejected.at).toBe(T0 + 4 * MIN);
      expect(bad.rejected.detail).toMatch(/sigma/);
    }
    // Same next tick on both: identical verdict and identical vol state.
    expect(reasonOf(a.check(tick(T0 + 5 * MIN, 20_030)))).toBe('ok');
    expect(reasonOf(b.check(tick(T0 + 5 * MIN, 20_030)))).toBe('ok');
    expect(a.volPerYear).toBe(b.volPerYear);
    expect(a.lastAcceptedAt).toBe(b.lastAcceptedAt);
  });

  it('accepts a confirmed level shift (two prints agree) but not a lone spike', () => {
    const v = new TickValidator();
    for (let i = 0; i < 30; i++) v.check(tick(T0 + i * MIN, 20_000 * (1 + 0.0002 * (i % 2))));
    expect(reasonOf(v.check(tick(T0 + 30 * MIN, 21_000)))).toBe('jump'); // +5%
    expect(reasonOf(v.check(tick(T0 + 31 * MIN, 21_010)))).toBe('ok'); // confirms the new level
    expect(reasonOf(v.check(tick(T0 + 32 * MIN, 21_020)))).toBe('ok');
    const w = new TickValidator({ confirmLevelShift: false });
    for (let i = 0; i < 30; i++) w.check(tick(T0 + i * MIN, 20_000));
    expect(reasonOf(w.check(tick(T0 + 30 * MIN, 21_000)))).toBe('jump');
    expect(reasonOf(w.check(tick(T0 + 31 * MIN, 21_010)))).toBe('jump');
  });

  it('allows larger moves after a longer gap (limit scales with sqrt(dt))', () => {
    const mk = (): TickValidator => {
      const v = new TickValidator({ confirmLevelShift: false });
      for (let i = 0; i < 10; i++) v.check(tick(T0 + i * MIN, 20_000));
      return v;
    };
    expect(reasonOf(mk().check(tick(T0 + 10 * MIN, 21_000)))).toBe('jump');
    expect(reasonOf(mk().check(tick(T0 + 9 * MIN + 6 * 3_600_000, 21_000)))).toBe('ok');
  });

  it('never rejects moves under the floor, even after a flat period', () => {
    const v = new TickValidator();
    for (let i = 0; i < 500; i++) expect(reasonOf(v.check(tick(T0 + i * MIN, 20_000)))).toBe('ok');
    expect(reasonOf(v.check(tick(T0 + 500 * MIN, 20_000 * 1.009)))).toBe('ok');
  });

  it('rejects an invalid config', () => {
    expect(() => new TickValidator({ maxJumpSigma: 0 })).toThrow();
    expect(() => new TickValidator({ ewmaAlpha: 2 })).toThrow();
  });

  it('the live operator gives each subscription a validator of its own', async () => {
    const ticks = [tick(T0, 100), tick(T0, 101), tick(T0 + MIN, Number.NaN), tick(T0 + MIN, 100.5), tick(T0 + 2 * MIN, 1000)];
    const stream = from(ticks).pipe(validateTicks());
    const first = await lastValueFrom(stream.pipe(toArray()));
    expect(first.map(reasonOf)).toEqual(['ok', 'duplicate-time', 'nan-price', 'ok', 'jump']);
    expect(await lastValueFrom(stream.pipe(toArray()))).toEqual(first);
  });
});
