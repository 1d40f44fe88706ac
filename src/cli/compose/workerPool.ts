// A fixed pool of worker threads running one kind of task, one task per worker at a time, in
// submission order. From sources, workers start through bin/ts-worker.mjs (it registers the
// TypeScript loader in the thread); from the compiled CLI (dist/, no tsx installed) the entry's
// compiled .js starts directly. Workers serve tasks with serveWorkerTasks. A task that throws in a worker
// rejects its promise with the worker's message; a worker that dies (uncaught error, exit)
// fails every task still pending: nothing is retried behind the caller's back.
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';

const BOOTSTRAP = new URL('../../../bin/ts-worker.mjs', import.meta.url);
/** This module runs compiled (dist/*.js), so entries named *.ts are found as *.js beside it. */
const COMPILED = import.meta.url.endsWith('.js');

/** The file a worker thread starts, and whether it needs the TypeScript loader first. */
export function workerStart(entry: URL, compiled = COMPILED): { file: string; viaBootstrap: boolean } {
  if (!compiled) return { file: fileURLToPath(BOOTSTRAP), viaBootstrap: true };
  return { file: fileURLToPath(new URL(entry.href.replace(/\.ts$/, '.js'))), viaBootstrap: false };
}

type Reply<Res> = { id: number; ok: true; res: Res } | { id: number; ok: false; error: string };
interface Task<Req, Res> { id: number; req: Req; resolve: (r: Res) => void; reject: (e: Error) => void }

export class WorkerPool<Req, Res> {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Task<Req, Res>[] = [];
  private readonly running = new Map<Worker, Task<Req, Res>>();
  private nextId = 1;
  private failed: Error | null = null;
  private closing = false;

  /** `entry`: the worker module (it calls serveWorkerTasks); `data`: its workerData.data. */
  constructor(entry: URL, size: number, data: unknown) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`worker pool size must be an integer >= 1, got ${size}`);
    const start = workerStart(entry);
    for (let i = 0; i < size; i++) {
      const w = new Worker(start.file, { workerData: { entry: entry.href, data } });
      w.on('message', (m: Reply<Res>) => this.onReply(w, m));
      w.on('error', (err) => this.fail(err instanceof Error ? err : new Error(String(err))));
      w.on('exit', (code) => { if (!this.closing) this.fail(new Error(`worker thread exited (code ${code}) with work pending`)); });
      this.all.push(w);
      this.idle.push(w);
    }
  }

  run(req: Req): Promise<Res> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, req, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.all.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop() as Worker;
      const t = this.queue.shift() as Task<Req, Res>;
      this.running.set(w, t);
      w.postMessage({ id: t.id, req: t.req });
    }
  }

  private onReply(w: Worker, m: Reply<Res>): void {
    const t = this.running.get(w);
    if (!t || t.id !== m.id) { this.fail(new Error(`worker answered task ${m.id}, which it was not running`)); return; }
    this.running.delete(w);
    this.idle.push(w);
    if (m.ok) t.resolve(m.res);
    else t.reject(new Error(m.error));
    this.pump();
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    for (const t of [...this.running.values(), ...this.queue]) t.reject(err);
    this.running.clear();
    this.queue.length = 0;
  }
}

/** In a worker started by WorkerPool: answers each task with `handle` (one at a time, as the pool sends them). */
export function serveWorkerTasks<Req, Res>(handle: (req: Req) => Promise<Res>): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerTasks: not in a worker thread');
  port.on('message', (m: { id: number; req: Req }) => {
    handle(m.req).then(
      (res) => port.postMessage({ id: m.id, ok: true, res } satisfies Reply<Res>),
      (err: unknown) => port.postMessage({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies Reply<Res>),
    );
  });
}
