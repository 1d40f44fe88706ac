// Runs async tasks one at a time, in call order. The store shares one connection, and a
// read started while a commit's transaction is open would see its uncommitted rows.
// A task given to an idle queue starts synchronously, inside run(): a commit then reaches the
// worker thread before the caller goes on, instead of a microtask later.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Tasks queued or running whose completion has not been seen yet. */
  private busy = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.busy += 1;
    const started = this.busy === 1 ? invoke(task) : this.tail.then(task);
    const result = started.finally(() => { this.busy -= 1; });
    // The next task waits for this one whether it succeeds or fails; the failure itself
    // reaches this task's caller through `result`.
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function invoke<T>(task: () => Promise<T>): Promise<T> {
  try {
    return task();
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
