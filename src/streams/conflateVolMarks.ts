// Venue vol marks (Deribit's markprice.options.btc_usd: mark IV per series, about once a second,
// for every listed series) thinned to what one vault journals: at most one vol.marked per vault
// per second of event time, carrying the latest vol of each series the vault holds or quotes
// that moved by more than epsilon from the vol the vault has. Pure: the caller folds it over the
// marks as they come (an RxJS scan, or an array), passing the vault's legs as the vault holds
// them now; no timers, so replays of the same marks and legs give the same events.
// The first marks of a second go out at once; marks arriving later in a second whose vol.marked
// went out are held (the latest per series) and go with the first marks of a later second.
// A vol the vault cannot take (not finite, not > 0, above MAX_VOL_PER_YEAR) is never sent: it
// comes back as refused, with its reason, for the rejected-inputs store.
// Units: vol annualised (0.6 = 60%), times unix ms.
import type { VolMarked } from '../../machines/vault.types.ts';
import { volRefusal } from '../domain/volMarks.ts';
import type { MarksUpdate } from '../venues/optionsBook.ts';

/** A leg of the vault as it is now: its series and its own vol (undefined: the surface prices it). */
export interface VolLeg {
  instrument: string;
  volPerYear?: number | undefined;
}

export interface VolMarkOptions {
  /** A vol moves the vault when it differs from the leg's by more than this, per year (default 0.0005 = 0.05 vol points). */
  epsilon?: number;
  /** At most one vol.marked per this much event time, ms (default 1000: a second, counted from the epoch). */
  intervalMs?: number;
}

/** What the conflation keeps of one vault between marks. */
export interface VolMarkConflation {
  /** Window (floor(at / intervalMs)) of the last vol.marked sent; null before the first. */
  lastWindow: number | null;
  /** Latest valid vol per series of the vault, held since the last vol.marked. */
  held: ReadonlyMap<string, number>;
}

export interface RefusedVol {
  at: number;
  instrument: string;
  volPerYear: number;
  reason: string;
}

export interface VolMarkStep {
  state: VolMarkConflation;
  /** The vol.marked to dispatch to the vault now, or null. */
  event: VolMarked | null;
  refused: RefusedVol[];
}

export const VOL_MARK_EPSILON = 0.0005;
export const VOL_MARK_INTERVAL_MS = 1_000;

export const initialVolMarkConflation: VolMarkConflation = { lastWindow: null, held: new Map() };

/** Folds one marks update into the vault's conflation; `legs` are the vault's legs now. */
export function conflateVolMarks(
  state: VolMarkConflation, update: MarksUpdate, legs: readonly VolLeg[], options: VolMarkOptions = {},
): VolMarkStep {
  const epsilon = options.epsilon ?? VOL_MARK_EPSILON;
  const intervalMs = options.intervalMs ?? VOL_MARK_INTERVAL_MS;
  if (!(epsilon >= 0 && Number.isFinite(epsilon))) throw new RangeError(`vol mark epsilon must be a finite number >= 0, got ${epsilon}`);
  if (!(intervalMs > 0 && Number.isFinite(intervalMs))) throw new RangeError(`vol mark interval must be a finite number of ms > 0, got ${intervalMs}`);
  const own = new Map<string, number | undefined>();
  for (const l of legs) own.set(l.instrument, l.volPerYear);
  const held = new Map(state.held);
  const refused: RefusedVol[] = [];
  for (const m of update.marks) {
    if (!own.has(m.instrument)) continue;
    const why = volRefusal(m.markIv);
    if (why !== null) refused.push({ at: update.at, instrument: m.instrument, volPerYear: m.markIv, reason: why });
    else held.set(m.instrument, m.markIv);
  }
  const window = Math.floor(update.at / intervalMs);
  if (state.lastWindow !== null && window <= state.lastWindow) return { state: { lastWindow: state.lastWindow, held }, event: null, refused };
  const vols: VolMarked['vols'] = [];
  for (const [instrument, volPerYear] of held) {
    if (!own.has(instrument)) continue; // a series the vault no longer holds or quotes
    const mine = own.get(instrument);
    if (mine === undefined || Math.abs(volPerYear - mine) > epsilon) vols.push({ instrument, volPerYear });
  }
  if (vols.length === 0) return { state: { lastWindow: state.lastWindow, held: new Map() }, event: null, refused };
  return { state: { lastWindow: window, held: new Map() }, event: { type: 'vol.marked', at: update.at, vols }, refused };
}

/** The vol.marked events of a sequence of marks for one vault whose legs are `legsAt(k)` at the k-th update (each applied as it goes). */
export function conflateVolMarkList(
  updates: readonly MarksUpdate[], legsAt: (k: number) => readonly VolLeg[], options: VolMarkOptions = {},
): { events: VolMarked[]; refused: RefusedVol[]; state: VolMarkConflation } {
  let state = initialVolMarkConflation;
  const events: VolMarked[] = [];
  const refused: RefusedVol[] = [];
  updates.forEach((u, k) => {
    const step = conflateVolMarks(state, u, legsAt(k), options);
    state = step.state;
    if (step.event) events.push(step.event);
    refused.push(...step.refused);
  });
  return { events, refused, state };
}
