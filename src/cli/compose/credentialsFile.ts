// Reads a venue credentials file (JSON) the way a secret must be read: refused when group or
// others may read or write it, and no error ever quotes its contents (JSON.parse's message
// would). Venue adapters check the shape; this only guarantees the secret arrived safely.
import { readFileSync, statSync } from 'node:fs';
import { CliError } from '../cliError.ts';

/** Group/other permission bits: any of them set means someone else may read the secret. */
const FOREIGN_PERMISSION_BITS = 0o077;

export function loadCredentialsFile(path: string, what = 'credentials file'): unknown {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (e) {
    throw new CliError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, 1);
  }
  if ((mode & FOREIGN_PERMISSION_BITS) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, '0');
    throw new CliError(`${what} ${path} is accessible by group or others (mode ${octal}); run: chmod 600 ${path}`, 1);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, 1);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${what} ${path} is not valid JSON`, 1);
  }
}
