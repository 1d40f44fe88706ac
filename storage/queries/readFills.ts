import type { FillRow } from '../journalStore.ts';
import type { FillDbRow } from '../rowCodecs.ts';
import { decodeFill } from '../rowCodecs.ts';
import type { SqliteConnection } from '../sqliteConnection.ts';
import { MAX_SQL_PARAMS } from './insertRows.ts';

/** The subset of `fillIds` already booked, looked up in chunks under the parameter limit. */
export async function knownFillIds(conn: SqliteConnection, fillIds: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  const unique = [...new Set(fillIds)];
  for (let start = 0; start < unique.length; start += MAX_SQL_PARAMS) {
    const chunk = unique.slice(start, start + MAX_SQL_PARAMS);
    const marks = chunk.map(() => '?').join(',');
    const rows = await conn.all<{ fill_id: string }>(`SELECT fill_id FROM fills WHERE fill_id IN (${marks})`, chunk);
    for (const r of rows) known.add(r.fill_id);
  }
  return known;
}

/** Fills of one vault in booking (journal seq) order. */
export async function fillsOf(conn: SqliteConnection, vaultId: string): Promise<FillRow[]> {
  const rows = await conn.all<FillDbRow>('SELECT * FROM fills WHERE vault_id = ? ORDER BY seq, fill_id', [vaultId]);
  return rows.map(decodeFill);
}
