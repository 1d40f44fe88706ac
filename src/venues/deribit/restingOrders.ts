// Our quotes resting on Deribit, by label, as last known: loaded from
// private/get_open_orders_by_currency (kind option), then kept current by our own request
// answers and user.orders.option.* notifications. An update older than what is held for the
// same order is ignored (answers and notifications race). `stale` asks for a reload before
// the next sync (after a reconnect or an MMP trigger: the venue may have cancelled orders).
import type { QuoteSide, RestingQuote } from '../optionsBook.ts';
import type { DeribitOrder } from './parseOrders.ts';
import { parseQuoteLabel } from './quoteLabels.ts';

export interface RestingRecord {
  label: string;
  vaultId: string;
  instrument: string;
  side: QuoteSide;
  orderId: string;
  priceBtc: number;
  /** Order amount and filled amount, contracts. */
  amount: number;
  filled: number;
  updatedAt: number;
}

export class RestingOrders {
  private readonly byLabel = new Map<string, RestingRecord>();
  /** Labels that had more than one open order at the last load (cancel them all, then place). */
  readonly duplicates = new Set<string>();
  stale = true;

  replaceAll(orders: readonly DeribitOrder[]): void {
    this.byLabel.clear();
    this.duplicates.clear();
    for (const o of orders) {
      if (o.state !== 'open') continue;
      const r = toRecord(o);
      if (!r) continue;
      if (this.byLabel.has(r.label)) this.duplicates.add(r.label);
      this.byLabel.set(r.label, r);
    }
    this.stale = false;
  }

  apply(o: DeribitOrder): void {
    const r = toRecord(o);
    if (!r) return;
    const held = this.byLabel.get(r.label);
    if (held && held.orderId === r.orderId && held.updatedAt > r.updatedAt) return;
    if (o.state === 'open') this.byLabel.set(r.label, r);
    else if (held?.orderId === r.orderId) this.byLabel.delete(r.label);
  }

  remove(label: string): void {
    this.byLabel.delete(label);
    this.duplicates.delete(label);
  }

  get(label: string): RestingRecord | undefined {
    return this.byLabel.get(label);
  }

  forVault(vaultId: string | undefined): RestingRecord[] {
    return [...this.byLabel.values()].filter((r) => vaultId === undefined || r.vaultId === vaultId);
  }

  clear(): void {
    this.byLabel.clear();
    this.duplicates.clear();
  }
}

function toRecord(o: DeribitOrder): RestingRecord | null {
  const parsed = o.label === null ? null : parseQuoteLabel(o.label);
  if (!parsed || o.price === null || parsed.instrument !== o.instrument) return null;
  if ((parsed.side === 'bid') !== (o.side === 'buy')) return null;
  return { label: o.label!, ...parsed, orderId: o.orderId, priceBtc: o.price, amount: o.amount, filled: o.filledAmount, updatedAt: o.updatedAt };
}

export function toRestingQuote(r: RestingRecord): RestingQuote {
  return {
    vaultId: r.vaultId, instrument: r.instrument, side: r.side, label: r.label, orderId: r.orderId, priceBtc: r.priceBtc,
    amountContracts: Math.round((r.amount - r.filled) * 1e8) / 1e8, filledContracts: r.filled, updatedAt: r.updatedAt,
  };
}
