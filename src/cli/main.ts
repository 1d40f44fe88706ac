// The `omm-hedger` command: the composition root's front door. Exit codes: 0 done, 2 bad input
// (usage errors, bad values, files that are missing), 1 a failed check or run. Errors are
// printed as `omm-hedger: <what is wrong>`, never as a stack trace (OMM_DEBUG=1 adds one).
import { CommanderError } from 'commander';
import { CliError } from './cliError.ts';
import { buildProgram } from './program.ts';

// `omm-hedger journal | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

/** commander's outcomes that are not errors: help or the version, asked for. */
const ASKED = new Set(['commander.helpDisplayed', 'commander.version']);

const args = process.argv.slice(2);
try {
  const program = await buildProgram(args);
  await program.parseAsync(args, { from: 'user' });
} catch (err) {
  if (err instanceof CommanderError) {
    // commander has printed it (the usage line, or help and version, which are no errors).
    process.exitCode = ASKED.has(err.code) ? 0 : 2;
  } else if (err instanceof CliError) {
    process.stderr.write(`omm-hedger: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`omm-hedger: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.OMM_DEBUG) console.error(err);
    process.exitCode = 1;
  }
}
