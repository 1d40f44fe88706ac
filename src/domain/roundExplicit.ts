// Explicit rounding of a float quantity to an integer count of venue units (lots, ticks,
// contracts). Values within float noise of an integer snap to it first, so 81999.99999999999
// lots is 82000 whichever way it is rounded; only then does the requested direction apply.

export type Rounding = 'nearest' | 'down' | 'up';

/** Relative tolerance under which a float is taken to be exactly on an integer. */
const ON_BOUNDARY_REL = 1e-9;

/** Rounds x to an integer; values within float noise of an integer snap to it first. Never returns -0. */
export function roundExplicit(x: number, mode: Rounding): number {
  if (!Number.isFinite(x)) throw new Error(`cannot round a non-finite value: ${x}`);
  const nearest = Math.round(x);
  let r: number;
  if (Math.abs(x - nearest) <= ON_BOUNDARY_REL * Math.max(1, Math.abs(x))) r = nearest;
  else if (mode === 'down') r = Math.floor(x);
  else if (mode === 'up') r = Math.ceil(x);
  else r = nearest;
  return r === 0 ? 0 : r;
}
