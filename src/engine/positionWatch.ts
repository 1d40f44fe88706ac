// Reconciliation while running: every `everyMs` (wall clock) the venue's position is compared
// with the vaults' committed perp positions. Orders in flight may have traded any part of what
// they have left, so they widen what fits; a read during which the engine committed anything
// is skipped (the two sides would be of different moments). A difference that does not fit
// halts every vault on the venue, with both numbers in the reason.
import { positionFits } from '../domain/accountExposure.ts';
import { VenueError, type HedgeVenue } from '../venues/hedgeVenue.ts';
import type { Engine } from './engine.ts';
import type { Logger } from './engineTypes.ts';

export interface PositionCheck { venueBtc: number; vaultsBtc: number; inFlightBuyBtc: number; inFlightSellBtc: number; ok: boolean }

/** One comparison; null when committed state moved during the read. */
export async function checkPosition(engine: Engine, venue: HedgeVenue, market: string): Promise<PositionCheck | null> {
  const before = engine.exposure();
  const pos = await venue.position(market);
  if (engine.exposure().commits !== before.commits) return null;
  const { accountBtc, inFlight } = before;
  return { venueBtc: pos.sizeBtc, vaultsBtc: accountBtc, inFlightBuyBtc: inFlight.buyBtc, inFlightSellBtc: inFlight.sellBtc, ok: positionFits(pos.sizeBtc, accountBtc, inFlight) };
}

/** Halts every vault not halted yet; resolves once the halts are committed. */
export async function haltAll(engine: Engine, reason: string, at: number): Promise<void> {
  for (const id of engine.vaultIds()) {
    if (engine.committedOf(id)?.state !== 'halted') engine.dispatch(id, { type: 'control.pause', at, reason });
  }
  await engine.commit();
}

export function mismatchReason(c: Pick<PositionCheck, 'venueBtc' | 'vaultsBtc'>): string {
  return `reconcile: venue ${c.venueBtc} BTC vs vaults ${c.vaultsBtc} BTC`;
}

export interface PositionWatchOptions {
  everyMs: number;
  /** Event time for the halts (the newest event time seen). */
  eventTime: () => number;
  log: Logger;
  /** A failure that is not the venue's (a bug): the run must stop. */
  onFatal: (err: unknown) => void;
}

export function watchPosition(engine: Engine, venue: HedgeVenue, market: string, o: PositionWatchOptions): { stop: () => Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const round = async (): Promise<void> => {
    try {
      const c = await checkPosition(engine, venue, market);
      if (stopped || c === null || c.ok) return;
      o.log.error(c, 'venue position does not match the vaults: halting every vault until an operator resumes');
      await haltAll(engine, mismatchReason(c), o.eventTime());
    } catch (err) {
      // A venue that does not answer now is checked again next round.
      if (err instanceof VenueError) o.log.warn({ err: err.message }, 'position check skipped: venue did not answer');
      else o.onFatal(err);
    }
  };
  const timer = setInterval(() => { running = running.then(round); }, o.everyMs);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
