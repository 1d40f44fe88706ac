// JournalStore kept in this process's memory, for a run whose journal is dropped when it ends: a
// backtest without --db (a sweep runs one per point). Writing an in-memory SQLite database
// costs about as much CPU as the rest of such a run (binding each row's parameters, the
// driver's thread hops), for tables nobody opens afterwards. The contract is the SQLite store's:
// - a batch is refused whole, with StorageError('constraint'), for whatever SQLite refuses (a
//   NULL or NaN in a NOT NULL column, a failed CHECK, a duplicate (vault, seq) or fill id) or
//   its commit path refuses (an infinite number); nothing of it stays;
// - rows are stored as SQLite's driver reads them back (memoryTables.ts) and read through the
//   same decoders, in the same order (the BINARY collation for text keys);
// - commitDecision's rows reach the tables with the next commit, as the lane log's do, and
//   pendingDecisions shows them until then.
// Nothing survives the process: foldDecisions has nothing to fold. A test runs the same batches,
// valid or not, through both stores and compares every read.
import type {
  CommitBatch, FillRow, HedgeOrderRow, JournalQuery, JournalRow, JournalStore, RejectedInputRow,
  SnapshotRow, SourceOffsetRow,
} from './journalStore.ts';
import { concatBatches } from './journalStore.ts';
import { compareBinary, constraint, MEMORY_TABLES, storedRow } from './memoryTables.ts';
import { lastPerKey } from './queries/commitBatch.ts';
import { decodeLaneEntry, encodeLaneEntry } from './queries/laneLog.ts';
import {
  decodeFill, decodeHedgeOrder, decodeJournal, decodeRejected, decodeSnapshot,
  encodeFill, encodeHedgeOrder, encodeJournal, encodeOffset, encodeRejected, encodeSnapshot,
  type FillDbRow, type HedgeOrderDbRow, type JournalDbRow, type OffsetDbRow, type RejectedDbRow, type SnapshotDbRow,
} from './rowCodecs.ts';
import { StorageError } from './storageError.ts';

/** One vault's journal rows in seq order, and their seqs. */
interface VaultRows { rows: JournalDbRow[]; seqs: Set<number> }

/** A batch as the tables store it, checked whole before any of it is applied. */
interface StoredBatch {
  journal: JournalDbRow[]; snapshots: SnapshotDbRow[]; fills: FillDbRow[]; hedgeOrders: HedgeOrderDbRow[];
  rejected: RejectedDbRow[]; offsets: OffsetDbRow[];
}

export class MemoryJournalStore implements JournalStore {
  readonly path = ':memory:';
  private readonly journal = new Map<string, VaultRows>();
  private readonly snapshots = new Map<string, SnapshotDbRow>();
  private readonly fills = new Map<string, FillDbRow>();
  private readonly orders = new Map<string, HedgeOrderDbRow>();
  private readonly rejected: RejectedDbRow[] = [];
  private readonly offsets = new Map<string, number>();
  /** commitDecision batches not yet in the tables, oldest first, and their lane log entries' text. */
  private decisions: CommitBatch[] = [];
  private entries: string[] = [];
  private closed = false;

  commit(batch: CommitBatch): Promise<void> {
    return this.op(() => {
      const all = this.decisions.reduceRight((acc, part) => concatBatches(part, acc), batch);
      this.apply(this.check(all));
      this.decisions = [];
      this.entries = [];
    });
  }

  commitDecision(batch: CommitBatch): Promise<void> {
    return this.op(() => {
      // The lane log's own check and text: refused now for what it refuses (a missing value,
      // NaN, an infinite number, a snapshot or offset); a clash with the tables' keys fails the
      // next commit, as it does there.
      const entry = encodeLaneEntry(batch);
      this.decisions = [...this.decisions, batch];
      this.entries = [...this.entries, entry];
    });
  }

  foldDecisions(): Promise<number> {
    return this.op(() => 0);
  }

  pendingDecisions(): Promise<CommitBatch[]> {
    return this.op(() => this.entries.map((text, i) => decodeLaneEntry(i + 1, text)));
  }

  latestSnapshots(): Promise<SnapshotRow[]> {
    return this.op(() => [...this.snapshots.values()].sort((a, b) => compareBinary(a.vault_id, b.vault_id)).map(decodeSnapshot));
  }

  journalTail(vaultId: string, afterSeq: number): Promise<JournalRow[]> {
    return this.readJournal({ vaultId, sinceSeq: afterSeq });
  }

  readJournal(q: JournalQuery): Promise<JournalRow[]> {
    return this.op(() => {
      const since = q.sinceSeq ?? 0;
      const ids = q.vaultId === undefined ? this.journalVaults() : [q.vaultId];
      const limit = q.limit === undefined || q.limit < 0 ? Number.POSITIVE_INFINITY : q.limit;
      const out: JournalRow[] = [];
      for (const id of ids) {
        for (const r of this.journal.get(id)?.rows ?? []) {
          if (out.length >= limit) return out;
          if (r.seq > since) out.push(decodeJournal(r));
        }
      }
      return out;
    });
  }

  lastTransition(vaultId: string): Promise<JournalRow | null> {
    return this.op(() => {
      const rows = this.journal.get(vaultId)?.rows ?? [];
      for (let i = rows.length - 1; i >= 0; i--) {
        const r = rows[i] as JournalDbRow;
        if (r.from_state !== r.to_state) return decodeJournal(r);
      }
      return null;
    });
  }

