// HISTORY, FROZEN: the book greeks (every leg at its own vol, no expiry treatment) of vault machine versions 1 and 2, as they decided before version 3
// (expiry as a planned event, hedges in clips, the vol surface). Never edit it: it replays
// journal rows those versions decided, so they are never re-decided by newer rules. It imports
// from src/domain only what version 3 left unchanged.
import { INV_SQRT_2PI, normalCdfFromPdf } from '../../../src/domain/normalCdf.ts';
import type { Greeks, OptionLeg } from './vaultTypesV2.ts';

const MS_PER_YEAR = 365 * 86_400_000;

/** What revaluation reads of a leg. */
export type GreekLeg = Pick<OptionLeg, 'kind' | 'strikeUsd' | 'expiryMs' | 'qty' | 'volPerYear'>;

export type BookGreeks = Greeks;

/** Legs of one (strike, expiry, vol): calls and puts netted per kind. */
interface Group { strikeUsd: number; expiryMs: number; volPerYear: number; callQty: number; putQty: number }

const groupCache = new WeakMap<readonly GreekLeg[], Group[]>();

function groupsOf(legs: readonly GreekLeg[]): Group[] {
  const cached = groupCache.get(legs);
  if (cached) return cached;
  const byKey = new Map<string, Group>();
  for (const leg of legs) {
    const key = `${leg.strikeUsd}|${leg.expiryMs}|${leg.volPerYear}`;
    let g = byKey.get(key);
    if (!g) { g = { strikeUsd: leg.strikeUsd, expiryMs: leg.expiryMs, volPerYear: leg.volPerYear, callQty: 0, putQty: 0 }; byKey.set(key, g); }
    if (leg.kind === 'call') g.callQty += leg.qty; else g.putQty += leg.qty;
  }
  const groups = [...byKey.values()].filter((g) => g.callQty !== 0 || g.putQty !== 0);
  groupCache.set(legs, groups);
  return groups;
}

/** Net greeks of the book at spotUsd and nowMs; legs at or past expiry count at intrinsic delta. */
export function bookGreeks(legs: readonly GreekLeg[], spotUsd: number, nowMs: number, ratePerYear: number, perpBtc: number): BookGreeks {
  let optionsBtc = 0, grossBtc = 0, gamma = 0, vega = 0, gTau = 0, gVol = 0, gSum = 0;
  for (const g of groupsOf(legs)) {
    const tau = Math.max(0, (g.expiryMs - nowMs) / MS_PER_YEAR);
    const sqrtT = Math.sqrt(tau);
    const stdDev = g.volPerYear * sqrtT;
    let callDelta: number, gam = 0, veg = 0;
    if (!(stdDev > 1e-150) || !(spotUsd > 0)) {
      // At expiry (or zero vol): the forward's intrinsic step.
      callDelta = spotUsd - g.strikeUsd * Math.exp(-ratePerYear * tau) > 0 ? 1 : 0;
    } else {
      const d1 = (Math.log(spotUsd / g.strikeUsd) + ratePerYear * tau) / stdDev + 0.5 * stdDev;
      const pdf = INV_SQRT_2PI * Math.exp(-0.5 * d1 * d1);
      callDelta = normalCdfFromPdf(d1, pdf);
      gam = pdf / (spotUsd * stdDev);
      veg = spotUsd * pdf * sqrtT;
    }
    const callBtc = callDelta * g.callQty;
    const putBtc = (callDelta - 1) * g.putQty;
    optionsBtc += callBtc + putBtc;
    grossBtc += Math.abs(callBtc) + Math.abs(putBtc);
    const qty = g.callQty + g.putQty;
    gamma += gam * qty;
    vega += veg * qty;
    const weight = gam * (Math.abs(g.callQty) + Math.abs(g.putQty));
    gTau += weight * tau;
    gVol += weight * g.volPerYear;
    gSum += weight;
  }
  return {
    optionsBtc, netBtc: optionsBtc + perpBtc, grossBtc, gamma, vega,
    tauYears: gSum > 0 ? gTau / gSum : 0,
    volPerYear: gSum > 0 ? gVol / gSum : 0,
  };
}
