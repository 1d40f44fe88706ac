import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../../src/cli/cliError.ts';
import { runCommand } from '../../fixtures/runCommand.ts';

const hull = [
  '--type', 'call', '--spot', '49', '--strike', '50', '--years', String(20 / 52), '--vol', '0.2', '--rate', '0.05',
  '--drift', '0.13', '--position', '-100000', '--rebalance-years', String(5 / 52), '--paths', '4000', '--seed', '1',
];

function run(args: string[]): Promise<string> {
  return runCommand(['mc', ...args]);
}

/** Replaces the value of --flag in the Hull args (or appends it). */
function withArg(flag: string, value: string | null): string[] {
  const args = [...hull];
  const i = args.indexOf(flag);
  if (i >= 0) {
    if (value === null) args.splice(i, 2);
    else args[i + 1] = value;
  } else if (value !== null) args.push(flag, value);
  return args;
}

afterEach(() => vi.restoreAllMocks());

describe('omm-hedger mc', () => {
  it('prints meanCost, sdCost, bsPrice and ratio as JSON with --json', async () => {
    const json = JSON.parse(await run([...hull, '--json']));
    expect(json.bsPrice).toBeCloseTo(2.4005, 4);
    expect(json.ratio).toBeCloseTo(json.sdCost / (100_000 * json.bsPrice), 12);
    // 4000 paths: SE of the ratio ~0.007, Hull 0.42
    expect(Math.abs(json.ratio - 0.42)).toBeLessThan(0.04);
    expect(json.meanCost).toBeGreaterThan(200_000);
    expect(json.meanCost).toBeLessThan(280_000);
    expect(json.input.policy).toBe('time');
  });

  it('is deterministic in the seed', async () => {
    const a = JSON.parse(await run([...hull, '--json']));
    const b = JSON.parse(await run([...hull, '--json']));
    const c = JSON.parse(await run([...withArg('--seed', '2'), '--json']));
    expect(b.sdCost).toBe(a.sdCost);
    expect(c.sdCost).not.toBe(a.sdCost);
  });

  it('prints a readable table without --json', async () => {
    const text = await run(hull);
    expect(text).toMatch(/^bsPrice\s+2\.40/m);
    expect(text).toMatch(/^ratio\s+0\.\d+/m);
  });

  it('runs the band policies with their parameters', async () => {
    const ww = JSON.parse(await run([...withArg('--paths', '500'), '--policy', 'ww', '--risk-aversion', '0.001', '--cost-bps', '5', '--json']));
    expect(Number.isFinite(ww.sdCost)).toBe(true);
    expect(ww.meanFees).toBeGreaterThan(0);
    const move = JSON.parse(await run([...withArg('--paths', '500'), '--policy', 'move', '--move-pct', '0.02', '--json']));
    expect(move.meanTrades).toBeGreaterThan(0);
  });

  it.each([
    ['a missing required option', withArg('--spot', null), /missing --spot/],
    ['a bad option type', withArg('--type', 'straddle'), /--type must be one of call\|put/],
    ['a non-number', withArg('--vol', 'abc'), /--vol must be a number/],
    ['a zero vol', withArg('--vol', '0'), /--vol must be > 0/],
    ['a zero position', withArg('--position', '0'), /--position must be non-zero/],
    ['fractional paths', withArg('--paths', '10.5'), /--paths must be an integer/],
    ['a grid step longer than the option', withArg('--rebalance-years', '1'), /--rebalance-years must be <= --years/],
    ['an unknown policy', [...hull, '--policy', 'guess'], /--policy must be one of/],
    ['ww without risk aversion', [...hull, '--policy', 'ww'], /missing --risk-aversion/],
    ['band without width', [...hull, '--policy', 'band'], /missing --band-btc/],
    ['negative costs', [...hull, '--cost-bps', '-1'], /--cost-bps must be >= 0/],
    ['too much work', withArg('--paths', '100000000').map((a) => (a === String(5 / 52) ? '1e-7' : a)), /--paths times steps/],
  ])('rejects %s with a CliError', async (_name, args, message) => {
    const err = await run(args).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toMatch(message);
  });
});