  vaultIds(): Promise<string[]> {
    return this.op(() => [...new Set([...this.journalVaults(), ...this.snapshots.keys()])].sort(compareBinary));
  }

  knownFillIds(fillIds: string[]): Promise<Set<string>> {
    return this.op(() => new Set(fillIds.filter((id) => this.fills.has(id))));
  }

  fillsOf(vaultId: string): Promise<FillRow[]> {
    return this.op(() => [...this.fills.values()].filter((f) => f.vault_id === vaultId)
      .sort((a, b) => a.seq - b.seq || compareBinary(a.fill_id, b.fill_id)).map(decodeFill));
  }

  openHedgeOrders(): Promise<HedgeOrderRow[]> {
    return this.op(() => this.ordersWhere((o) => o.status === 'pending' || o.status === 'open'));
  }

  hedgeOrders(vaultId?: string): Promise<HedgeOrderRow[]> {
    return this.op(() => this.ordersWhere((o) => vaultId === undefined || o.vault_id === vaultId));
  }

  sourceOffsets(): Promise<SourceOffsetRow[]> {
    return this.op(() => [...this.offsets].sort(([a], [b]) => compareBinary(a, b)).map(([source, offset]) => ({ source, offset })));
  }

  rejectedCounts(): Promise<Record<string, number>> {
    return this.op(() => {
      const n = new Map<string, number>();
      for (const r of this.rejected) n.set(r.reason, (n.get(r.reason) ?? 0) + 1);
      return Object.fromEntries([...n].sort(([a], [b]) => compareBinary(a, b)));
    });
  }

  rejectedInputs(limit?: number): Promise<RejectedInputRow[]> {
    return this.op(() => {
      const from = limit === undefined || limit < 0 ? 0 : Math.max(0, this.rejected.length - limit);
      return this.rejected.slice(from).map(decodeRejected);
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Every operation: refused after close, its error a rejected promise (as the SQLite store's). */
  private op<T>(task: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError('closed', `journal store ${this.path} is closed`));
    try {
      return Promise.resolve(task());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private journalVaults(): string[] {
    return [...this.journal.keys()].sort(compareBinary);
  }

  private ordersWhere(keep: (o: HedgeOrderDbRow) => boolean): HedgeOrderRow[] {
    return [...this.orders.values()].filter(keep)
      .sort((a, b) => a.created_at - b.created_at || compareBinary(a.client_order_id, b.client_order_id)).map(decodeHedgeOrder);
  }

  /**
   * The batch as stored rows, or the first constraint it breaks (against the tables and itself).
   * Upserts keep the last row per key before anything is checked, as the SQLite commit does.
   */
  private check(b: CommitBatch): StoredBatch {
    const t = MEMORY_TABLES;
    const s: StoredBatch = {
      journal: b.journal.map((r) => storedRow<JournalRow, JournalDbRow>(t.journal, r, encodeJournal)),
      snapshots: lastPerKey(b.snapshots, (r) => r.vaultId).map((r) => storedRow<SnapshotRow, SnapshotDbRow>(t.snapshots, r, encodeSnapshot)),
      fills: b.fills.map((r) => storedRow<FillRow, FillDbRow>(t.fills, r, encodeFill)),
      hedgeOrders: lastPerKey(b.hedgeOrders, (r) => r.clientOrderId).map((r) => storedRow<HedgeOrderRow, HedgeOrderDbRow>(t.hedgeOrders, r, encodeHedgeOrder)),
      rejected: b.rejected.map((r) => storedRow<RejectedInputRow, RejectedDbRow>(t.rejected, r, encodeRejected)),
      offsets: lastPerKey(b.offsets, (r) => r.source).map((r) => storedRow<SourceOffsetRow, OffsetDbRow>(t.offsets, r, encodeOffset)),
    };
    const keys = new Set<string>();
    for (const r of s.journal) {
      const key = `${r.vault_id}\u0000${r.seq}`;
      if (keys.has(key) || this.journal.get(r.vault_id)?.seqs.has(r.seq) === true) throw constraint(`UNIQUE constraint failed: journal.vault_id, journal.seq (${r.vault_id}, ${r.seq})`);
      keys.add(key);
    }
    const fillIds = new Set<string>();
    for (const f of s.fills) {
      if (fillIds.has(f.fill_id) || this.fills.has(f.fill_id)) throw constraint(`UNIQUE constraint failed: fills.fill_id (${f.fill_id})`);
      fillIds.add(f.fill_id);
    }
    return s;
  }

  /** Applies a checked batch; upserts row by row, so the last row per key wins. */
  private apply(s: StoredBatch): void {
    for (const r of s.journal) {
      let v = this.journal.get(r.vault_id);
      if (v === undefined) this.journal.set(r.vault_id, (v = { rows: [], seqs: new Set() }));
      insertBySeq(v.rows, r);
      v.seqs.add(r.seq);
    }
    for (const r of s.snapshots) this.snapshots.set(r.vault_id, r);
    for (const r of s.fills) this.fills.set(r.fill_id, r);
    for (const r of s.hedgeOrders) this.orders.set(r.client_order_id, r);
    this.rejected.push(...s.rejected);
    for (const r of s.offsets) this.offsets.set(r.source, r.offset);
  }
}

/** Keeps `rows` in seq order; rows almost always arrive in order, so this is a push. */
function insertBySeq(rows: JournalDbRow[], r: JournalDbRow): void {
  let i = rows.length;
  while (i > 0 && (rows[i - 1] as JournalDbRow).seq > r.seq) i--;
  rows.splice(i, 0, r);
}
