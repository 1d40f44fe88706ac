import type { SnapshotRow, SourceOffsetRow } from '../journalStore.ts';
import type { OffsetDbRow, SnapshotDbRow } from '../rowCodecs.ts';
import { decodeSnapshot } from '../rowCodecs.ts';
import type { SqliteConnection } from '../sqliteConnection.ts';

/** The latest snapshot of every vault, by vault id. */
export async function latestSnapshots(conn: SqliteConnection): Promise<SnapshotRow[]> {
  const rows = await conn.all<SnapshotDbRow>('SELECT * FROM snapshots ORDER BY vault_id');
  return rows.map(decodeSnapshot);
}

/** The committed offset of every input source, by source name. */
export async function sourceOffsets(conn: SqliteConnection): Promise<SourceOffsetRow[]> {
  const rows = await conn.all<OffsetDbRow>('SELECT source, "offset" FROM source_offsets ORDER BY source');
  return rows.map((r) => ({ source: r.source, offset: r.offset }));
}
