// Finds an earlier PlacePerpOrder2 by client order id in the Mango account's recent
// transaction history: after a restart this recovers the requested size (filled vs IOC
// remainder cancelled), a landed order that matched nothing, and a rejected one with its logs.
// Decoded transactions are cached by signature, so the steady-state cost of a lookup is one
// getSignaturesForAddress plus one getTransaction per transaction new since the last lookup.
import type { Connection, PublicKey } from '@solana/web3.js';
import { decodePlacePerpOrder2 } from './decodePlacePerpOrder.ts';
import { programLogReason } from './programLogReason.ts';

export interface PlacedOnChain {
  txid: string;
  clientOrderId: string;
  requestedLots: number;
  side: 'buy' | 'sell';
  /** Set when the transaction failed: the program's reason. */
  rejectReason?: string;
  /** Chain time of the block, unix ms (null if the node does not know it). */
  blockTimeMs: number | null;
}

export class MangoOrderHistory {
  /** signature -> the PlacePerpOrder2 orders it carried (usually one). */
  private readonly decoded = new Map<string, PlacedOnChain[]>();

  constructor(
    private readonly connection: Connection,
    private readonly mangoAccount: PublicKey,
    private readonly programId: PublicKey,
    /** How many of the newest transactions of the account to scan. */
    private readonly limit = 50,
  ) {}

  async find(clientOrderIdU64: string): Promise<PlacedOnChain | undefined> {
    const sigs = await this.connection.getSignaturesForAddress(this.mangoAccount, { limit: this.limit }, 'confirmed');
    for (const s of sigs) {
      let orders = this.decoded.get(s.signature);
      if (orders === undefined) {
        const fetched = await this.decode(s.signature);
        if (fetched === undefined) continue; // not yet queryable: do not cache
        orders = fetched;
        this.decoded.set(s.signature, orders);
      }
      const hit = orders.find((o) => o.clientOrderId === clientOrderIdU64);
      if (hit) return hit;
    }
    return undefined;
  }

  private async decode(signature: string): Promise<PlacedOnChain[] | undefined> {
    const tx = await this.connection.getTransaction(signature, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 });
    if (!tx) return undefined;
    const msg = tx.transaction.message;
    const keys = msg.staticAccountKeys;
    const failed = tx.meta?.err !== null && tx.meta?.err !== undefined;
    const out: PlacedOnChain[] = [];
    for (const ix of msg.compiledInstructions) {
      if (!keys[ix.programIdIndex]?.equals(this.programId)) continue;
      const order = decodePlacePerpOrder2(ix.data);
      if (!order) continue;
      out.push({
        txid: signature, clientOrderId: order.clientOrderId, requestedLots: order.maxBaseLots, side: order.side,
        rejectReason: failed ? programLogReason(tx.meta?.logMessages, tx.meta?.err) ?? 'transaction failed' : undefined,
        blockTimeMs: tx.blockTime ? tx.blockTime * 1000 : null,
      });
    }
    return out;
  }
}
