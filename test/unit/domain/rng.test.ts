import { describe, expect, it } from 'vitest';
import { createPrng, hashNormal, hashUniform, inverseNormalCdf, poisson } from '../../../src/domain/rng.ts';

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

/** Pearson chi-square statistic of uniforms in `bins` equal buckets. */
function chiSquare(us: number[], bins: number): number {
  const counts = new Array<number>(bins).fill(0);
  for (const u of us) counts[Math.floor(u * bins)]! += 1;
  const expected = us.length / bins;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

describe('hashUniform', () => {
  it('is a pure function of (seed, keys)', () => {
    expect(hashUniform(7, 'vault-a', 42)).toBe(hashUniform(7, 'vault-a', 42));
    expect(hashUniform(7, 'vault-a', 42)).not.toBe(hashUniform(8, 'vault-a', 42));
    expect(hashUniform(7, 'vault-a', 42)).not.toBe(hashUniform(7, 'vault-b', 42));
    expect(hashUniform(7, 'vault-a', 42)).not.toBe(hashUniform(7, 'vault-a', 43));
    // keys are typed and delimited: 1 vs '1', ('ab') vs ('a','b')
    expect(hashUniform(7, 1)).not.toBe(hashUniform(7, '1'));
    expect(hashUniform(7, 'ab')).not.toBe(hashUniform(7, 'a', 'b'));
  });

  it('is uniform on [0,1): mean, variance and 100-bucket chi-square over sequential keys', () => {
    const n = 100_000;
    const us: number[] = [];
    for (let i = 0; i < n; i++) us.push(hashUniform(12345, 'fill', i));
    expect(Math.min(...us)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...us)).toBeLessThan(1);
    const { mean, variance } = moments(us);
    // SE(mean) = sqrt(1/12/n) = 9.1e-4; 5 SE tolerance
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0046);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    // chi-square with 99 dof: mean 99, sd 14; 99.9% quantile ~148
    expect(chiSquare(us, 100)).toBeLessThan(150);
  });

  it('has no visible correlation between consecutive keys (lag-1)', () => {
    const n = 50_000;
    let s = 0;
    let prev = hashUniform(3, 0) - 0.5;
    for (let i = 1; i < n; i++) {
      const cur = hashUniform(3, i) - 0.5;
      s += prev * cur;
      prev = cur;
    }
    const corr = s / (n - 1) / (1 / 12);
    expect(Math.abs(corr)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('seeds that differ by one bit give unrelated streams', () => {
    const n = 20_000;
    let agree = 0;
    for (let i = 0; i < n; i++) if (hashUniform(1, i) < 0.5 === hashUniform(3, i) < 0.5) agree += 1;
    expect(Math.abs(agree / n - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / n));
  });
});

describe('hashNormal', () => {
  it('is deterministic and standard normal in mean, variance and tails', () => {
    expect(hashNormal(9, 'x', 1)).toBe(hashNormal(9, 'x', 1));
    const n = 100_000;
    const zs: number[] = [];
    for (let i = 0; i < n; i++) zs.push(hashNormal(99, 'z', i));
    const { mean, variance } = moments(zs);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    const beyond2 = zs.filter((z) => Math.abs(z) > 1.959964).length / n;
    expect(Math.abs(beyond2 - 0.05)).toBeLessThan(5 * Math.sqrt(0.05 * 0.95 / n));
    expect(zs.every(Number.isFinite)).toBe(true);
  });
});

describe('inverseNormalCdf', () => {
  it('matches known quantiles', () => {
    expect(inverseNormalCdf(0.5)).toBeCloseTo(0, 12);
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959963985, 7);
    expect(inverseNormalCdf(0.025)).toBeCloseTo(-1.959963985, 7);
    expect(inverseNormalCdf(1e-10)).toBeCloseTo(-6.361340902, 6);
  });
  it('rejects u outside (0,1)', () => {
    expect(() => inverseNormalCdf(0)).toThrow(RangeError);
    expect(() => inverseNormalCdf(1)).toThrow(RangeError);
  });
});

describe('poisson', () => {
  it('inverts the CDF exactly for small lambda', () => {
    // P(X=0) = e^-2 = 0.1353, P(X<=1) = 0.4060
    expect(poisson(2, 0)).toBe(0);
    expect(poisson(2, 0.13)).toBe(0);
    expect(poisson(2, 0.14)).toBe(1);
    expect(poisson(2, 0.40)).toBe(1);
    expect(poisson(2, 0.41)).toBe(2);
    expect(poisson(0, 0.99)).toBe(0);
  });

  it.each([0.3, 4, 60, 2000])('has mean and variance lambda = %s', (lambda) => {
    const n = 40_000;
    const ks: number[] = [];
    for (let i = 0; i < n; i++) ks.push(poisson(lambda, hashUniform(5, 'p', lambda, i)));
    const { mean, variance } = moments(ks);
    expect(ks.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
    expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.05);
  });

  it('rejects bad input', () => {
    expect(() => poisson(-1, 0.5)).toThrow(RangeError);
    expect(() => poisson(Number.NaN, 0.5)).toThrow(RangeError);
    expect(() => poisson(1, 1)).toThrow(RangeError);
  });
});

describe('createPrng', () => {
  it('replays the same stream from the same seed, and another from another seed', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const xa = Array.from({ length: 10 }, () => a.next());
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 10 }, () => c.next())).not.toEqual(xa);
  });

  it('gives uniforms that pass mean, variance and chi-square checks', () => {
    const g = createPrng(2024);
    const us = Array.from({ length: 200_000 }, () => g.next());
    const { mean, variance } = moments(us);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / us.length));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.0015);
    expect(chiSquare(us, 100)).toBeLessThan(150);
  });

  it('gives standard normals', () => {
    const g = createPrng(7);
    const n = 200_000;
    const zs = Array.from({ length: n }, () => g.normal());
    const { mean, variance } = moments(zs);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    const kurt = zs.reduce((s, z) => s + z ** 4, 0) / n;
    expect(Math.abs(kurt - 3)).toBeLessThan(0.1);
  });
});
