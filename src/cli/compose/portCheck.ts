// The HTTP port, checked before the database is opened: a port another process holds is a
// one-line error naming --port, not a stack trace after recovery. The server's own listen
// maps the same errors (the port can be taken between the check and the listen).
import { createServer } from 'node:net';
import { CliError } from '../cliError.ts';

/** Resolves if host:port can be listened on now (port 0: any free port, always). */
export async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => reject(portInUse(err, host, port) ?? err));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** The CliError for a listen error that is the user's to fix, or null for anything else. */
export function portInUse(err: unknown, host: string, port: number): CliError | null {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  if (code === 'EADDRINUSE') return new CliError(`port ${port} on ${host} is in use: pass another --port (or set http.port)`);
  if (code === 'EACCES') return new CliError(`port ${port} on ${host} needs privileges: pass a --port above 1023`);
  if (code === 'EADDRNOTAVAIL') return new CliError(`http.host ${host} is not an address of this machine`);
  return null;
}
