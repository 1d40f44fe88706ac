// Reads our taker fills from the perp event queue and publishes each one once on a stream.
// The queue's seqNum only grows, so remembering the last one emitted is enough; a restarted
// process re-emits what is still in the ring with the same fillId (consumers dedupe by it).
import type { Connection, PublicKey } from '@solana/web3.js';
import { Subject, type Observable } from 'rxjs';
import { VenueUnavailableError, type VenueFill } from '../hedgeVenue.ts';
import { readFailure } from './mangoErrors.ts';
import { baseLotsToBtc, priceLotsToUsd, type LotSpec } from './mangoLots.ts';
import { parseFillEvents, type TakerFill } from './parseFillEvents.ts';

export class MangoFillTracker {
  private readonly fills$ = new Subject<VenueFill>();
  private readonly idByU64 = new Map<string, string>();
  private lastEmittedSeq = -1n;

  constructor(
    private readonly connection: Connection,
    private readonly eventQueue: PublicKey,
    private readonly perpMarket: PublicKey,
    private readonly takerAccount: PublicKey,
    private readonly market: string,
    private readonly spec: LotSpec,
  ) {}

  /** Remembers which engine id a u64 client order id stands for (fills carry only the u64). */
  register(u64: string, clientOrderId: string): void {
    this.idByU64.set(u64, clientOrderId);
  }

  /** Fills for one client order id; emits every fill of ours not yet emitted. */
  async read(u64: string): Promise<TakerFill[]> {
    let data: Buffer | undefined;
    try {
      data = (await this.connection.getAccountInfo(this.eventQueue))?.data;
    } catch (e) {
      throw readFailure(e, 'reading the perp event queue');
    }
    if (!data) throw new VenueUnavailableError('perp event queue account not found');
    const all = parseFillEvents(data, this.takerAccount.toBase58()).fills; // sorted by seqNum
    for (const f of all) this.emit(f);
    return all.filter((f) => f.takerClientOrderId === u64);
  }

  private emit(f: TakerFill): void {
    const seq = BigInt(f.seqNum);
    if (seq <= this.lastEmittedSeq) return;
    this.lastEmittedSeq = seq;
    const sizeBtc = baseLotsToBtc(f.quantityLots, this.spec);
    const priceUsd = priceLotsToUsd(f.priceLots, this.spec);
    this.fills$.next({
      clientOrderId: this.idByU64.get(f.takerClientOrderId) ?? `mango:${f.takerClientOrderId}`,
      market: this.market, side: f.takerSide, sizeBtc, priceUsd,
      feeUsd: f.takerFeeRate * sizeBtc * priceUsd, at: f.timestampSec * 1000,
      fillId: `${this.perpMarket.toBase58()}:${f.seqNum}`,
    });
  }

  fills(): Observable<VenueFill> {
    return this.fills$.asObservable();
  }

  complete(): void {
    this.fills$.complete();
  }
}
