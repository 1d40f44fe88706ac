import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatInstrument, parseInstrument } from '../../src/domain/instrument.ts';

const DAY_MS = 86_400_000;

describe('instrument names', () => {
  it('format then parse is the identity, and so is parse then format', () => {
    fc.assert(fc.property(
      fc.constantFrom('BTC', 'ETH', 'SOL', 'XRP_USDC'),
      fc.integer({ min: Date.UTC(2000, 0, 1) / DAY_MS, max: Date.UTC(2099, 11, 31) / DAY_MS }),
      fc.oneof(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 99_999 }).map((n) => n / 1000)),
      fc.constantFrom('call' as const, 'put' as const),
      (underlying, day, strikeUsd, kind) => {
        const inst = { underlying, expiryMs: day * DAY_MS + 8 * 3_600_000, strikeUsd, kind };
        const name = formatInstrument(inst);
        expect(name).toMatch(/^[A-Z_]+-[1-9]\d?[A-Z]{3}\d{2}-\d+(d\d+)?-[CP]$/);
        expect(parseInstrument(name)).toEqual({ ...inst, contractSize: 1 });
        expect(formatInstrument(parseInstrument(name))).toBe(name);
      },
    ), { numRuns: 500 });
  });
});
