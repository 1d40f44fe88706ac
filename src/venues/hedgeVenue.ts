// The HedgeVenue port: everything the engine needs from a perpetual-futures venue.
// Every venue (simulated, Mango v3, a future live one) implements it and passes the shared
// contract suite in test/integration/venueContract.ts.
import type { Observable } from 'rxjs';

export type OrderSide = 'buy' | 'sell';

export interface IocOrderRequest {
  /** Engine's id, `<vaultId>-<hedgeSeq>`. Placing the same id twice must fill at most once. */
  clientOrderId: string;
  /** Perp market, e.g. 'BTC-PERP'. */
  market: string;
  side: OrderSide;
  /** Size in BTC; the venue rounds to its lots (explicitly, never by truncating floats). */
  sizeBtc: number;
  /** Protective limit: worst acceptable price, USD. */
  limitPriceUsd: number;
  reduceOnly: boolean;
  /** Event time of the request, unix ms (the simulated venue's clock in lockstep mode). */
  at: number;
}

/** What the venue knows about a client order id. */
export type OrderStatus =
  | { status: 'unknown' } // never seen
  | { status: 'open'; filledBtc: number; avgPriceUsd: number; feeUsd: number; updatedAt: number }
  | { status: 'filled'; filledBtc: number; avgPriceUsd: number; feeUsd: number; updatedAt: number }
  /** IOC remainder cancelled; filledBtc may be > 0 (partial fill) or 0. */
  | { status: 'cancelled'; filledBtc: number; avgPriceUsd: number; feeUsd: number; updatedAt: number }
  | { status: 'rejected'; reason: string; updatedAt: number };

export interface VenuePosition {
  market: string;
  /** Signed BTC: > 0 long. */
  sizeBtc: number;
  avgEntryUsd: number;
  /** Funding paid (> 0) or received (< 0) so far, USD. */
  fundingPaidUsd: number;
}

export interface MarketInfo {
  market: string;
  /** Minimum order size, BTC. */
  minSizeBtc: number;
  /** Size increment, BTC. */
  lotSizeBtc: number;
  /** Price increment, USD. */
  tickSizeUsd: number;
  takerFeeBps: number;
}

export interface VenueFill {
  clientOrderId: string;
  market: string;
  side: OrderSide;
  sizeBtc: number;
  priceUsd: number;
  feeUsd: number;
  at: number;
  /** Venue's own sequence or id for the fill, unique per venue. */
  fillId: string;
}

/** Typed venue failures. Expected failures are values (`rejected` status); these are thrown. */
export class VenueError extends Error {
  constructor(
    readonly kind: 'rejected' | 'timeout' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'VenueError';
  }
}
/** The venue refused the order (with its reason). Final: do not retry the same id. */
export class VenueRejectedError extends VenueError {
  constructor(readonly reason: string) { super('rejected', `venue rejected the order: ${reason}`); this.name = 'VenueRejectedError'; }
}
/** Outcome unknown: the order may or may not exist. Look it up by client order id; never blindly re-place. */
export class VenueTimeoutError extends VenueError {
  constructor(message = 'venue timed out: outcome unknown') { super('timeout', message); this.name = 'VenueTimeoutError'; }
}
/** The venue could not be reached; nothing was placed. */
export class VenueUnavailableError extends VenueError {
  constructor(message = 'venue unavailable') { super('unavailable', message); this.name = 'VenueUnavailableError'; }
}

export interface HedgeVenue {
  readonly name: string;
  /** Place an IOC order. Resolves with the order's status after matching (filled, cancelled or rejected). */
  placeIoc(req: IocOrderRequest): Promise<OrderStatus>;
  lookup(clientOrderId: string): Promise<OrderStatus>;
  position(market: string): Promise<VenuePosition>;
  /** Mark or oracle price, USD, and the current funding rate per hour (fraction). */
  markPrice(market: string): Promise<{ priceUsd: number; at: number }>;
  fundingRate(market: string): Promise<{ ratePerHour: number; at: number }>;
  marketInfo(market: string): Promise<MarketInfo>;
  /** The venue's own fills, as they happen. */
  fills(): Observable<VenueFill>;
  close(): Promise<void>;
}
