// The `omm-hedger` command: the composition root's front door. Each subcommand lives in its
// own file under commands/ and registers itself on the program.
import { Command, CommanderError } from 'commander';
import { CliError } from './cliError.ts';
import { registerCommands } from './commands/index.ts';

// `omm-hedger journal | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command();
program
  .name('omm-hedger')
  .description('Delta-hedging engine for options market-maker vaults')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();
registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // commander already printed its message (or help/version, which exit 0).
    process.exitCode = err.exitCode;
  } else if (err instanceof CliError) {
    process.stderr.write(`omm-hedger: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`omm-hedger: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.OMM_DEBUG) console.error(err);
    process.exitCode = 1;
  }
}
