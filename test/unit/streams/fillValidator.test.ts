import { describe, expect, it } from 'vitest';
import { validateFill, validateFillJson } from '../../../src/streams/fillValidator.ts';
import type { FillValidationContext } from '../../../src/streams/fillValidator.ts';

const EXP = Date.UTC(2023, 2, 31, 8);
const AT = Date.UTC(2023, 2, 10, 12);
const ctx: FillValidationContext = {
  vaults: new Map([['v1', { instruments: new Map([['BTC-31MAR23-25000-C', { expiryMs: EXP }]]) }]]),
};
const good = { fillId: 'f1', vault: 'v1', instrument: 'BTC-31MAR23-25000-C', side: 'sell', qty: 1.5, price: 812.5, at: AT };
const reasonOf = (raw: unknown): string => {
  const v = validateFill(raw, ctx, 'test', 7);
  return v.ok ? 'ok' : v.rejected.reason;
};

describe('validateFill', () => {
  it('accepts a valid fill and maps it to FillInput', () => {
    expect(validateFill(good, ctx, 'test', 7)).toEqual({
      ok: true,
      value: { fillId: 'f1', vaultId: 'v1', instrument: 'BTC-31MAR23-25000-C', side: 'sell', qty: 1.5, priceUsd: 812.5, at: AT, source: 'test', offset: 7 },
    });
  });
  it('accepts aliases, ISO times and unix seconds', () => {
    const { vault: _v, price: _p, ...rest } = good;
    expect(reasonOf({ ...rest, vaultId: 'v1', priceUsd: 1 })).toBe('ok');
    const iso = validateFill({ ...good, at: '2023-03-10T12:00:00Z' }, ctx, 's', null);
    expect(iso.ok && iso.value.at).toBe(AT);
    const secs = validateFill({ ...good, at: AT / 1000 }, ctx, 's', null);
    expect(secs.ok && secs.value.at).toBe(AT);
  });
  it('rejects each kind of bad fill with its reason', () => {
    expect(reasonOf({ ...good, vault: 'nope' })).toBe('unknown-vault');
    expect(reasonOf({ ...good, instrument: 'BTC-31MAR23-99000-C' })).toBe('unknown-instrument');
    expect(reasonOf({ ...good, at: EXP })).toBe('expired-instrument');
    expect(reasonOf({ ...good, at: EXP + 1 })).toBe('expired-instrument');
    expect(reasonOf({ ...good, qty: 0 })).toBe('bad-qty');
    expect(reasonOf({ ...good, qty: -1 })).toBe('bad-qty');
    expect(reasonOf({ ...good, qty: '1' })).toBe('bad-qty');
    expect(reasonOf({ ...good, qty: Number.NaN })).toBe('bad-qty');
    expect(reasonOf({ ...good, side: 'long' })).toBe('bad-side');
    expect(reasonOf({ ...good, price: 0 })).toBe('bad-price');
    expect(reasonOf({ ...good, at: 'yesterday' })).toBe('bad-time');
    expect(reasonOf({ ...good, at: 1e300 })).toBe('bad-time');
    expect(reasonOf({ ...good, at: 0 })).toBe('bad-time');
    expect(reasonOf({ ...good, fillId: 42 })).toBe('bad-field');
    expect(reasonOf({ ...good, fillId: '' })).toBe('bad-field');
    const { side: _s, ...noSide } = good;
    expect(reasonOf(noSide)).toBe('missing-field');
    const { at: _a, ...noAt } = good;
    expect(reasonOf(noAt)).toBe('missing-field');
    expect(reasonOf(null)).toBe('not-an-object');
    expect(reasonOf([good])).toBe('not-an-object');
    expect(reasonOf('x')).toBe('not-an-object');
  });
  it('rejections keep source, offset, time and a truncated payload', () => {
    const v = validateFill({ ...good, vault: 'nope', junk: 'x'.repeat(5000) }, ctx, 'src', 3);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.rejected).toMatchObject({ source: 'src', reason: 'unknown-vault', at: AT, offset: 3 });
      expect(v.rejected.payload.length).toBe(2048);
      expect(v.rejected.detail).toMatch(/nope/);
    }
  });
  it('validateFillJson rejects malformed JSON', () => {
    const v = validateFillJson('{"fillId": ', ctx, 'j', 0);
    expect(!v.ok && v.rejected.reason).toBe('malformed-json');
    expect(validateFillJson(JSON.stringify(good), ctx, 'j', 0).ok).toBe(true);
  });
});
