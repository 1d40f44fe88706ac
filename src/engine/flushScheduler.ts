// When a live engine commits its pending batch: at once when the batch is full; as soon as
// the current synchronous burst of events is applied when a hedge waits on the commit
// (setImmediate: the other vaults' ticks of the same price share that commit); otherwise
// within maxBatchDelayMs. Lockstep engines commit explicitly and never schedule.
export class FlushScheduler {
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;

  constructor(
    private readonly flush: () => void,
    private readonly maxBatchDelayMs: number,
  ) {}

  /** An event was added: `full` the batch reached its row limit, `urgent` a new hedge waits on it. */
  schedule(full: boolean, urgent: boolean): void {
    if (full) { this.flushNow(); return; }
    if (urgent) {
      this.immediate ??= setImmediate(() => this.flushNow());
      return;
    }
    if (this.timer || this.immediate) return;
    this.timer = setTimeout(() => this.flushNow(), this.maxBatchDelayMs);
  }

  flushNow(): void {
    this.cancel();
    this.flush();
  }

  cancel(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (this.immediate) { clearImmediate(this.immediate); this.immediate = null; }
  }
}
