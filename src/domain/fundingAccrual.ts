// Funding of one vault's perp position, USD (> 0 paid), on the simulated venue's model: at
// every multiple T of the funding interval after the first fill, the position held at T
// (fills with at <= T) pays sizeBtc * priceAt(T) * ratePerHour * intervalHours. The venue
// books funding for the whole account; this splits it per vault (funding is linear in the
// position, so the vaults' figures add up to the venue's).

export interface FundingTerms {
  ratePerHour: number;
  intervalMs: number;
}

const MS_PER_HOUR = 3_600_000;

export class FundingAccrual {
  /** Signed BTC fills in event-time order. */
  private readonly fills: { at: number; btc: number }[] = [];
  private nextK: number | null = null;
  private idx = 0;
  private posBtc = 0;
  totalUsd = 0;

  constructor(private readonly terms: FundingTerms) {
    if (!(terms.intervalMs > 0)) throw new RangeError(`funding interval must be > 0 ms, got ${terms.intervalMs}`);
  }

  /** A perp fill of the vault (signed BTC, > 0 bought) at event time `at`. */
  addFill(at: number, signedBtc: number): void {
    if (signedBtc === 0) return;
    if (this.nextK !== null && (this.nextK - 1) * this.terms.intervalMs >= at) {
      throw new Error(`funding: fill at ${at} arrived after the boundary it belongs before was settled`);
    }
    let i = this.fills.length;
    while (i > 0 && (this.fills[i - 1] as { at: number }).at > at) i -= 1;
    this.fills.splice(i, 0, { at, btc: signedBtc });
    this.nextK ??= Math.ceil(at / this.terms.intervalMs);
  }

  /** Settles every boundary T <= uptoMs; priceAt(T) is the reference price at T (USD). */
  advance(uptoMs: number, priceAt: (t: number) => number): void {
    if (this.nextK === null) return;
    const { intervalMs, ratePerHour } = this.terms;
    const hours = intervalMs / MS_PER_HOUR;
    while (this.nextK * intervalMs <= uptoMs) {
      const t = this.nextK * intervalMs;
      while (this.idx < this.fills.length && (this.fills[this.idx] as { at: number }).at <= t) {
        this.posBtc += (this.fills[this.idx] as { btc: number }).btc;
        this.idx += 1;
      }
      if (this.posBtc !== 0) this.totalUsd += this.posBtc * priceAt(t) * ratePerHour * hours;
      this.nextK += 1;
    }
  }
}

/** Every funding boundary T (a multiple of the interval) with firstFillAt <= T <= uptoMs, ascending. */
export function fundingBoundaries(terms: FundingTerms, firstFillAt: number, uptoMs: number): number[] {
  const out: number[] = [];
  for (let k = Math.ceil(firstFillAt / terms.intervalMs); k * terms.intervalMs <= uptoMs; k++) out.push(k * terms.intervalMs);
  return out;
}

/** Funding of a whole fill history at once (the same model as FundingAccrual): fills in any order. */
export function fundingPaidUsd(fills: readonly { at: number; btc: number }[], terms: FundingTerms, uptoMs: number, priceAt: (t: number) => number): number {
  const acc = new FundingAccrual(terms);
  for (const f of [...fills].sort((a, b) => a.at - b.at)) acc.addFill(f.at, f.btc);
  acc.advance(uptoMs, priceAt);
  return acc.totalUsd;
}
