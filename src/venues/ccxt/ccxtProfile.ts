// What differs per exchange behind the one ccxt HedgeVenue: the venue's client id format, how
// an order is looked up by it and what its record says, how an order's trades are read, which
// answers mean "the IOC found nothing to match", the contract maths and the mark price. One
// implementation per exchange: hyperliquidProfile.ts, binanceUsdmProfile.ts.
import type { Exchange, MarketInterface as Market, Order, Trade } from 'ccxt';
import type { OrderSide } from '../hedgeVenue.ts';
import type { CcxtConfig } from './config.ts';

/** What the venue's record of an order says, before its trades are counted. */
export interface VenueOrderRecord {
  /** The venue's own order id (trades refer to it). */
  orderId: string;
  /** 'open': may still trade; 'filled' / 'cancelled': final, its trades are the whole story; 'rejected': never traded. */
  phase: 'open' | 'filled' | 'cancelled' | 'rejected';
  /** The venue's reason for a rejection (its status or text). */
  reason?: string;
  /** Contracts the venue says traded, when it says (the trade history must reach this). */
  filledContracts?: number;
  /** Order creation and last status change, unix ms (venue clock). */
  createdAt: number;
  statusAt: number;
}

/** The answer to an order placement, as far as it goes (fills come from the trade history). */
export interface PlaceAnswer {
  orderId: string;
  /** Contracts traded according to the answer. */
  filledContracts: number;
  /** The IOC matched nothing (the venue says so in the answer). */
  noMatch: boolean;
}

export interface CcxtProfile {
  readonly exchange: CcxtConfig['exchange'];
  /** The venue's client order id for the engine's `<vault>-<hedgeSeq>`: deterministic, in the venue's format. */
  clientId(engineId: string): string;
  /** Builds the ccxt exchange (credentials, options, timeout; rate limiter on). */
  create(cfg: CcxtConfig, credentials: Record<string, string>): Exchange;
  /** Points the exchange at its testnet (before any URL override). */
  useTestnet(ex: Exchange): void;
  /** After `apiUrl` replaced the base URLs: what ccxt decides from the URL that must not change with it. */
  afterUrlOverride(ex: Exchange): void;
  /**
   * What a "not available" answer (HTTP 5xx) to an order placement means once the venue's record
   * does not show the id: 'notPlaced' (the venue did not take it) or 'unknown' (the venue says
   * the execution status is unknown).
   */
  readonly placeUnavailable: 'notPlaced' | 'unknown';
  /** Reduce-only limits larger than the position are refused by the venue: clamp them to it. */
  readonly clampReduceOnly: boolean;
  /** Extra createOrder params for an IOC limit with this client id. */
  orderParams(clientId: string, reduceOnly: boolean): Record<string, unknown>;
  /** The venue's record of the order with this client id; null when the venue never saw it. */
  fetchRecord(ex: Exchange, symbol: string, clientId: string): Promise<VenueOrderRecord | null>;
  /** Parses createOrder's answer. */
  parsePlaceAnswer(order: Order): PlaceAnswer;
  /** Trades of one order (the venue's order id, created at `since`, unix ms). */
  fetchOrderTrades(ex: Exchange, symbol: string, record: VenueOrderRecord): Promise<Trade[]>;
  /** The venue's client id on a trade, when trades carry it. */
  tradeClientId(trade: Trade): string | undefined;
  /** Does this rejection text mean an IOC that matched nothing (a cancel, not a reject)? */
  isNoMatch(venueText: string): boolean;
  /** Does this rejection text say the venue already holds an order with this client id? */
  isDuplicateId(venueText: string): boolean;
  /** Protective limit price as the venue takes it: on the venue's price grid, never past the limit. */
  limitPrice(market: Market, priceUsd: number, side: OrderSide): string;
  /** Price increment at this price, USD. */
  tickAt(market: Market, priceUsd: number): number;
  /** The mark price over REST, USD, and when it was read (unix ms). */
  fetchMark(ex: Exchange, symbol: string): Promise<{ priceUsd: number; at: number }>;
  /** The next mark price from the venue's stream (ccxt pro), USD. */
  watchMark(ex: Exchange, symbol: string): Promise<{ priceUsd: number; at: number }>;
  /** Current funding rate per hour (fraction). */
  fetchFunding(ex: Exchange, symbol: string): Promise<{ ratePerHour: number; at: number }>;
  /** Taker fee rate of this account on the symbol (fraction). */
  takerFee(ex: Exchange, symbol: string): Promise<number>;
  /** Funding paid so far on the open position (USD, > 0 paid), from the position's raw info. */
  fundingPaid(info: unknown): number;
  /** Free collateral of the account, USD, from fetchBalance. */
  freeCollateral(ex: Exchange): Promise<number>;
  /** How far back the venue answers lookups by client id, for the README and `venue check`. */
  readonly lookupHorizon: string;
}
