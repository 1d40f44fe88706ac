// Greeks of a vault's option book plus its perp position, at one spot and one event time: the
// one book-greeks path (the vault machine and its bands, the settlement offset, the benches).
// Units: delta BTC, gamma BTC per USD, vega USD per 1.00 of vol; tau in years (ACT/365).
// Priced with BSM at the vault's rate and zero carry (ratePerYear defaults to 0 for BTC). Each
// series' vol comes from the vault's surface at the current spot (volSurface.ts); a series
// near its expiry counts per the vault's expiry treatment (expiryTreatment.ts: the glide's
// weight, the pin floor on its time to expiry). These are the hedging greeks.
// Hot path (every tick of every vault): a call and a put of the same strike, expiry and vol
// share d1, gamma and vega (put delta = call delta - 1 at zero carry), so the book is
// revalued once per such group; the grouping is cached per book array (the machine replaces
// the array when the book changes, never mutates it).
import { MS_PER_YEAR } from './actYears.ts';
import { glideMs, MS_PER_MINUTE, type ExpiryConfig } from './expiryTreatment.ts';
import type { OptionKind } from './instrument.ts';
import { INV_SQRT_2PI, normalCdfFromPdf } from './normalCdf.ts';
import { sliceOf, smileVol, type SmileSlice, type VolSurface } from './volSurface.ts';

export { MS_PER_YEAR };

/** One option series held by a vault (the machine's OptionLeg). */
export interface BookLeg {
  instrument: string;
  kind: OptionKind;
  strikeUsd: number;
  expiryMs: number;
  /** Contracts of 1 BTC: > 0 long, < 0 short. */
  qty: number;
  /** The series' own vol, per year (configured for it, or the venue's mark): wins over the vault's surface. */
  volPerYear?: number;
}

/** What revaluation reads of a leg. */
export type GreekLeg = Pick<BookLeg, 'kind' | 'strikeUsd' | 'expiryMs' | 'qty' | 'volPerYear'>;

/** How the book is priced: the vol surface and the expiry treatment (both part of a vault's config). */
export interface BookModel {
  vol: VolSurface;
  expiry: ExpiryConfig;
}

export interface BookGreeks {
  optionsBtc: number;
  netBtc: number;
  grossBtc: number;
  gamma: number;
  vega: number;
  /** Gamma-weighted time to expiry (years) and vol: the inputs of gamma-scaled bands. */
  tauYears: number;
  volPerYear: number;
}

/** Legs of one (strike, expiry, own vol): calls and puts netted per kind. */
interface Group {
  strikeUsd: number;
  expiryMs: number;
  /** The legs' own vol, NaN when the surface decides. */
  ownVol: number;
  slice: SmileSlice | null;
  callQty: number;
  putQty: number;
}

const groupCache = new WeakMap<readonly GreekLeg[], { surface: VolSurface; groups: Group[] }>();

function groupsOf(legs: readonly GreekLeg[], surface: VolSurface): Group[] {
  const cached = groupCache.get(legs);
  if (cached && cached.surface === surface) return cached.groups;
  const byKey = new Map<string, Group>();
  for (const leg of legs) {
    const key = `${leg.strikeUsd}|${leg.expiryMs}|${leg.volPerYear ?? ''}`;
    let g = byKey.get(key);
    if (!g) {
      g = { strikeUsd: leg.strikeUsd, expiryMs: leg.expiryMs, ownVol: leg.volPerYear ?? Number.NaN, slice: sliceOf(surface, leg.expiryMs), callQty: 0, putQty: 0 };
      byKey.set(key, g);
    }
    if (leg.kind === 'call') g.callQty += leg.qty; else g.putQty += leg.qty;
  }
  const groups = [...byKey.values()].filter((g) => g.callQty !== 0 || g.putQty !== 0);
  groupCache.set(legs, { surface, groups });
  return groups;
}

/**
 * Net greeks of the book at spotUsd and nowMs. A series inside its glide counts with the
 * glide's weight (nothing at or past expiry); its time to expiry is floored at the pin floor;
 * with no floor, a series at or past expiry counts at its intrinsic delta step.
 */
export function bookGreeks(legs: readonly GreekLeg[], spotUsd: number, nowMs: number, ratePerYear: number, perpBtc: number, model: BookModel): BookGreeks {
  let optionsBtc = 0, grossBtc = 0, gamma = 0, vega = 0, gTau = 0, gVol = 0, gSum = 0;
  const glide = glideMs(model.expiry);
  const floorYears = (model.expiry.pinMinutes * MS_PER_MINUTE) / MS_PER_YEAR;
  const flatVol = model.vol.flatVolPerYear;
  for (const g of groupsOf(legs, model.vol)) {
    const leftMs = g.expiryMs - nowMs;
    let w = 1;
    if (glide > 0 && leftMs < glide) {
      if (!(leftMs > 0)) continue;
      w = leftMs / glide;
    }
    const t = leftMs / MS_PER_YEAR;
    const tau = t > floorYears ? t : floorYears;
    const vol = g.ownVol === g.ownVol ? g.ownVol : g.slice !== null ? smileVol(g.slice, g.strikeUsd / spotUsd) : flatVol;
    const sqrtT = Math.sqrt(tau);
    const stdDev = vol * sqrtT;
    let callDelta: number, gam = 0, veg = 0;
    if (!(stdDev > 1e-150) || !(spotUsd > 0)) {
      // At expiry (or zero vol): the forward's intrinsic step.
      callDelta = spotUsd - g.strikeUsd * Math.exp(-ratePerYear * tau) > 0 ? 1 : 0;
    } else {
      const d1 = (Math.log(spotUsd / g.strikeUsd) + ratePerYear * tau) / stdDev + 0.5 * stdDev;
      const pdf = INV_SQRT_2PI * Math.exp(-0.5 * d1 * d1);
      callDelta = normalCdfFromPdf(d1, pdf);
      gam = (w * pdf) / (spotUsd * stdDev);
      veg = w * spotUsd * pdf * sqrtT;
    }
    const callBtc = w * callDelta * g.callQty;
    const putBtc = w * (callDelta - 1) * g.putQty;
    optionsBtc += callBtc + putBtc;
    grossBtc += Math.abs(callBtc) + Math.abs(putBtc);
    const qty = g.callQty + g.putQty;
    gamma += gam * qty;
    vega += veg * qty;
    const weight = gam * (Math.abs(g.callQty) + Math.abs(g.putQty));
    gTau += weight * tau;
    gVol += weight * vol;
    gSum += weight;
  }
  return {
    optionsBtc, netBtc: optionsBtc + perpBtc, grossBtc, gamma, vega,
    tauYears: gSum > 0 ? gTau / gSum : 0,
    volPerYear: gSum > 0 ? gVol / gSum : 0,
  };
}
