// While a live tick is handed to the vaults predicted to hedge, hedge decisions go first: venue
// results that arrive meanwhile are queued (their vaults have already had the tick) and the shared
// commit is put off, so the main thread and the database serve the decisions and their lane
// entries. Ended by the driver once those are written, or by itself after maxHoldMs.
import type { VaultEvent } from '../../machines/vault.types.ts';

export interface Released {
  /** Venue results in arrival order. */
  results: { vaultId: string; events: VaultEvent[] }[];
  /** A shared commit was asked for during the hold. */
  flush: boolean;
}

export class DecisionHold {
  private held: (Released & { timer: NodeJS.Timeout }) | null = null;

  get active(): boolean { return this.held !== null; }

  /** Starts a hold (no-op if one is on); `onTimeout` ends it after maxHoldMs (ms). */
  start(maxHoldMs: number, onTimeout: () => void): void {
    if (this.held) return;
    const timer = setTimeout(onTimeout, maxHoldMs);
    timer.unref();
    this.held = { results: [], flush: false, timer };
  }

  /** Queues a venue result if a hold is on; false: apply it now. */
  queueResult(vaultId: string, events: VaultEvent[]): boolean {
    if (!this.held) return false;
    this.held.results.push({ vaultId, events });
    return true;
  }

  /** Puts off a shared commit if a hold is on; false: commit now. */
  deferFlush(): boolean {
    if (!this.held) return false;
    this.held.flush = true;
    return true;
  }

  /** Ends the hold; what was held, or null if none was on. */
  end(): Released | null {
    const h = this.held;
    if (!h) return null;
    this.held = null;
    clearTimeout(h.timer);
    return { results: h.results, flush: h.flush };
  }
}
