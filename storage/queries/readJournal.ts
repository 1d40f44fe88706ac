// Journal reads. Rows come in (vault_id, seq) order, straight off the primary-key index;
// sinceSeq means seq > sinceSeq within each vault.
import type { JournalQuery, JournalRow } from '../journalStore.ts';
import type { JournalDbRow } from '../rowCodecs.ts';
import { decodeJournal } from '../rowCodecs.ts';
import type { SqliteConnection } from '../sqliteConnection.ts';

export async function readJournal(conn: SqliteConnection, q: JournalQuery): Promise<JournalRow[]> {
  const since = q.sinceSeq ?? 0;
  // LIMIT -1 is SQLite for "no limit".
  const limit = q.limit ?? -1;
  const rows = q.vaultId === undefined
    ? await conn.all<JournalDbRow>('SELECT * FROM journal WHERE seq > ? ORDER BY vault_id, seq LIMIT ?', [since, limit])
    : await conn.all<JournalDbRow>('SELECT * FROM journal WHERE vault_id = ? AND seq > ? ORDER BY seq LIMIT ?', [q.vaultId, since, limit]);
  return rows.map(decodeJournal);
}

/**
 * The newest row of a vault with a state change: a backward walk of the primary key from the
 * vault's last seq that stops at the first match (not a read of the whole journal).
 */
export async function lastTransition(conn: SqliteConnection, vaultId: string): Promise<JournalRow | null> {
  const row = await conn.get<JournalDbRow>('SELECT * FROM journal WHERE vault_id = ? AND from_state <> to_state ORDER BY seq DESC LIMIT 1', [vaultId]);
  return row === undefined ? null : decodeJournal(row);
}

/**
 * Every vault id in the journal or snapshots. The recursive query hops from one vault to
 * the next on the primary key (one seek per vault) instead of scanning every row.
 */
export async function vaultIds(conn: SqliteConnection): Promise<string[]> {
  const rows = await conn.all<{ id: string }>(`
    WITH RECURSIVE v(id) AS (
      SELECT (SELECT min(vault_id) FROM journal)
      UNION ALL
      SELECT (SELECT min(vault_id) FROM journal WHERE vault_id > v.id) FROM v WHERE v.id IS NOT NULL
    )
    SELECT id FROM v WHERE id IS NOT NULL
    UNION
    SELECT vault_id AS id FROM snapshots
    ORDER BY id`);
  return rows.map((r) => r.id);
}
