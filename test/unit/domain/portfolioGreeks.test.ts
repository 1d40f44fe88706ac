import { describe, expect, it } from 'vitest';
import { bookFromLegs, bookGreeks, bookNetDelta, MS_PER_YEAR, newNetGreeks, type BookLeg } from '../../../src/domain/portfolioGreeks.ts';
import { blackScholes } from '../../../src/domain/blackScholes.ts';
import { parseInstrument } from '../../../src/domain/instrument.ts';

const NOW = Date.parse('2023-03-01T08:00:00Z');

function leg(name: string, qty: number, volPerYear: number): BookLeg {
  const inst = parseInstrument(name);
  return { instrument: name, kind: inst.kind, strikeUsd: inst.strikeUsd, expiryMs: inst.expiryMs, qty, volPerYear };
}

describe('portfolio greeks', () => {
  const legs = [
    leg('BTC-31MAR23-25000-C', -3, 0.6),
    leg('BTC-31MAR23-21000-P', 2, 0.65),
    leg('BTC-28APR23-30000-C', -1.5, 0.55),
    leg('BTC-3MAR23-23500-P', 4, 0.8),
  ];

  it('sums leg greeks times qty plus the perp (ACT/365 years)', () => {
    const book = bookFromLegs(legs);
    const spot = 23_400;
    let delta = 0.75, gamma = 0, vega = 0, value = 0;
    for (const l of legs) {
      const g = blackScholes(l.kind, spot, l.strikeUsd, (l.expiryMs - NOW) / (365 * 86_400_000), l.volPerYear);
      delta += l.qty * g.delta;
      gamma += l.qty * g.gamma;
      vega += l.qty * g.vega;
      value += l.qty * g.price;
    }
    const out = bookGreeks(book, spot, NOW, 0.75, newNetGreeks());
    expect(out.deltaBtc).toBeCloseTo(delta, 12);
    expect(out.gammaBtcPerUsd).toBeCloseTo(gamma, 15);
    expect(out.vegaUsd).toBeCloseTo(vega, 8);
    expect(out.valueUsd).toBeCloseTo(value, 8);
    expect(bookNetDelta(book, spot, NOW, 0.75)).toBeCloseTo(delta, 12);
    expect(MS_PER_YEAR).toBe(31_536_000_000);
  });

  it('reuses the output object and treats expired series as intrinsic with a delta step', () => {
    const book = bookFromLegs(legs);
    const out = newNetGreeks();
    const after = Date.parse('2023-03-03T09:00:00Z'); // the 3MAR23 put has expired, ITM at 23,000
    expect(bookGreeks(book, 23_000, after, 0, out)).toBe(out);
    const live = bookFromLegs(legs.slice(0, 3));
    const liveOut = bookGreeks(live, 23_000, after, 0, newNetGreeks());
    expect(out.deltaBtc).toBeCloseTo(liveOut.deltaBtc + 4 * -1, 12);
    expect(out.valueUsd).toBeCloseTo(liveOut.valueUsd + 4 * 500, 8);
    expect(out.gammaBtcPerUsd).toBeCloseTo(liveOut.gammaBtcPerUsd, 15);
  });

  it('an empty book has the perp delta only', () => {
    const out = bookGreeks(bookFromLegs([]), 20_000, NOW, -2.5, newNetGreeks());
    expect(out).toEqual({ deltaBtc: -2.5, gammaBtcPerUsd: 0, vegaUsd: 0, valueUsd: 0 });
  });

  it('rejects legs that cannot be priced', () => {
    const good = legs[0] as BookLeg;
    expect(() => bookFromLegs([{ ...good, strikeUsd: 0 }])).toThrow(/leg 0 \(BTC-31MAR23-25000-C\): strikeUsd must be positive/);
    expect(() => bookFromLegs([good, { ...good, volPerYear: -0.1 }])).toThrow(/leg 1 .*volPerYear/);
    expect(() => bookFromLegs([{ ...good, qty: Number.NaN }])).toThrow(/qty must be finite/);
  });
});
