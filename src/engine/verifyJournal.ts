// `omm-hedger verify`: rebuild every vault from its journal alone and compare with its snapshot.
import type { JournalStore } from '../../storage/journalStore.ts';
import { foldRows } from './recovery.ts';

export interface VerifyResult {
  ok: boolean;
  vaults: { vaultId: string; events: number; ok: boolean; difference?: string }[];
}

/** First path at which two JSON values differ, or null when equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (a === b) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return `${path || '(root)'}: journal ${JSON.stringify(a)} vs snapshot ${JSON.stringify(b)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b as object)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return null;
}

export async function verifyJournal(store: JournalStore): Promise<VerifyResult> {
  const snaps = new Map((await store.latestSnapshots()).map((s) => [s.vaultId, s]));
  const ids = await store.vaultIds();
  const vaults: VerifyResult['vaults'] = [];
  for (const id of ids) {
    const rows = await store.journalTail(id, 0);
    const snap = snaps.get(id);
    let difference: string | undefined;
    try {
      // Fold the journal up to the snapshot's seq and compare; then fold the rest (the tail a
      // restart would replay), which must land on every journaled state too.
      if (!snap) throw new Error('no snapshot stored');
      const upto = rows.filter((r) => r.seq <= snap.seq);
      if (upto.length === 0 || (upto[upto.length - 1]?.seq ?? 0) !== snap.seq) throw new Error(`snapshot at seq ${snap.seq}, which the journal does not hold`);
      const rt = foldRows(null, upto);
      const d = firstDifference(JSON.parse(JSON.stringify(rt.persisted())), snap.snapshot);
      if (d) difference = d;
      else foldRows(rt, rows.filter((r) => r.seq > snap.seq));
      rt.stop();
    } catch (err) {
      difference = err instanceof Error ? err.message : String(err);
    }
    vaults.push(difference ? { vaultId: id, events: rows.length, ok: false, difference } : { vaultId: id, events: rows.length, ok: true });
  }
  return { ok: vaults.every((v) => v.ok), vaults };
}
