import type { CommitBatch } from './journalStore.ts';

/** Rows of every table in a batch. */
export function batchRowCount(b: CommitBatch): number {
  return b.journal.length + b.snapshots.length + b.fills.length + b.hedgeOrders.length +
    b.rejected.length + b.offsets.length;
}
