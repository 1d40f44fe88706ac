import { describe, expect, it } from 'vitest';
import { black76, b76PriceDeltaGammaVega } from '../../../src/domain/black76.ts';
import { blackScholes, newPriceDeltaGammaVega } from '../../../src/domain/blackScholes.ts';

describe('Black-76', () => {
  it('Haug 1.1.4: F 19, K 19, T 0.75, r 10%, sigma 28% -> call = put = 1.7011', () => {
    expect(Math.abs(black76('call', 19, 19, 0.75, 0.28, 0.1).price - 1.7011)).toBeLessThanOrEqual(5e-5);
    expect(Math.abs(black76('put', 19, 19, 0.75, 0.28, 0.1).price - 1.7011)).toBeLessThanOrEqual(5e-5);
  });

  it('equals BSM on spot F with carry = rate, except rho = -T * price', () => {
    const b = black76('call', 20_000, 22_000, 0.4, 0.65, 0.04);
    const s = blackScholes('call', 20_000, 22_000, 0.4, 0.65, 0.04, 0.04);
    expect(b.price).toBe(s.price);
    expect(b.delta).toBe(s.delta);
    expect(b.vega).toBe(s.vega);
    expect(b.theta).toBe(s.theta);
    expect(b.rho).toBeCloseTo(-0.4 * b.price, 10);
    // theta of Black-76: diffusion decay plus r * price (forward held fixed).
    const h = 1e-5;
    const fd = -(black76('call', 20_000, 22_000, 0.4 + h, 0.65, 0.04).price - black76('call', 20_000, 22_000, 0.4 - h, 0.65, 0.04).price) / (2 * h);
    expect(b.theta).toBeCloseTo(fd, 4);
    const out = b76PriceDeltaGammaVega('call', 20_000, 22_000, 0.4, 0.65, 0.04, newPriceDeltaGammaVega());
    expect(out.price).toBeCloseTo(b.price, 8);
  });

  it('rejects a non-positive forward', () => {
    expect(() => black76('call', 0, 19, 0.75, 0.28)).toThrow(/forward must be a positive/);
  });
});
