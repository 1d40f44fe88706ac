import type { RejectedInputRow } from '../journalStore.ts';
import type { RejectedDbRow } from '../rowCodecs.ts';
import { decodeRejected } from '../rowCodecs.ts';
import type { SqliteConnection } from '../sqliteConnection.ts';

/** Rejected inputs counted by reason ('nan-price': 3, ...). */
export async function rejectedCounts(conn: SqliteConnection): Promise<Record<string, number>> {
  const rows = await conn.all<{ reason: string; n: number }>(
    'SELECT reason, count(*) AS n FROM rejected_inputs GROUP BY reason ORDER BY reason');
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.reason] = r.n;
  return counts;
}

/** The last `limit` rejected inputs (all if no limit), in the order they were recorded. */
export async function rejectedInputs(conn: SqliteConnection, limit?: number): Promise<RejectedInputRow[]> {
  const rows = await conn.all<RejectedDbRow>(
    'SELECT * FROM (SELECT * FROM rejected_inputs ORDER BY id DESC LIMIT ?) ORDER BY id', [limit ?? -1]);
  return rows.map(decodeRejected);
}
