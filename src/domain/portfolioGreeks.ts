// Net greeks of a vault's option book plus its perp position, vectorised over a
// struct-of-arrays book so a 1,000-series book reprices in tens of microseconds without
// allocating. Contracts are 1 BTC, so delta is in BTC, gamma in BTC per USD of spot, vega in
// USD per 1.00 of vol, value in USD. Time to expiry is ACT/365 from unix ms.
import type { OptionKind } from './instrument.ts';
import { bsDelta } from './blackScholes.ts';
import { bsGreeksBatch, newBsBatchOutput, type BsBatchInput, type BsBatchOutput } from './bsGreeksBatch.ts';

export const MS_PER_YEAR = 365 * 86_400_000;

/** One option series held by a vault (same shape as OptionLeg in machines/vault.types.ts). */
export interface BookLeg {
  instrument: string;
  kind: OptionKind;
  strikeUsd: number;
  expiryMs: number;
  /** Contracts of 1 BTC: > 0 long, < 0 short. */
  qty: number;
  volPerYear: number;
}

/** Struct-of-arrays option book; index i across the arrays is one series. */
export interface Book {
  readonly size: number;
  readonly strikeUsd: Float64Array;
  readonly expiryMs: Float64Array;
  readonly volPerYear: Float64Array;
  readonly qty: Float64Array;
  /** 1 for a call, 0 for a put. */
  readonly isCall: Uint8Array;
  /** The greeks kernel's rows: strike, vol and isCall are the arrays above; spot and years are scratch. */
  readonly kernelIn: BsBatchInput;
  readonly kernelOut: BsBatchOutput;
}

export interface NetGreeks {
  /** Options delta plus the perp position, BTC. */
  deltaBtc: number;
  gammaBtcPerUsd: number;
  vegaUsd: number;
  /** Mark value of the options (perp excluded), USD. */
  valueUsd: number;
}

export function newNetGreeks(): NetGreeks {
  return { deltaBtc: 0, gammaBtcPerUsd: 0, vegaUsd: 0, valueUsd: 0 };
}

/** Builds a book from legs, failing fast on a leg that cannot be priced. */
export function bookFromLegs(legs: readonly BookLeg[]): Book {
  const n = legs.length;
  const strikeUsd = new Float64Array(n), volPerYear = new Float64Array(n), isCall = new Uint8Array(n);
  const book: Book = {
    size: n,
    strikeUsd,
    expiryMs: new Float64Array(n),
    volPerYear,
    qty: new Float64Array(n),
    isCall,
    kernelIn: { isCall, spot: new Float64Array(n), strike: strikeUsd, years: new Float64Array(n), vol: volPerYear },
    kernelOut: newBsBatchOutput(n),
  };
  legs.forEach((leg, i) => {
    const where = `leg ${i} (${leg.instrument})`;
    if (leg.kind !== 'call' && leg.kind !== 'put') throw new Error(`${where}: kind must be 'call' or 'put'`);
    if (!(leg.strikeUsd > 0 && Number.isFinite(leg.strikeUsd))) throw new Error(`${where}: strikeUsd must be positive, got ${leg.strikeUsd}`);
    if (!Number.isFinite(leg.expiryMs)) throw new Error(`${where}: expiryMs must be finite, got ${leg.expiryMs}`);
    if (!(leg.volPerYear >= 0 && Number.isFinite(leg.volPerYear))) throw new Error(`${where}: volPerYear must be >= 0, got ${leg.volPerYear}`);
    if (!Number.isFinite(leg.qty)) throw new Error(`${where}: qty must be finite, got ${leg.qty}`);
    book.strikeUsd[i] = leg.strikeUsd;
    book.expiryMs[i] = leg.expiryMs;
    book.volPerYear[i] = leg.volPerYear;
    book.qty[i] = leg.qty;
    book.isCall[i] = leg.kind === 'call' ? 1 : 0;
  });
  return book;
}

/**
 * Net delta, gamma, vega and option value of `book` plus `perpBtc` (delta 1 per BTC) at
 * `spotUsd` and `nowMs`, written into `out`. Expired series count at intrinsic value with a
 * delta step. No allocation: one pass of the greeks kernel over the book.
 */
export function bookGreeks(
  book: Book, spotUsd: number, nowMs: number, perpBtc: number, out: NetGreeks, rate = 0, carry = 0,
): NetGreeks {
  const { size, expiryMs, qty, kernelIn, kernelOut } = book;
  const { spot, years } = kernelIn;
  spot.fill(spotUsd);
  for (let i = 0; i < size; i++) {
    const t = ((expiryMs[i] as number) - nowMs) / MS_PER_YEAR;
    years[i] = t > 0 ? t : 0;
  }
  bsGreeksBatch(size, kernelIn, rate, carry, kernelOut);
  const { price, delta: deltas, gamma: gammas, vega: vegas } = kernelOut;
  let delta = perpBtc;
  let gamma = 0;
  let vega = 0;
  let value = 0;
  for (let i = 0; i < size; i++) {
    const q = qty[i] as number;
    delta += q * (deltas[i] as number);
    gamma += q * (gammas[i] as number);
    vega += q * (vegas[i] as number);
    value += q * (price[i] as number);
  }
  out.deltaBtc = delta;
  out.gammaBtcPerUsd = gamma;
  out.vegaUsd = vega;
  out.valueUsd = value;
  return out;
}

/** Net delta only (BTC), the hedger's hot path: one delta per series plus the perp. */
export function bookNetDelta(book: Book, spotUsd: number, nowMs: number, perpBtc: number, rate = 0, carry = 0): number {
  const { size, strikeUsd, expiryMs, volPerYear, qty, isCall } = book;
  let delta = perpBtc;
  for (let i = 0; i < size; i++) {
    const years = ((expiryMs[i] as number) - nowMs) / MS_PER_YEAR;
    delta += (qty[i] as number) * bsDelta(
      isCall[i] === 1 ? 'call' : 'put', spotUsd, strikeUsd[i] as number, years > 0 ? years : 0,
      volPerYear[i] as number, rate, carry,
    );
  }
  return delta;
}
