// Venue vol marks (Deribit's mark IV per series) as a vault's vols: what makes one acceptable.
// A series' venue vol becomes that leg's own vol (volSurface.ts: a series' own vol wins over the
// surface), so a bad one would misprice every greek, band and quote of the vault: it is refused,
// as a value with its reason, never thrown and never clamped.
// Units: vol annualised, a decimal (0.6 = 60% a year).

/**
 * Above this an annualised vol is implausible for BTC options (most likely a percentage typed as
 * a decimal): config files and commands refuse it, and so does the vault for a venue mark.
 */
export const MAX_VOL_PER_YEAR = 5;

/** A series' vol as the venue marks it. */
export interface SeriesVol {
  /** Series name, Deribit convention: BTC-27JUN25-60000-C. */
  instrument: string;
  volPerYear: number;
}

/** Why `volPerYear` cannot be a series' vol (not finite, not > 0, above the maximum), or null when it can. */
export function volRefusal(volPerYear: number, maxVolPerYear = MAX_VOL_PER_YEAR): string | null {
  if (!Number.isFinite(volPerYear)) return `vol ${volPerYear} is not a finite number`;
  if (!(volPerYear > 0)) return `vol ${volPerYear} is not above 0`;
  if (volPerYear > maxVolPerYear) return `vol ${volPerYear} is above the maximum ${maxVolPerYear} (a decimal: 0.6 = 60% a year)`;
  return null;
}

/** Why a set of venue vols cannot be applied (the first bad one, by series), or null when every one can. */
export function volMarksRefusal(vols: readonly SeriesVol[], maxVolPerYear = MAX_VOL_PER_YEAR): string | null {
  for (const v of vols) {
    if (typeof v.instrument !== 'string' || v.instrument === '') return `a vol mark without a series name: ${JSON.stringify(v)}`;
    const why = volRefusal(v.volPerYear, maxVolPerYear);
    if (why !== null) return `${v.instrument}: ${why}`;
  }
  return null;
}
