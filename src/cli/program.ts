// The `omm-hedger` program: every command listed, only the one being run loaded (see
// commands/index.ts), and commander's usage errors turned into one line each.
import { Command } from 'commander';
import { COMMANDS } from './commands/index.ts';

export const VERSION = '0.1.0';

/** The subcommand named on the command line (`help X` names X), if any. */
export function invokedCommand(args: readonly string[]): string | undefined {
  const i = args.findIndex((a) => !a.startsWith('-'));
  if (i < 0) return undefined;
  return args[i] === 'help' ? args[i + 1] : args[i];
}

/** commander's message ("error: unknown option '--x'", maybe with a second line) as one line. */
export function usageLine(message: string, command: string | undefined): string {
  const text = message.replace(/^error: /, '').replace(/\(Did you mean/, '(did you mean').split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ');
  const known = command !== undefined && COMMANDS.some((c) => c.name === command);
  return `omm-hedger: ${text} (see omm-hedger ${known ? `${command} ` : ''}--help)`;
}

/** Builds the program for these arguments (process.argv.slice(2)); parse it with the same. */
export async function buildProgram(args: readonly string[]): Promise<Command> {
  const wanted = invokedCommand(args);
  const program = new Command()
    .name('omm-hedger')
    .description('Delta-hedging engine for options market-maker vaults')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(`${usageLine(message, wanted)}\n`) });
  for (const entry of COMMANDS) {
    if (entry.name === wanted) (await entry.load()).register(program);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}
