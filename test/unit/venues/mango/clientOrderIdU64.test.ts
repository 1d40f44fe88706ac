import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clientOrderIdBn, clientOrderIdU64 } from '../../../../src/venues/mango/clientOrderIdU64.ts';

describe('clientOrderIdU64', () => {
  it('is the first 8 bytes of SHA-256, big-endian (recorded vectors)', () => {
    // sha256("vault-1") starts b57d8b0d05408229; sha256("btc-vault-42") starts 7d2ba0d6be8be8a7.
    expect(clientOrderIdU64('vault-1')).toBe(BigInt('0xb57d8b0d05408229').toString());
    expect(clientOrderIdU64('vault-1')).toBe('13077761780992737833');
    expect(clientOrderIdU64('btc-vault-42')).toBe('9019479522919835815');
    expect(clientOrderIdU64('vault-1')).toBe(clientOrderIdU64('vault-1'));
    expect(clientOrderIdU64('vault-1')).not.toBe(clientOrderIdU64('vault-2'));
  });

  it('property: always a non-zero u64, deterministic, and the BN agrees', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 60 }), (id) => {
      const s = clientOrderIdU64(id);
      const n = BigInt(s);
      expect(n > 0n && n < 2n ** 64n).toBe(true);
      expect(clientOrderIdU64(id)).toBe(s);
      expect(clientOrderIdBn(id).toString(10)).toBe(s);
    }));
  });

  it('refuses an empty id', () => {
    expect(() => clientOrderIdU64('')).toThrow(/empty/);
  });
});
