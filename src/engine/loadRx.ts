// rxjs on first use, not at import: its entry point loads some 400 files, a large share of a
// restart. The engine needs it only once something watches it (the dashboard, the live driver,
// a backtest's collector), so a restart reaches its committed state, and a replay nobody
// watches runs, without it. require() is synchronous and caches: every caller gets the module
// every `import ... from 'rxjs'` gets.
import { createRequire } from 'node:module';
import type * as Rx from 'rxjs';

const require = createRequire(import.meta.url);

export function loadRx(): typeof Rx {
  return require('rxjs') as typeof Rx;
}
