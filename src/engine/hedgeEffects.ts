// The hedge effects of an engine: one reactor per committed in-flight order (never two for
// the same client order id), each answering with machine events once the venue has spoken.
import type { HedgeOrder, VaultEvent } from '../../machines/vault.types.ts';
import type { HedgeVenue } from '../venues/hedgeVenue.ts';
import { runHedge } from './hedgeReactor.ts';

export interface HedgeEffectsOptions {
  venue: HedgeVenue;
  market: string;
  /** Event time for outcomes the venue does not stamp. */
  now: (order: HedgeOrder) => number;
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Fault injection (chaos tests): wall-clock pause before placing and before reporting, ms. */
  effectDelayMs: number;
  onVenueReachable: (reachable: boolean) => void;
  isStopped: () => boolean;
  /** Whether a vault's order may go reduce-only (decided from committed state when it is placed). */
  reduceOnly: (vaultId: string, order: HedgeOrder) => boolean;
  /** The reactor's answer, as events for the vault. */
  deliver: (vaultId: string, events: VaultEvent[]) => void;
  /** A reactor failed outside the venue's typed errors: the engine must stop. */
  fail: (err: unknown) => void;
}

export class HedgeEffects {
  private readonly active = new Map<string, Promise<void>>();

  constructor(private readonly opts: HedgeEffectsOptions) {}

  /** Starts the reactor for an order unless one is already running for its client order id. */
  ensure(vaultId: string, order: HedgeOrder): void {
    const id = order.clientOrderId;
    if (this.active.has(id)) return;
    const o = this.opts;
    const pause = (): Promise<void> => (o.effectDelayMs > 0 ? o.sleep(o.effectDelayMs) : Promise.resolve());
    const p = pause().then(() => runHedge(o.venue, order, {
      market: o.market, now: o.now, pollMs: o.pollMs, maxPollMs: 5_000, sleep: o.sleep,
      onVenueReachable: o.onVenueReachable, isStopped: o.isStopped, reduceOnly: (ord) => o.reduceOnly(vaultId, ord),
    })).then(async ({ events }) => {
      await pause();
      o.deliver(vaultId, events);
    }).catch((err: unknown) => o.fail(err))
      .finally(() => { this.active.delete(id); });
    this.active.set(id, p);
  }

  get size(): number { return this.active.size; }

  /** Resolves when no reactor is running (their events delivered, not yet committed). */
  async settle(): Promise<void> {
    while (this.active.size > 0) await Promise.all([...this.active.values()]);
  }
}
