// SQLite persistence of the simulated perp venue (its own database file, not the engine's):
// append-only orders (JSON records keyed by client order id), pushed prices and a small meta
// table. Structurally the SimVenueStore port of src/venues/sim/simVenueStore.port.ts; it does
// not import it (storage sees no venue code), the composition root checks the shapes match.
import { openDatabase, type SyncMode } from './openDatabase.ts';
import type { SqliteConnection } from './sqliteConnection.ts';
import { StorageError } from './storageError.ts';

export interface SimVenueStoredOrder {
  seq: number;
  clientOrderId: string;
  body: string;
}

export interface SimVenueStoredPrice {
  at: number;
  priceUsd: number;
}

export interface SimVenueStoreContents {
  orders: SimVenueStoredOrder[];
  prices: SimVenueStoredPrice[];
  meta: Record<string, string>;
}

const SCHEMA_TAG = 'omm-hedger-sim-venue/1';

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS sim_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS sim_orders (
  seq INTEGER PRIMARY KEY,
  client_order_id TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS sim_prices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at REAL NOT NULL,
  price_usd REAL NOT NULL CHECK (price_usd > 0)
) STRICT;
INSERT OR IGNORE INTO sim_meta (key, value) VALUES ('schema', '${SCHEMA_TAG}');
`;

export interface SqliteSimVenueStoreOptions {
  path: string;
  /** Create the file if it is missing (default true: a venue's first run makes its database). */
  create?: boolean;
  synchronous?: SyncMode;
}

export class SqliteSimVenueStore {
  private constructor(private readonly conn: SqliteConnection) {}

  static async open(options: SqliteSimVenueStoreOptions): Promise<SqliteSimVenueStore> {
    const conn = await openDatabase({
      path: options.path,
      create: options.create === false ? 'never' : 'if-missing',
      synchronous: options.synchronous ?? 'NORMAL',
      check: 'header',
      migrate: false,
    });
    try {
      const engineTables = await conn.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'journal'");
      if ((engineTables?.n ?? 0) > 0) {
        throw new StorageError('io', `database ${options.path} is an omm-hedger engine database; the sim venue needs its own file`);
      }
      await conn.exec(SCHEMA_SQL);
      const tag = await conn.get<{ value: string }>("SELECT value FROM sim_meta WHERE key = 'schema'");
      if (tag?.value !== SCHEMA_TAG) {
        throw new StorageError('too-new', `database ${options.path} holds sim venue schema ${tag?.value ?? 'none'}; this code reads ${SCHEMA_TAG}`);
      }
      return new SqliteSimVenueStore(conn);
    } catch (err) {
      await conn.close().catch(() => undefined);
      throw err;
    }
  }

  async load(): Promise<SimVenueStoreContents> {
    const orders = await this.conn.all<{ seq: number; client_order_id: string; body: string }>(
      'SELECT seq, client_order_id, body FROM sim_orders ORDER BY seq');
    const prices = await this.conn.all<{ at: number; price_usd: number }>('SELECT at, price_usd FROM sim_prices ORDER BY id');
    const metaRows = await this.conn.all<{ key: string; value: string }>('SELECT key, value FROM sim_meta');
    const meta: Record<string, string> = {};
    for (const r of metaRows) if (r.key !== 'schema') meta[r.key] = r.value;
    return {
      orders: orders.map((r) => ({ seq: r.seq, clientOrderId: r.client_order_id, body: r.body })),
      prices: prices.map((r) => ({ at: r.at, priceUsd: r.price_usd })),
      meta,
    };
  }

  /** One autocommitted INSERT: durable (WAL, NORMAL: survives a process crash) when it resolves. */
  async appendOrder(order: SimVenueStoredOrder): Promise<void> {
    await this.conn.run('INSERT INTO sim_orders (seq, client_order_id, body) VALUES (?, ?, ?)', [order.seq, order.clientOrderId, order.body]);
  }

  async appendPrice(price: SimVenueStoredPrice): Promise<void> {
    await this.conn.run('INSERT INTO sim_prices (at, price_usd) VALUES (?, ?)', [price.at, price.priceUsd]);
  }

  async setMeta(key: string, value: string): Promise<void> {
    if (key === 'schema') throw new StorageError('constraint', 'sim venue meta key "schema" is reserved');
    await this.conn.run('INSERT INTO sim_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}
