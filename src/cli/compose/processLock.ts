// One engine per database: two processes hedging from one journal would place every hedge
// twice. A lock file beside the database holds the owner's pid; a lock left by a killed
// process (pid gone) is taken over, since SIGKILL gives no chance to remove it.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { CliError } from '../cliError.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDbLock(dbPath: string): { release: () => void } {
  if (dbPath === ':memory:') return { release: () => undefined };
  const path = `${dbPath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        try { unlinkSync(path); } catch { /* already gone */ }
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new CliError(`database ${dbPath} is in use by process ${pid} (lock ${path}); stop it first`, 1);
      }
      unlinkSync(path); // stale: its owner is gone
    }
  }
  throw new CliError(`cannot take the lock ${path}`, 1);
}
