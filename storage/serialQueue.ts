// Runs async tasks one at a time, in call order. The store shares one connection, and a
// read started while a commit's transaction is open would see its uncommitted rows.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one whether it succeeds or fails; the failure itself
    // reaches this task's caller through `result`.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
