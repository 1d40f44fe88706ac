// Hedge first: the one mechanism that makes live hedging fast, and its one contract.
// 1. A tick reaches the vaults predicted to cross their hedge band first (rank(): delta +
//    gamma x move against the band, from copies of each vault's numbers kept by note(), see
//    bandProximity.ts); the live driver gives it to the others once their decisions are
//    written (written()), a turn of the event loop later.
// 2. A vault whose event just created a hedge order gets its uncommitted rows (journal, fills,
//    the order) moved out of the shared batch (take()) and made durable on their own
//    (JournalStore.commitDecision: one small append, ahead of the tables, which the store's
//    next commit writes into them), started as soon as the synchronous burst of events in
//    progress has been applied (one microtask, queued by the burst's first take(): the only
//    trigger). Its order leaves once that is durable, waiting for its own few rows, not for
//    every vault's tick.
// Per-vault order is kept: every row of the vault pending at the move goes, in seq order, into
// this part; its later rows go to the shared batch, which is only ever written after (or
// together with, ahead of it) this part. No snapshot and no source offset go here: the vault
// stays dirty, so the next shared commit writes its snapshot, and an offset is committed only
// with every row before it. A crash in between leaves the decision durable and the previous
// snapshot: the next start writes the decision into the tables and folds it like any tail.
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';
import { emptyBatch, type CommitBatch } from '../../storage/journalStore.ts';
import { BandProximity, type ProximityInput } from './bandProximity.ts';

export interface Head { state: VaultStateName; context: VaultContext; seq: number }

export class HedgeFirst {
  private part: CommitBatch = emptyBatch();
  private heads = new Map<string, Head>();
  /** A commit is queued (a microtask) for the burst in progress. */
  private queued = false;
  /** Settles once the commit the last trigger started is over (written, effects started). */
  private done: Promise<void> = Promise.resolve();
  private settle: () => void = () => undefined;
  private readonly proximity = new BandProximity();

  /** `commit` writes drain()'s rows and starts their effects; it is called once after a burst in which take() was called. */
  constructor(private readonly commit: () => Promise<void>) {}

  get pending(): boolean { return this.heads.size > 0; }

  /** Records a vault's numbers after each change, for rank(). */
  note(vaultId: string, ctx: ProximityInput): void { this.proximity.set(vaultId, ctx); }

  /** Every vault, nearest past its hedge band at `priceUsd` first; `likely`: how many lead predicted at or past it. */
  rank(priceUsd: number): { order: string[]; likely: number } { return this.proximity.rank(priceUsd); }

  /** Moves every row of `vaultId` pending in `shared` into this part; `head` is the vault once they are durable. */
  take(vaultId: string, shared: CommitBatch, head: Head): void {
    moveRows(shared.journal, this.part.journal, (r) => r.vaultId === vaultId);
    moveRows(shared.fills, this.part.fills, (r) => r.vaultId === vaultId);
    moveRows(shared.hedgeOrders, this.part.hedgeOrders, (r) => r.vaultId === vaultId);
    this.heads.set(vaultId, head);
    if (this.queued) return;
    this.queued = true;
    this.done = new Promise<void>((r) => { this.settle = r; });
    // A microtask, not a later turn of the event loop: the write reaches the database thread
    // right after the burst (a live tick given to every vault predicted to hedge), before any
    // timer or I/O callback of this turn runs.
    queueMicrotask(() => {
      if (!this.queued) return; // cancelled
      this.queued = false;
      const settle = this.settle;
      this.commit().then(settle, settle);
    });
  }

  /**
   * Settles once the decisions taken so far are durable and their orders on their way (at once
   * if none waits). The live driver gives a tick to the other vaults only then: on two cores the
   * database thread and the rest of the tick would otherwise compete, and the commit's answer
   * would wait for the rest of the tick.
   */
  written(): Promise<void> { return this.done; }

  /** Everything taken, emptying the part. */
  drain(): { batch: CommitBatch; heads: Map<string, Head> } {
    const out = { batch: this.part, heads: this.heads };
    this.part = emptyBatch();
    this.heads = new Map();
    return out;
  }

  cancel(): void {
    this.queued = false;
    this.settle();
  }
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
