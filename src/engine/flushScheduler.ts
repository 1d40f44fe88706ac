// When a live engine writes its shared batch: at once when it is full, otherwise within
// maxBatchDelayMs of its first pending row (group commit). Hedge decisions do not wait for it
// (hedgeFirst.ts). Lockstep engines commit explicitly and never schedule.
export class FlushScheduler {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flush: () => void,
    private readonly maxBatchDelayMs: number,
  ) {}

  /** An event was added; `full`: the batch reached its row limit. */
  schedule(full: boolean): void {
    if (full) { this.flushNow(); return; }
    this.timer ??= setTimeout(() => { this.timer = null; this.flush(); }, this.maxBatchDelayMs);
  }

  private flushNow(): void {
    this.cancel();
    this.flush();
  }

  cancel(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
  }
}
