// The persistence port of the simulated venue. The venue is event-sourced: it stores each
// order's final record (request, outcome, fills) and each pushed price, append-only, and
// rebuilds positions and funding from them on open. Records travel as opaque JSON text so
// a store needs no knowledge of the venue's types: storage/simVenueStore.ts (SQLite)
// implements the same shape without importing this file; inMemorySimVenueStore.ts is the
// in-process default.

/** One order record; `body` is the venue's JSON of SimOrderRecord. */
export interface SimStoredOrder {
  /** Venue order sequence, 1, 2, 3... in placement order. */
  seq: number;
  clientOrderId: string;
  body: string;
}

export interface SimStoredPrice {
  at: number;
  priceUsd: number;
}

export interface SimVenueStoreContents {
  /** In seq order. */
  orders: SimStoredOrder[];
  /** In push order. */
  prices: SimStoredPrice[];
  meta: Record<string, string>;
}

export interface SimVenueStore {
  load(): Promise<SimVenueStoreContents>;
  /** Durable when the promise resolves; a second record with the same clientOrderId must fail. */
  appendOrder(order: SimStoredOrder): Promise<void>;
  appendPrice(price: SimStoredPrice): Promise<void>;
  setMeta(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}
