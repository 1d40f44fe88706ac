// What a commit tells the rest of the process: the engine events (and log lines) for the
// transitions, hedge order updates and vault heads a just-committed batch made durable.
// Pure apart from the logger: the engine publishes the returned events in order.
import type { CommitBatch } from '../../storage/journalStore.ts';
import type { EngineEvent, Logger } from './engineTypes.ts';
import type { Head } from './hedgeFirst.ts';

export interface CommittedEventsInput {
  batch: CommitBatch;
  heads: ReadonlyMap<string, Head>;
  /** Commit duration, ms. */
  latencyMs: number;
  /** Wall time and spot when each hedge was decided; final orders are removed from it. */
  triggers: Map<string, { wall: number; spotUsd: number }>;
  wallNow: number;
  log: Logger;
}

export function committedEvents(i: CommittedEventsInput): EngineEvent[] {
  const { batch, heads, triggers, log } = i;
  const out: EngineEvent[] = [{ kind: 'commit', rows: batch.journal.length + batch.rejected.length, latencyMs: i.latencyMs }];
  for (const row of batch.journal) {
    if (row.fromState !== row.toState) {
      log.info({ vault: row.vaultId, from: row.fromState, to: row.toState, delta: row.deltaBtc, reason: row.reason }, 'transition');
      out.push({ kind: 'transition', vaultId: row.vaultId, seq: row.seq, at: row.at, from: row.fromState, to: row.toState, event: row.eventType, reason: row.reason });
    }
  }
  for (const o of batch.hedgeOrders) {
    const head = heads.get(o.vaultId);
    const trig = triggers.get(o.clientOrderId);
    const final = o.status !== 'pending' && o.status !== 'open';
    if (final) triggers.delete(o.clientOrderId);
    log.info({ vault: o.vaultId, clientOrderId: o.clientOrderId, status: o.status, side: o.side, sizeBtc: o.sizeBtc, filledBtc: o.filledBtc, delta: head?.context.greeks.netBtc }, 'hedge');
    out.push({
      kind: 'hedge', vaultId: o.vaultId, clientOrderId: o.clientOrderId, at: o.updatedAt, side: o.side, sizeBtc: o.sizeBtc,
      filledBtc: o.filledBtc, avgPriceUsd: o.avgPriceUsd, feeUsd: o.feeUsd, status: o.status,
      // Latency (ms, wall) from the decision to the order's final status.
      triggerPriceUsd: trig?.spotUsd ?? 0, latencyMs: final && trig !== undefined ? i.wallNow - trig.wall : null,
    });
  }
  for (const [id, head] of heads) out.push({ kind: 'committed', vaultId: id, state: head.state, context: head.context, seq: head.seq });
  return out;
}
