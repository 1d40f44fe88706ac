import { describe, expect, it } from 'vitest';
import { checkSurface, flatSurface, seriesVol, smileVol, type SmileSlice, type VolSurface } from '../../../src/domain/volSurface.ts';

const E1 = Date.UTC(2023, 2, 17, 8);
const E2 = Date.UTC(2023, 2, 31, 8);
const slice: SmileSlice = { expiryMs: E1, moneyness: [0.8, 0.9, 1, 1.2], volPerYear: [0.8, 0.66, 0.6, 0.7] };
const surface: VolSurface = { flatVolPerYear: 0.55, smiles: [slice] };

describe('vol surface', () => {
  it('interpolates the smile linearly in moneyness and holds it flat beyond the ends', () => {
    expect(smileVol(slice, 0.9)).toBe(0.66);
    expect(smileVol(slice, 0.95)).toBeCloseTo(0.63, 12);
    expect(smileVol(slice, 1.1)).toBeCloseTo(0.65, 12);
    expect(smileVol(slice, 0.5)).toBe(0.8);
    expect(smileVol(slice, 3)).toBe(0.7);
    expect(smileVol({ expiryMs: E1, moneyness: [1], volPerYear: [0.42] }, 0.7)).toBe(0.42);
  });

  it('gives a series its own vol first, else its expiry smile at strike / spot, else the flat vol', () => {
    expect(seriesVol(surface, { strikeUsd: 23_750, expiryMs: E1 }, 25_000)).toBeCloseTo(0.63, 12);
    expect(seriesVol(surface, { strikeUsd: 22_500, expiryMs: E1, volPerYear: 0.9 }, 25_000)).toBe(0.9);
    expect(seriesVol(surface, { strikeUsd: 22_500, expiryMs: E2 }, 25_000)).toBe(0.55);
    // Sticky moneyness: the same strike moves along the smile as spot moves.
    expect(seriesVol(surface, { strikeUsd: 22_500, expiryMs: E1 }, 22_500)).toBe(0.6);
    expect(seriesVol(flatSurface(0.7), { strikeUsd: 1, expiryMs: E1 }, 25_000)).toBe(0.7);
  });

  it('refuses a smile it cannot read, saying why', () => {
    expect(() => checkSurface(surface)).not.toThrow();
    expect(() => checkSurface({ flatVolPerYear: -1, smiles: [] })).toThrow(/flatVolPerYear must be >= 0/);
    expect(() => checkSurface({ flatVolPerYear: 0.6, smiles: [slice, slice] })).toThrow(/given twice/);
    expect(() => checkSurface({ flatVolPerYear: 0.6, smiles: [{ ...slice, volPerYear: [0.6] }] })).toThrow(/as many vols as moneyness points/);
    expect(() => checkSurface({ flatVolPerYear: 0.6, smiles: [{ ...slice, moneyness: [0.8, 0.8, 1, 1.2] }] })).toThrow(/strictly increasing/);
    expect(() => checkSurface({ flatVolPerYear: 0.6, smiles: [{ ...slice, volPerYear: [0.8, Number.NaN, 0.6, 0.7] }] })).toThrow(/vol NaN must be >= 0/);
  });
});
