import { describe, expect, it } from 'vitest';
import { formatInstrument, parseInstrument, type OptionKind } from '../../../src/domain/instrument.ts';
import type { BookLeg } from '../../../src/domain/bookGreeks.ts';
import type { OptionKind as MachineOptionKind, OptionLeg } from '../../../machines/vault.types.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

describe('Deribit instrument names', () => {
  it('parses BTC-31MAR23-25000-C with expiry at 08:00 UTC and a 1 BTC contract', () => {
    expect(parseInstrument('BTC-31MAR23-25000-C')).toEqual({
      underlying: 'BTC',
      expiryMs: Date.parse('2023-03-31T08:00:00Z'),
      strikeUsd: 25_000,
      kind: 'call',
      contractSize: 1,
    });
    const put = parseInstrument('BTC-3MAR23-21500-P');
    expect(put.kind).toBe('put');
    expect(put.expiryMs).toBe(Date.parse('2023-03-03T08:00:00Z'));
    expect(parseInstrument('XRP_USDC-29FEB24-0d625-C').strikeUsd).toBe(0.625);
  });

  it('formats without a leading zero on the day, like Deribit', () => {
    expect(formatInstrument({ underlying: 'BTC', expiryMs: Date.parse('2023-03-03T08:00:00Z'), strikeUsd: 21_500, kind: 'put' }))
      .toBe('BTC-3MAR23-21500-P');
    expect(formatInstrument(parseInstrument('BTC-31MAR23-25000-C'))).toBe('BTC-31MAR23-25000-C');
    expect(formatInstrument(parseInstrument('XRP_USDC-29FEB24-0d625-C'))).toBe('XRP_USDC-29FEB24-0d625-C');
  });

  it.each([
    ['BTC-31MAR23-25000', /expected 4 dash-separated parts/],
    ['BTC-31MAR23-25000-C-X', /expected 4 dash-separated parts/],
    ['-31MAR23-25000-C', /underlying '' is missing/],
    ['btc-31MAR23-25000-C', /underlying 'btc'/],
    ['BTC--25000-C', /expiry is missing/],
    ['BTC-31MAR23--C', /strike is missing/],
    ['BTC-31MRZ23-25000-C', /bad month 'MRZ'/],
    ['BTC-31APR23-25000-C', /day 31 does not exist in APR 2023 \(30 days\)/],
    ['BTC-29FEB23-25000-C', /day 29 does not exist in FEB 2023 \(28 days\)/],
    ['BTC-0MAR23-25000-C', /day 0 does not exist/],
    ['BTC-03MAR23-25000-C', /leading zero/],
    ['BTC-31MAR2023-25000-C', /not DMMMYY/],
    ['BTC-31MAR23-25k-C', /strike '25k' is not a number/],
    ['BTC-31MAR23-0-C', /strike '0' must be positive/],
    ['BTC-31MAR23-25000-X', /option type 'X' must be C or P/],
  ])('rejects %s saying what is wrong', (name, message) => {
    expect(() => parseInstrument(name)).toThrow(message);
  });

  it('refuses to format an expiry that is not 08:00 UTC', () => {
    expect(() => formatInstrument({ underlying: 'BTC', expiryMs: Date.parse('2023-03-03T09:00:00Z'), strikeUsd: 1, kind: 'call' }))
      .toThrow(/not 08:00 UTC/);
  });

  it('OptionKind and the leg shape are the same as the machine types', () => {
    const sameKind: Equal<OptionKind, MachineOptionKind> = true;
    const sameLeg: Equal<BookLeg, OptionLeg> = true;
    expect(sameKind && sameLeg).toBe(true);
  });
});
