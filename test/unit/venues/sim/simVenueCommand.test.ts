// The sim-venue subcommand's option handling (bad input -> CliError before anything starts).
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../../src/cli/cliError.ts';
import { parseOutage, register } from '../../../../src/cli/commands/simVenue.ts';

async function parse(args: string[]): Promise<unknown> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  register(program);
  return program.parseAsync(['node', 'omm-hedger', 'sim-venue', ...args]).catch((e: unknown) => e);
}

describe('sim-venue command', () => {
  it('parses outage windows in unix ms or ISO', () => {
    expect(parseOutage('1000-2000')).toEqual({ fromMs: 1000, toMs: 2000 });
    expect(parseOutage('2023-03-02T00:00:00Z/2023-03-02T01:00:00Z')).toEqual({ fromMs: Date.parse('2023-03-02T00:00:00Z'), toMs: Date.parse('2023-03-02T01:00:00Z') });
    expect(() => parseOutage('2000-1000')).toThrow(CliError);
    expect(() => parseOutage('soon')).toThrow(CliError);
  });

  it('refuses bad numbers with a one-line CliError', async () => {
    const cases: [string[], RegExp][] = [
      [['--port', 'x', '--db', ':memory:'], /bad --port x/],
      [['--port', '0', '--db', ':memory:', '--reject-prob', '1.5'], /bad --reject-prob 1.5/],
      [['--port', '0', '--db', ':memory:', '--levels', '2.5'], /bad --levels 2.5: want an integer/],
      [['--port', '0', '--db', ':memory:', '--outage', 'later'], /bad --outage later/],
      [['--port', '0', '--db', ':memory:', '--answer-delay-ms', '-1'], /bad --answer-delay-ms/],
      [['--port', '0', '--db', ':memory:', '--prices', '/nonexistent/prices.csv'], /price file \/nonexistent\/prices.csv does not exist/],
    ];
    for (const [args, msg] of cases) {
      const err = await parse(args);
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).message).toMatch(msg);
    }
  });

  it('requires --port and --db', async () => {
    const err = await parse(['--port', '0']);
    expect(err).toMatchObject({ code: 'commander.missingMandatoryOptionValue' });
  });
});
