// Deribit's rate limit is a credit pool per account: each matching-engine request costs
// credits, the pool refills at a steady rate, and a request that finds it empty is refused
// with 10028 too_many_requests. This bucket mirrors it locally so requotes can be held back
// before the venue refuses them. Hedge orders may overdraw it (take); quotes must fit (tryTake).
export class CreditBucket {
  private credits: number;
  private lastAt: number;

  constructor(private readonly capacity: number, private readonly refillPerSec: number, private readonly now: () => number) {
    if (!(capacity > 0 && refillPerSec > 0)) throw new Error(`credit bucket needs a positive capacity and refill (${capacity}, ${refillPerSec})`);
    this.credits = capacity;
    this.lastAt = now();
  }

  private refill(): void {
    const t = this.now();
    this.credits = Math.min(this.capacity, this.credits + ((t - this.lastAt) / 1000) * this.refillPerSec);
    this.lastAt = t;
  }

  /** Credits available now. */
  available(): number {
    this.refill();
    return this.credits;
  }

  /** Takes `cost` if the bucket holds it; false (nothing taken) otherwise. */
  tryTake(cost: number): boolean {
    this.refill();
    if (this.credits < cost) return false;
    this.credits -= cost;
    return true;
  }

  /** Takes `cost` whatever the balance (a hedge is never held back locally; the venue may still refuse it). */
  take(cost: number): void {
    this.refill();
    this.credits -= cost;
  }

  /** After the venue refused with 10028: our mirror was optimistic, so it starts again from empty. */
  drain(): void {
    this.refill();
    this.credits = Math.min(this.credits, 0);
  }
}
