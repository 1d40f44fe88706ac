// When a live engine commits: the shared batch at once when it is full, otherwise within
// maxBatchDelayMs of its first pending row; the urgent lane (a vault whose event just created
// a hedge order) as soon as the current synchronous burst of events is applied (setImmediate).
// Lockstep engines commit explicitly and never schedule.
export class FlushScheduler {
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;

  constructor(
    private readonly flush: () => void,
    private readonly flushUrgent: () => void,
    private readonly maxBatchDelayMs: number,
  ) {}

  /** An event was added: `full` the batch reached its row limit, `urgent` a new hedge waits on it. */
  schedule(full: boolean, urgent: boolean): void {
    if (full) { this.flushNow(); return; }
    if (urgent) {
      this.immediate ??= setImmediate(() => { this.immediate = null; this.flushUrgent(); });
    }
    this.timer ??= setTimeout(() => { this.timer = null; this.flush(); }, this.maxBatchDelayMs);
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
