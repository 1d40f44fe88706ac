// Bounded reads of one vault's journal for the live views (issue 17): the first priced row
// (where PnL starts), the spot at given times (funding boundaries) and the recent rows the
// dashboard's charts and timeline restart from. Each is a handful of indexed reads
// (binary searches over seq), never a scan of the whole journal.
import type { JournalRow, JournalStore } from '../../storage/journalStore.ts';

async function rowAt(store: JournalStore, vaultId: string, seq: number): Promise<JournalRow | null> {
  const [row] = await store.readJournal({ vaultId, sinceSeq: seq - 1, limit: 1 });
  return row ?? null;
}

/** Smallest seq in [lo, hi] whose row satisfies `pred` (pred monotone: false ... false true ... true), or null. */
async function firstSeqWhere(store: JournalStore, vaultId: string, lo: number, hi: number, pred: (r: JournalRow) => boolean): Promise<JournalRow | null> {
  let found: JournalRow | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = await rowAt(store, vaultId, mid);
    if (row === null) { hi = mid - 1; continue; }
    if (pred(row)) { found = row; hi = mid - 1; } else lo = mid + 1;
  }
  return found;
}

/** The first row with a valid spot (priceUsd > 0; a vault's spot never goes back to 0), or null before any tick. */
export function firstPricedRow(store: JournalStore, vaultId: string, lastSeq: number): Promise<JournalRow | null> {
  return firstSeqWhere(store, vaultId, 1, lastSeq, (r) => r.priceUsd > 0);
}

/**
 * The vault's spot at each time in `times` (ascending): the price of its last journal row at or
 * before that time (event times rise with seq). A time before the first row gets 0. Each time
 * is found by interpolation between the bracketing rows, alternating with bisection so the
 * reads stay logarithmic when rows are not evenly spread in time.
 */
export async function spotsAt(store: JournalStore, vaultId: string, lastSeq: number, times: readonly number[]): Promise<number[]> {
  const out: number[] = [];
  const first = await rowAt(store, vaultId, 1);
  const last = await rowAt(store, vaultId, lastSeq);
  if (first === null || last === null) return times.map(() => 0);
  let lo = first; // at <= t (once t >= first.at)
  for (const t of times) {
    if (t < first.at) { out.push(0); continue; }
    if (t >= last.at) { out.push(last.priceUsd); continue; }
    if (lo.at > t) lo = first;
    let hi = last; // at > t
    for (let step = 0; hi.seq - lo.seq > 1; step++) {
      const guess = step % 2 === 0 && hi.at > lo.at ? lo.seq + Math.round(((t - lo.at) / (hi.at - lo.at)) * (hi.seq - lo.seq)) : Math.floor((lo.seq + hi.seq) / 2);
      const seq = Math.min(hi.seq - 1, Math.max(lo.seq + 1, guess));
      const row = await rowAt(store, vaultId, seq);
      if (row === null) throw new Error(`journal of ${vaultId}: no row at seq ${seq} below ${lastSeq}`);
      if (row.at <= t) lo = row; else hi = row;
    }
    out.push(lo.priceUsd);
  }
  return out;
}

/**
 * The vault's newest rows, newest last: up to `maxRows`, read backwards in pages; the pages
 * go on (up to `maxScanRows` in all) while fewer than `maxTransitions` state changes were seen,
 * so a quiet vault still shows its last transitions.
 */
export async function recentRows(store: JournalStore, vaultId: string, lastSeq: number, o: { maxRows: number; maxTransitions: number; maxScanRows: number }): Promise<{ rows: JournalRow[]; transitions: JournalRow[] }> {
  const page = Math.max(o.maxRows, 1_000);
  let rows: JournalRow[] = [];
  const transitions: JournalRow[] = [];
  let upTo = lastSeq;
  let scanned = 0;
  while (upTo >= 1 && scanned < o.maxScanRows) {
    const from = Math.max(0, upTo - page);
    const chunk = await store.readJournal({ vaultId, sinceSeq: from, limit: upTo - from });
    scanned += chunk.length;
    if (rows.length < o.maxRows) rows = [...chunk.slice(-(o.maxRows - rows.length)), ...rows];
    transitions.unshift(...chunk.filter((r) => r.fromState !== r.toState && r.fromState !== ''));
    if (transitions.length >= o.maxTransitions && rows.length >= o.maxRows) break;
    upTo = from;
  }
  return { rows, transitions: transitions.slice(-o.maxTransitions) };
}
