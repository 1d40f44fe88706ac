// Where the simulated venue takes its reference (index and mark) price from: a price file, a
// synthetic path, or prices pushed to it. priceAt(at) is the last price at or before `at`,
// so the answer for a past time never changes once that time has been seen.

export interface PriceReference {
  /** Reference price in USD at event time `atMs`, or undefined before the first price. */
  priceAt(atMs: number): number | undefined;
  /** Time of the first price, unix ms, or undefined when there is none yet. */
  firstAt(): number | undefined;
}

/** A fixed series of (at, priceUsd) points, times strictly increasing. */
export class SeriesPriceReference implements PriceReference {
  private readonly times: Float64Array;
  private readonly prices: Float64Array;

  constructor(points: readonly { at: number; priceUsd: number }[]) {
    this.times = new Float64Array(points.length);
    this.prices = new Float64Array(points.length);
    points.forEach((p, i) => {
      if (!(Number.isFinite(p.priceUsd) && p.priceUsd > 0)) throw new RangeError(`price series: bad price ${p.priceUsd} at ${p.at}`);
      if (i > 0 && !(p.at > this.times[i - 1]!)) throw new RangeError(`price series: times must increase (${p.at} after ${this.times[i - 1]})`);
      this.times[i] = p.at;
      this.prices[i] = p.priceUsd;
    });
  }

  get length(): number {
    return this.times.length;
  }

  priceAt(atMs: number): number | undefined {
    const i = lastIndexAtOrBefore(this.times, this.times.length, atMs);
    return i < 0 ? undefined : this.prices[i];
  }

  firstAt(): number | undefined {
    return this.times.length > 0 ? this.times[0] : undefined;
  }
}

/** Prices pushed one by one (POST /price); times must not go backwards. */
export class PushedPriceReference implements PriceReference {
  private times = new Float64Array(1024);
  private prices = new Float64Array(1024);
  private n = 0;

  /** Appends a price; throws RangeError on a bad price or a time before the last one. */
  push(atMs: number, priceUsd: number): void {
    if (!(Number.isFinite(priceUsd) && priceUsd > 0)) throw new RangeError(`pushed price: bad price ${priceUsd}`);
    if (!Number.isFinite(atMs)) throw new RangeError(`pushed price: bad time ${atMs}`);
    const last = this.n > 0 ? this.times[this.n - 1]! : -Infinity;
    if (atMs < last) throw new RangeError(`pushed price: time ${atMs} is before the last pushed time ${last}`);
    if (atMs === last) {
      this.prices[this.n - 1] = priceUsd; // same instant: the newer price wins
      return;
    }
    if (this.n === this.times.length) {
      const t = new Float64Array(this.n * 2);
      const p = new Float64Array(this.n * 2);
      t.set(this.times);
      p.set(this.prices);
      this.times = t;
      this.prices = p;
    }
    this.times[this.n] = atMs;
    this.prices[this.n] = priceUsd;
    this.n += 1;
  }

  /** Whether push(atMs, ...) would be accepted. */
  accepts(atMs: number): boolean {
    return Number.isFinite(atMs) && (this.n === 0 || atMs >= this.times[this.n - 1]!);
  }

  priceAt(atMs: number): number | undefined {
    const i = lastIndexAtOrBefore(this.times, this.n, atMs);
    return i < 0 ? undefined : this.prices[i];
  }

  firstAt(): number | undefined {
    return this.n > 0 ? this.times[0] : undefined;
  }

  lastAt(): number | undefined {
    return this.n > 0 ? this.times[this.n - 1] : undefined;
  }
}

/** Index of the last time <= at among the first n entries, -1 if none (binary search). */
function lastIndexAtOrBefore(times: Float64Array, n: number, at: number): number {
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= at) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
