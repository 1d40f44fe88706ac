import type { HedgeOrderRow } from '../journalStore.ts';
import type { HedgeOrderDbRow } from '../rowCodecs.ts';
import { decodeHedgeOrder } from '../rowCodecs.ts';
import type { SqliteConnection } from '../sqliteConnection.ts';

/** Orders not final (pending or open), oldest first; served by the partial index hedge_orders_open. */
export async function openHedgeOrders(conn: SqliteConnection): Promise<HedgeOrderRow[]> {
  const rows = await conn.all<HedgeOrderDbRow>(
    "SELECT * FROM hedge_orders WHERE status IN ('pending', 'open') ORDER BY created_at, client_order_id");
  return rows.map(decodeHedgeOrder);
}

/** All hedge orders, or one vault's, oldest first. */
export async function hedgeOrders(conn: SqliteConnection, vaultId?: string): Promise<HedgeOrderRow[]> {
  const rows = vaultId === undefined
    ? await conn.all<HedgeOrderDbRow>('SELECT * FROM hedge_orders ORDER BY created_at, client_order_id')
    : await conn.all<HedgeOrderDbRow>('SELECT * FROM hedge_orders WHERE vault_id = ? ORDER BY created_at, client_order_id', [vaultId]);
  return rows.map(decodeHedgeOrder);
}
