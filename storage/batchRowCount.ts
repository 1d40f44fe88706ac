import type { CommitBatch } from './journalStore.ts';

/** Rows of every table in a batch (a lane log deletion counts as one). */
export function batchRowCount(b: CommitBatch): number {
  return b.journal.length + b.snapshots.length + b.fills.length + b.hedgeOrders.length +
    b.rejected.length + b.offsets.length + (b.laneLogThrough === undefined ? 0 : 1);
}
