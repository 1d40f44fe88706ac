// The in-process store of the simulated venue: plain arrays. Re-opening a venue on the same
// instance behaves like a restart on the same database (used by tests and backtests).
import type { SimStoredOrder, SimStoredPrice, SimVenueStore, SimVenueStoreContents } from './simVenueStore.port.ts';

export class InMemorySimVenueStore implements SimVenueStore {
  private readonly orders: SimStoredOrder[] = [];
  private readonly ids = new Set<string>();
  private readonly prices: SimStoredPrice[] = [];
  private readonly meta: Record<string, string> = {};

  load(): Promise<SimVenueStoreContents> {
    return Promise.resolve({ orders: [...this.orders], prices: [...this.prices], meta: { ...this.meta } });
  }

  appendOrder(order: SimStoredOrder): Promise<void> {
    if (this.ids.has(order.clientOrderId)) return Promise.reject(new Error(`sim store: duplicate order ${order.clientOrderId}`));
    this.ids.add(order.clientOrderId);
    this.orders.push(order);
    return Promise.resolve();
  }

  appendPrice(price: SimStoredPrice): Promise<void> {
    this.prices.push(price);
    return Promise.resolve();
  }

  setMeta(key: string, value: string): Promise<void> {
    this.meta[key] = value;
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
