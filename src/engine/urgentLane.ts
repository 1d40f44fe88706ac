// The urgent lane of a live engine: a vault whose event just created a hedge order gets its
// uncommitted rows moved out of the shared batch into a small commit of their own (one lane
// log entry, see storage/queries/laneLog.ts), which goes to storage ahead of the shared batch,
// so the order waits for a few rows, not for the other vaults' ticks. Per-vault order is kept: every row of the vault pending at the move goes, in
// seq order, into the lane; later rows of that vault go to the shared batch, which is only
// ever committed after the lane's earlier parts (Engine.commitNow drains the lane first).
// Source offsets never go in the lane: an offset is committed only with every row before it.
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';
import { emptyBatch, type CommitBatch } from '../../storage/journalStore.ts';

export interface Head { state: VaultStateName; context: VaultContext; seq: number }

export class UrgentLane {
  private part: CommitBatch = emptyBatch();
  private heads = new Map<string, Head>();
  /** Drained parts durable in the lane log, not yet in the tables, and the last entry's id. */
  private logged: CommitBatch[] = [];
  private loggedThrough: number | undefined;

  get pending(): boolean { return this.heads.size > 0; }

  /**
   * Moves every row of `vaultId` pending in `shared` into the lane; `head` is the vault once they
   * are durable. No snapshot: the shared commit that moves the entry into the tables writes it.
   */
  take(vaultId: string, shared: CommitBatch, head: Head): void {
    moveRows(shared.journal, this.part.journal, (r) => r.vaultId === vaultId);
    moveRows(shared.fills, this.part.fills, (r) => r.vaultId === vaultId);
    moveRows(shared.hedgeOrders, this.part.hedgeOrders, (r) => r.vaultId === vaultId);
    this.heads.set(vaultId, head);
  }

  /** Parts written to the lane log and not yet moved into the tables? */
  get hasLogged(): boolean { return this.logged.length > 0; }

  /** A drained part is durable as lane log entry `id`: the next shared commit must move it. */
  logAt(part: CommitBatch, id: number): void {
    this.logged.push(part);
    this.loggedThrough = id;
  }

  /**
   * The shared batch to commit: the logged parts' rows ahead of `shared` (they are older), and
   * the entries to delete in the same transaction; the logged parts are handed over.
   */
  withLogged(shared: CommitBatch): CommitBatch {
    if (this.logged.length === 0) return shared;
    const out = { ...this.logged.reduceRight((acc, part) => concatBatches(part, acc), shared), laneLogThrough: this.loggedThrough };
    this.logged = [];
    this.loggedThrough = undefined;
    return out;
  }

  /** Everything in the lane, emptying it. */
  drain(): { batch: CommitBatch; heads: Map<string, Head> } {
    const out = { batch: this.part, heads: this.heads };
    this.part = emptyBatch();
    this.heads = new Map();
    return out;
  }
}

/** The rows of `a` then those of `b`, table by table (order within each table kept). */
export function concatBatches(a: CommitBatch, b: CommitBatch): CommitBatch {
  return {
    journal: [...a.journal, ...b.journal], snapshots: [...a.snapshots, ...b.snapshots], fills: [...a.fills, ...b.fills],
    hedgeOrders: [...a.hedgeOrders, ...b.hedgeOrders], rejected: [...a.rejected, ...b.rejected], offsets: [...a.offsets, ...b.offsets],
  };
}

/** Moves the rows matching `pick` from `from` to the end of `to`, keeping their order. */
function moveRows<T>(from: T[], to: T[], pick: (row: T) => boolean): void {
  let keep = 0;
  for (const row of from) {
    if (pick(row)) to.push(row);
    else from[keep++] = row;
  }
  from.length = keep;
}
