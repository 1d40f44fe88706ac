import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../../src/cli/cliError.ts';
import { parseNumberOption, parseOptionalNumber } from '../../../src/cli/parseNumber.ts';
import { runCommand } from '../../fixtures/runCommand.ts';

function run(...args: string[]): Promise<string> {
  return runCommand(args);
}

async function failure(...args: string[]): Promise<CliError> {
  const err: unknown = await run(...args).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CliError);
  const cliErr = err as CliError;
  expect(cliErr.message).not.toContain('\n');
  return cliErr;
}

afterEach(() => vi.restoreAllMocks());

const HULL = ['--type', 'call', '--spot', '49', '--strike', '50', '--years', '0.3846', '--rate', '0.05'];

describe('omm-hedger greeks / iv', () => {
  it('greeks --json prints Hull\'s example', async () => {
    const r = JSON.parse(await run('greeks', ...HULL, '--vol', '0.2', '--json')) as Record<string, number | string>;
    expect(r.type).toBe('call');
    expect(r.price).toBeCloseTo(2.4005, 4);
    expect(r.delta).toBeCloseTo(0.5216, 4);
    expect(r.gamma).toBeCloseTo(0.0655, 4);
    expect(r.vega).toBeCloseTo(12.105, 3);
    expect(r.theta).toBeCloseTo(-4.305, 3);
    expect(r.rho).toBeCloseTo(8.907, 3);
  });

  it('greeks prints a readable table with units', async () => {
    const text = await run('greeks', ...HULL, '--vol', '0.2');
    expect(text).toMatch(/^price\s+2\.40046108/m);
    expect(text).toMatch(/^theta\s+-4\.30538996\d*\s+\(per year\)/m);
    expect(text).toMatch(/^vega\s+12\.105242\d*\s+\(per 1\.00 vol\)/m);
  });

  it('iv inverts the greeks price (text and JSON), with carry', async () => {
    const r = JSON.parse(await run('iv', '--type', 'put', '--spot', '100', '--strike', '95', '--years', '0.5',
      '--rate', '0.1', '--carry', '0.05', '--price', '2.464787646755827', '--json')) as { vol: number };
    expect(r.vol).toBeCloseTo(0.2, 12);
    expect(await run('iv', ...HULL, '--price', '2.4004610869656595')).toMatch(/^implied vol 0\.2 /);
  });

  it.each([
    [['greeks', '--type', 'call', '--spot', '-1', '--strike', '50', '--years', '1', '--vol', '0.2'], /--spot must be > 0, got -1/],
    [['greeks', '--type', 'call', '--spot', '49', '--strike', '50', '--years', '-0.1', '--vol', '0.2'], /--years must be >= 0, got -0.1/],
    [['greeks', '--type', 'call', '--spot', '49', '--strike', '50', '--years', '1'], /missing --vol/],
    [['greeks', '--spot', '49', '--strike', '50', '--years', '1', '--vol', '0.2'], /missing --type \(call\|put\)/],
    [['greeks', '--type', 'straddle', '--spot', '49', '--strike', '50', '--years', '1', '--vol', '0.2'], /--type must be one of call\|put/],
    [['greeks', '--type', 'call', '--spot', 'abc', '--strike', '50', '--years', '1', '--vol', '0.2'], /--spot must be a number, got 'abc'/],
    [['iv', '--type', 'call', '--spot', '49', '--strike', '50', '--years', '1'], /missing --price/],
    [['iv', '--type', 'call', '--spot', '49', '--strike', '50', '--years', '0', '--price', '1'], /--years must be > 0/],
    [['iv', '--type', 'call', '--spot', '49', '--strike', '50', '--years', '1', '--price', '60'], /upper no-arbitrage bound/],
    [['iv', '--type', 'put', '--spot', '49', '--strike', '50', '--years', '1', '--price', '0.5'], /below the lower no-arbitrage bound/],
  ])('bad input %j -> one-line CliError', async (args, message) => {
    expect((await failure(...args)).message).toMatch(message);
  });

  it('parseNumber is strict about syntax and ranges', () => {
    expect(parseNumberOption('x', '1e-3')).toBe(0.001);
    expect(parseNumberOption('x', ' 2.5 ')).toBe(2.5);
    expect(parseOptionalNumber('x', undefined, 7)).toBe(7);
    for (const bad of ['', '0x10', '1_000', '1e999', 'NaN', '--1']) expect(() => parseNumberOption('x', bad)).toThrow(CliError);
    expect(() => parseNumberOption('n', '2.5', { integer: true })).toThrow(/--n must be an integer/);
    expect(() => parseNumberOption('r', '2', { min: -1, max: 1 })).toThrow(/--r must be >= -1 and <= 1, got 2/);
  });
});
