// One market's position on the simulated venue: signed integer lots, average entry, and the
// funding settled on it. Funding is a pure function of the fills and the reference price:
// at every multiple T of the funding interval the position held at T (fills with at <= T)
// pays lots * lotSizeBtc * priceAt(T) * ratePerHour * intervalHours. Boundaries are summed
// in time order from the first fill, so the figure is the same whatever order the fills
// arrived in or however often it was asked for (a late fill resets the running sum).
import type { PriceReference } from './priceReference.ts';

export interface FundingTerms {
  lotSizeBtc: number;
  ratePerHour: number;
  intervalMs: number;
}

interface FundingCursor {
  /** Index of the first boundary (ceil(firstFillAt / interval)). */
  k0: number;
  /** Next boundary index to settle. */
  k: number;
  /** Next fill (in time order) not yet in posLots. */
  fillIdx: number;
  posLots: number;
  totalUsd: number;
}

const MS_PER_HOUR = 3_600_000;

export class PositionBook {
  /** Signed lots, > 0 long. */
  lots = 0;
  avgEntryUsd = 0;
  realizedPnlUsd = 0;
  /** Fills sorted by event time (ties keep arrival order). */
  private readonly byTime: { at: number; signedLots: number }[] = [];
  private cursor: FundingCursor | undefined;

  constructor(private readonly terms: FundingTerms) {}

  /** Applies a fill in arrival order: signedLots > 0 buys. */
  applyFill(signedLots: number, priceUsd: number, at: number): void {
    if (!Number.isInteger(signedLots) || signedLots === 0) throw new RangeError(`position: fill lots must be a non-zero integer, got ${signedLots}`);
    const lot = this.terms.lotSizeBtc;
    const before = this.lots;
    const after = before + signedLots;
    if (before === 0 || Math.sign(before) === Math.sign(signedLots)) {
      this.avgEntryUsd = (Math.abs(before) * this.avgEntryUsd + Math.abs(signedLots) * priceUsd) / Math.abs(after);
    } else {
      const closed = Math.min(Math.abs(before), Math.abs(signedLots));
      this.realizedPnlUsd += closed * lot * (priceUsd - this.avgEntryUsd) * Math.sign(before);
      if (after === 0) this.avgEntryUsd = 0;
      else if (Math.sign(after) !== Math.sign(before)) this.avgEntryUsd = priceUsd; // flipped: the rest opened here
    }
    this.lots = after;
    this.insertByTime(at, signedLots);
  }

  /** Funding paid (> 0) or received (< 0) up to event time `upToMs`, USD. */
  fundingPaidUsd(upToMs: number, prices: PriceReference): number {
    const first = this.byTime[0];
    if (first === undefined) return 0;
    const { intervalMs, lotSizeBtc, ratePerHour } = this.terms;
    // Asked about an earlier horizon than the running sum covers: sum again from the start.
    if (this.cursor !== undefined && (this.cursor.k - 1) * intervalMs > upToMs) this.cursor = undefined;
    if (this.cursor === undefined) {
      const k0 = Math.ceil(first.at / intervalMs);
      this.cursor = { k0, k: k0, fillIdx: 0, posLots: 0, totalUsd: 0 };
    }
    const c = this.cursor;
    const intervalHours = intervalMs / MS_PER_HOUR;
    while (c.k * intervalMs <= upToMs) {
      const t = c.k * intervalMs;
      while (c.fillIdx < this.byTime.length && this.byTime[c.fillIdx]!.at <= t) {
        c.posLots += this.byTime[c.fillIdx]!.signedLots;
        c.fillIdx += 1;
      }
      const price = prices.priceAt(t);
      if (price !== undefined && c.posLots !== 0) c.totalUsd += c.posLots * lotSizeBtc * price * ratePerHour * intervalHours;
      c.k += 1;
    }
    return c.totalUsd;
  }

  private insertByTime(at: number, signedLots: number): void {
    let i = this.byTime.length;
    while (i > 0 && this.byTime[i - 1]!.at > at) i -= 1;
    this.byTime.splice(i, 0, { at, signedLots });
    const c = this.cursor;
    // A fill at or before a boundary already settled (or before the first fill) changes the
    // past: start the sum again rather than patch it, so the float sum order never varies.
    if (c !== undefined && (i === 0 || (c.k - 1) * this.terms.intervalMs >= at)) this.cursor = undefined;
  }
}
