// Fetches a failed transaction's program logs. mango-client only throws "Transaction failed"
// (its own simulate call is broken with current web3.js 1.x), so we ask the cluster for the
// landed transaction and, if it is not yet queryable, simulate the signed transaction.
import type { Connection, Transaction } from '@solana/web3.js';
import { programLogReason } from './programLogReason.ts';

export async function failedTxReason(connection: Connection, txid: string, tx: Transaction): Promise<string> {
  try {
    const landed = await connection.getTransaction(txid, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 });
    const reason = programLogReason(landed?.meta?.logMessages, landed?.meta?.err ?? undefined);
    if (reason !== undefined) return reason;
  } catch {
    // Fall through to simulation: the logs are what matter, not which call produced them.
  }
  try {
    const sim = await connection.simulateTransaction(tx);
    const reason = programLogReason(sim.value.logs, sim.value.err ?? undefined);
    if (reason !== undefined) return reason;
  } catch {
    // Nothing more to learn.
  }
  return `transaction ${txid} failed (no program logs available)`;
}
