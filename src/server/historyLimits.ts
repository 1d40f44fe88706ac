// Keeps history answers small: a week-long run has far more points than a chart can show.
import { HttpError } from './httpJson.ts';

/** A positive integer query parameter, or the default when absent. */
export function parseLimit(raw: string | null, dflt: number): number {
  if (raw === null) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new HttpError(400, 'bad request', `limit must be an integer in 1..1000000, got '${raw}'`);
  return n;
}

/** At most max items, evenly strided over the whole span, always keeping the newest. */
export function thinPoints<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  const stride = (points.length - 1) / (max - 1 || 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * stride)] as T);
  out[out.length - 1] = points[points.length - 1] as T;
  return out;
}
