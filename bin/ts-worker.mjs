// Worker-thread entry for TypeScript modules: registers tsx's loader in this thread (loader
// hooks registered in the parent do not reach worker threads on Node 20), then imports the
// module named in workerData.entry (a file URL). Used by `backtest --sweep`.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';
register();
await import(workerData.entry);
