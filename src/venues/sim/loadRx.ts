// rxjs on first use, not at import (the engine has the same helper: venues do not import it):
// its entry point loads some 400 files. The simulated venue streams fills only to whoever asks
// for them (the sim-venue server, tests), so an in-process venue opens without it.
// require() is synchronous and caches: callers share the module `import` would give.
import { createRequire } from 'node:module';
import type * as Rx from 'rxjs';

const require = createRequire(import.meta.url);

export function loadRx(): typeof Rx {
  return require('rxjs') as typeof Rx;
}
