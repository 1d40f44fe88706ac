// Places a vault's committed hedge order at the venue, idempotently, and reports the outcome
// as machine events. The order's client id was assigned by the machine and committed before
// this runs, so a restart re-derives the same order: the reactor first asks the venue about
// that id and places only if the venue has never seen it. An outcome that is unknown (timeout,
// unreachable venue) is looked up again, never reported as a failure: reporting a failure for
// an order that did fill would make the machine hedge twice.
import type { HedgeOrder, VaultEvent } from '../../machines/vault.types.ts';
import {
  VenueError, type HedgeVenue, type OrderStatus,
} from '../venues/hedgeVenue.ts';

export interface HedgeReactorOptions {
  market: string;
  /** Event time for outcomes the venue does not stamp (nothing placed: unavailable). */
  now: (order: HedgeOrder) => number;
  /** Wait between look-ups of an order whose outcome is unknown or still open, ms. */
  pollMs: number;
  /** Backoff cap between look-ups while the venue is unreachable, ms. */
  maxPollMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Told whether the venue answered (for readiness). */
  onVenueReachable?: (reachable: boolean) => void;
  /** Stop retrying (engine shutting down): resolves with no events. */
  isStopped?: () => boolean;
  /** Asked right before placing: may the order go reduce-only (it can only shrink the account's position)? */
  reduceOnly?: (order: HedgeOrder) => boolean;
}

export type HedgeOutcome = { events: VaultEvent[]; placed: boolean };

function eventsFor(order: HedgeOrder, st: OrderStatus): VaultEvent[] | null {
  const id = order.clientOrderId;
  switch (st.status) {
    case 'filled':
    case 'cancelled':
      return [{ type: 'hedge.filled', at: st.updatedAt, clientOrderId: id, filledBtc: st.filledBtc, avgPriceUsd: st.avgPriceUsd, feeUsd: st.feeUsd, final: true }];
    case 'rejected':
      return [{ type: 'hedge.rejected', at: st.updatedAt, clientOrderId: id, reason: st.reason }];
    default:
      return null;
  }
}

export async function runHedge(venue: HedgeVenue, order: HedgeOrder, opts: HedgeReactorOptions): Promise<HedgeOutcome> {
  let wait = opts.pollMs;
  let placed = false;
  let acceptedSent = false;
  const extra: VaultEvent[] = [];
  for (;;) {
    if (opts.isStopped?.()) return { events: extra, placed };
    let status: OrderStatus;
    try {
      status = await venue.lookup(order.clientOrderId);
      opts.onVenueReachable?.(true);
      if (status.status === 'unknown') {
        try {
          status = await venue.placeIoc({
            clientOrderId: order.clientOrderId, market: opts.market, side: order.side, sizeBtc: order.sizeBtc,
            limitPriceUsd: order.limitPriceUsd, reduceOnly: opts.reduceOnly?.(order) ?? false, at: order.createdAt,
          });
          placed = true;
        } catch (err) {
          if (err instanceof VenueError && err.kind === 'unavailable') {
            // The port guarantees nothing was placed: a clean failure the machine may retry.
            opts.onVenueReachable?.(false);
            return { events: [...extra, { type: 'hedge.failed', at: opts.now(order), clientOrderId: order.clientOrderId, reason: err.message }], placed };
          }
          if (err instanceof VenueError && err.kind === 'rejected') {
            const reason = 'reason' in err && typeof err.reason === 'string' ? err.reason : err.message;
            return { events: [...extra, { type: 'hedge.rejected', at: opts.now(order), clientOrderId: order.clientOrderId, reason }], placed };
          }
          if (err instanceof VenueError && err.kind === 'timeout') {
            await opts.sleep(wait);
            continue; // outcome unknown: look it up
          }
          throw err;
        }
      }
    } catch (err) {
      if (err instanceof VenueError && (err.kind === 'unavailable' || err.kind === 'timeout')) {
        opts.onVenueReachable?.(false);
        await opts.sleep(wait);
        wait = Math.min(opts.maxPollMs, wait * 2);
        continue;
      }
      throw err;
    }
    const done = eventsFor(order, status);
    if (done) return { events: [...extra, ...done], placed };
    if (status.status === 'open' && !acceptedSent) {
      acceptedSent = true;
      extra.push({ type: 'hedge.accepted', at: status.updatedAt, clientOrderId: order.clientOrderId });
    }
    await opts.sleep(opts.pollMs);
  }
}
