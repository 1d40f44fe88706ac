// Feed staleness: no valid tick for maxAgeMs makes the feed stale (vaults pull quotes and
// stop new hedges); the next valid tick recovers it. The event-time tracker of the replay
// driver (the live driver keeps a wall-clock timer of its own).

export interface StalenessSignal {
  type: 'feed.stale' | 'feed.recovered';
  /** Event time, unix ms: lastTickAt + maxAgeMs for stale, the tick's time for recovered. */
  at: number;
}

export class StalenessTracker {
  private lastTickAt: number | null = null;
  private stale = false;

  constructor(readonly maxAgeMs: number) {
    if (!(maxAgeMs > 0) || !Number.isFinite(maxAgeMs)) throw new Error(`maxAgeMs must be > 0, got ${maxAgeMs}`);
  }

  get isStale(): boolean {
    return this.stale;
  }

  /** Time at which the feed goes stale if no valid tick arrives (null before the first tick or while stale). */
  get staleAt(): number | null {
    return this.lastTickAt === null || this.stale ? null : this.lastTickAt + this.maxAgeMs;
  }

  /**
   * A valid tick at `at`. Returns the signals due: a 'feed.stale' that fell due before this
   * tick (if advanceTo was not called in between), then 'feed.recovered' if it was stale.
   * Lockstep use: call advanceTo(e.at) for every non-tick event and timer, observe(t.at) for ticks.
   */
  observe(at: number): StalenessSignal[] {
    // A tick exactly at the deadline keeps the feed fresh; one after it first reports stale.
    const due = this.staleAt;
    const out: StalenessSignal[] = [];
    if (due !== null && at > due) out.push(...this.advanceTo(due));
    if (this.lastTickAt !== null && at < this.lastTickAt) throw new Error(`StalenessTracker: tick at ${at} before last ${this.lastTickAt}`);
    this.lastTickAt = at;
    if (this.stale) {
      this.stale = false;
      out.push({ type: 'feed.recovered', at });
    }
    return out;
  }

  /** Event time moved to `at` without a tick: returns 'feed.stale' if it fell due (at >= lastTickAt + maxAgeMs). */
  advanceTo(at: number): StalenessSignal[] {
    const due = this.staleAt;
    if (due !== null && at >= due) {
      this.stale = true;
      return [{ type: 'feed.stale', at: due }];
    }
    return [];
  }
}
