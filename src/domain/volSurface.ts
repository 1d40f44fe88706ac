// A vault's implied volatility: one smile per expiry (vol by moneyness = strike / spot, linear
// between the points, flat beyond the ends), a flat vol for expiries without a smile, and a
// series' own vol, which wins over both. A series' own vol is the one its config names, or (a
// later part of the Deribit work) the venue's mark for it: that is the slot venue marks use.
// Greeks, quotes, bands and the backtest's mark-to-model all take a series' vol from here.
// Units: vol annualised (0.6 = 60%), moneyness dimensionless, times unix ms.

export interface SmileSlice {
  expiryMs: number;
  /** Strike / spot, strictly increasing. */
  moneyness: readonly number[];
  /** Vol at each moneyness point, per year (same length). */
  volPerYear: readonly number[];
}

export interface VolSurface {
  /** Vol of a series whose expiry has no smile and which has no vol of its own, per year. */
  flatVolPerYear: number;
  /** At most one slice per expiry. */
  smiles: readonly SmileSlice[];
}

/** What the surface reads of a series: volPerYear, when present, is the series' own vol (config or venue mark). */
export interface VolSeries {
  strikeUsd: number;
  expiryMs: number;
  volPerYear?: number | undefined;
}

/** A flat surface: every series at one vol. */
export function flatSurface(volPerYear: number): VolSurface {
  return { flatVolPerYear: volPerYear, smiles: [] };
}

/** Throws, saying what is wrong, unless the surface gives a finite vol >= 0 for every series. */
export function checkSurface(s: VolSurface): void {
  if (!(s.flatVolPerYear >= 0 && Number.isFinite(s.flatVolPerYear))) throw new Error(`vol surface: flatVolPerYear must be >= 0, got ${s.flatVolPerYear}`);
  const seen = new Set<number>();
  for (const sl of s.smiles) {
    const at = `vol surface: smile of expiry ${Number.isFinite(sl.expiryMs) ? new Date(sl.expiryMs).toISOString() : String(sl.expiryMs)}`;
    if (seen.has(sl.expiryMs)) throw new Error(`${at} is given twice`);
    seen.add(sl.expiryMs);
    if (sl.moneyness.length === 0 || sl.moneyness.length !== sl.volPerYear.length) {
      throw new Error(`${at}: needs as many vols as moneyness points, at least one (got ${sl.moneyness.length} and ${sl.volPerYear.length})`);
    }
    sl.moneyness.forEach((m, i) => {
      if (!(m > 0 && Number.isFinite(m))) throw new Error(`${at}: moneyness ${m} must be > 0`);
      if (i > 0 && !(m > (sl.moneyness[i - 1] as number))) throw new Error(`${at}: moneyness must be strictly increasing (${sl.moneyness[i - 1]} then ${m})`);
    });
    for (const v of sl.volPerYear) if (!(v >= 0 && Number.isFinite(v))) throw new Error(`${at}: vol ${v} must be >= 0`);
  }
}

/** The slice's vol at `moneyness` (strike / spot): linear between points, flat beyond the ends. */
export function smileVol(slice: SmileSlice, moneyness: number): number {
  const xs = slice.moneyness, ys = slice.volPerYear;
  const n = xs.length;
  if (!(moneyness > (xs[0] as number))) return ys[0] as number;
  for (let i = 1; i < n; i++) {
    const x1 = xs[i] as number;
    if (moneyness <= x1) {
      const x0 = xs[i - 1] as number, y0 = ys[i - 1] as number;
      return y0 + ((ys[i] as number) - y0) * ((moneyness - x0) / (x1 - x0));
    }
  }
  return ys[n - 1] as number;
}

/** The smile of one expiry, or null when the surface has none for it. */
export function sliceOf(surface: VolSurface, expiryMs: number): SmileSlice | null {
  for (const s of surface.smiles) if (s.expiryMs === expiryMs) return s;
  return null;
}

/** A series' vol at spotUsd: its own vol if it has one, else its expiry's smile at strike / spot, else the flat vol. */
export function seriesVol(surface: VolSurface, series: VolSeries, spotUsd: number): number {
  if (series.volPerYear !== undefined) return series.volPerYear;
  const slice = sliceOf(surface, series.expiryMs);
  return slice && spotUsd > 0 ? smileVol(slice, series.strikeUsd / spotUsd) : surface.flatVolPerYear;
}
