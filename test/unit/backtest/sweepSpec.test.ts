import { describe, expect, it } from 'vitest';
import { parsePolicy, PolicyError } from '../../../src/engine/backtest/backtestPolicy.ts';
import { geometricPoints, parseSweep, parseSweepList } from '../../../src/engine/backtest/sweepSpec.ts';

describe('geometricPoints', () => {
  it('spaces N values evenly in log from A to B, both included, 4 significant digits', () => {
    expect(geometricPoints(1, 1000, 4)).toEqual([1, 10, 100, 1000]);
    expect(geometricPoints(1e-5, 1e-3, 3)).toEqual([1e-5, 1e-4, 1e-3]);
    expect(geometricPoints(5, 240, 1)).toEqual([5]);
    const pts = geometricPoints(0.5, 5, 20);
    expect(pts).toHaveLength(20);
    for (let i = 1; i < pts.length; i++) expect(pts[i]! / pts[i - 1]!).toBeCloseTo(10 ** (1 / 19), 3);
  });
});

describe('parseSweep', () => {
  it('reads POLICY:PARAM=A..B[:N] into one policy per point, labels that parse back', () => {
    const sw = parseSweep('ww:riskAversion=1e-5..1e-3:3');
    expect(sw).toMatchObject({ policy: 'ww', param: 'riskAversion', from: 1e-5, to: 1e-3 });
    expect(sw.points.map((p) => p.policy)).toEqual([1e-5, 1e-4, 1e-3].map((r) => ({ kind: 'ww', riskAversion: r })));
    for (const p of sw.points) expect(parsePolicy(p.label)).toEqual(p.policy);
    expect(parseSweep('band:hedgeBtc=0.5..5').points).toHaveLength(10);
    expect(parseSweep('time:minutes=240..5:2').points.map((p) => p.label)).toEqual(['time:240', 'time:5']);
    expect(parseSweep('move:pct=0.25..2:4+lean:off').points[0]!.policy).toEqual({ kind: 'move', pct: 0.25, leanMode: 'off' });
  });

  it('refuses what it cannot sweep, naming the forms', () => {
    for (const bad of ['ww', 'ww:riskAversion', 'ww:gamma=1..2', 'config:x=1..2', 'band:hedgeBtc=0..5', 'band:hedgeBtc=1..5:0', 'band:hedgeBtc=1..5:201',
      'band:hedgeBtc=1..1.0001:50', 'time:minutes=a..b']) {
      expect(() => parseSweep(bad), bad).toThrow(PolicyError);
    }
    expect(() => parseSweep('ww:gamma=1..2')).toThrow(/riskAversion/);
    expect(() => parseSweepList('band:hedgeBtc=1..2:2,band:hedgeBtc=2..3:2')).toThrow(/twice/);
    expect(parseSweepList('band:hedgeBtc=1..2:2, ww:riskAversion=1e-4..1e-3:2').map((s) => s.policy)).toEqual(['band', 'ww']);
  });
});
