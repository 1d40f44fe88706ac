// A vault's PnL from committed state and stored facts (issue 17), for `status`, /metrics and
// the dashboard: the split is the domain's pnlSplit, the one the backtest uses.
// - Start: the genesis row's input (book, perp, cash), valued at the first price the vault saw.
// - Hedge: perp trade cash and fees from the hedge orders (cumulative fill per order).
// - Funding: the venue's funding model (FundingAccrual: the position held at every interval
//   boundary pays position x price x rate) over the orders' fills, each boundary priced at the
//   vault's spot then (read from the journal at load; after that, the spot of the last state
//   committed before the boundary: exact when commits are a step apart, as live, coarser in a
//   lockstep replay that commits every few thousand rows). null when the
//   venue's funding terms are not known (a venue other than the simulated one).
import type { OptionLeg, VaultContext, VaultInput, VolSurface } from '../../machines/vault.types.ts';
import type { HedgeOrderRow, JournalStore } from '../../storage/journalStore.ts';
import { bookValueUsd } from '../domain/bookValue.ts';
import { fundingBoundaries, fundingPaidUsd, type FundingTerms } from '../domain/fundingAccrual.ts';
import { hedgeCash, pnlSplit, type HedgeOrderFill, type PnlSplit } from '../domain/pnlSplit.ts';
import { firstPricedRow, spotsAt } from './journalLookups.ts';
import { GENESIS_EVENT } from './recovery.ts';

export interface VaultPnl extends PnlSplit {
  /** Hedge fees paid so far, USD (inside hedgeUsd). */
  feesUsd: number;
  /** Funding paid on the perp so far (> 0 paid), USD, inside hedgeUsd; null when the venue's funding is not modelled. */
  fundingUsd: number | null;
  /** Event time and spot the PnL is counted from (the first price after the vault was created). */
  sinceAt: number;
  sinceSpotUsd: number;
}

/** What PnL counts from; vol: the surface the book is valued on (the vault's, as committed). */
interface Start { cashUsd: number; perpBtc: number; book: readonly OptionLeg[]; ratePerYear: number; vol: VolSurface }
type OrderFill = HedgeOrderFill & { at: number };

export class VaultLedger {
  private readonly orders = new Map<string, OrderFill>();
  private readonly boundaryPrices = new Map<number, number>();
  private first: { at: number; spotUsd: number; bookValueUsd: number } | null = null;
  private last: { at: number; spotUsd: number } | null = null;
  private version = 0;
  private cache: { version: number; boundary: number; hedge: ReturnType<typeof hedgeCash>; fundingUsd: number | null } | null = null;

  private constructor(private readonly start: Start, private readonly funding: FundingTerms | null) {}

  /** The ledger of a vault as committed: genesis, first price, hedge orders and funding boundaries from the store. */
  static async load(store: JournalStore, vaultId: string, ctx: VaultContext, lastSeq: number, funding: FundingTerms | null): Promise<VaultLedger> {
    const [genesis] = await store.readJournal({ vaultId, sinceSeq: 0, limit: 1 });
    if (!genesis || genesis.eventType !== GENESIS_EVENT) throw new Error(`vault ${vaultId}: the journal does not start with its genesis row`);
    const input = genesis.event as VaultInput;
    const ledger = new VaultLedger({ cashUsd: input.cashUsd ?? 0, perpBtc: input.perpBtc ?? 0, book: input.book, ratePerYear: input.config.ratePerYear, vol: ctx.config.vol }, funding);
    const first = await firstPricedRow(store, vaultId, lastSeq);
    if (first) ledger.setFirst(first.at, first.priceUsd);
    for (const o of await store.hedgeOrders(vaultId)) ledger.onOrder(o.clientOrderId, o);
    let firstFill = Number.POSITIVE_INFINITY;
    for (const o of ledger.orders.values()) if (o.filledBtc > 0 && o.at < firstFill) firstFill = o.at;
    if (funding && Number.isFinite(firstFill) && ctx.lastAt >= firstFill) {
      const times = fundingBoundaries(funding, firstFill, ctx.lastAt);
      const spots = await spotsAt(store, vaultId, lastSeq, times);
      times.forEach((t, i) => ledger.boundaryPrices.set(t, spots[i] as number));
    }
    if (ctx.spotUsd > 0) ledger.last = { at: ctx.lastAt, spotUsd: ctx.spotUsd };
    return ledger;
  }

  private setFirst(at: number, spotUsd: number): void {
    this.first = { at, spotUsd, bookValueUsd: bookValueUsd(this.start.book, spotUsd, at, this.start.ratePerYear, this.start.vol) };
  }

  /** A hedge order's latest row (cumulative fill, fee; `updatedAt` is when it last filled). */
  onOrder(clientOrderId: string, o: Pick<HedgeOrderRow, 'side' | 'filledBtc' | 'avgPriceUsd' | 'feeUsd' | 'updatedAt'>): void {
    this.orders.set(clientOrderId, { side: o.side, filledBtc: o.filledBtc, avgPriceUsd: o.avgPriceUsd, feeUsd: o.feeUsd, at: o.updatedAt });
    this.version += 1;
  }

  /** A committed state: starts the PnL at the first price, and prices the funding boundaries it passed. */
  onContext(ctx: VaultContext): void {
    if (!(ctx.spotUsd > 0)) return;
    if (this.first === null) this.setFirst(ctx.spotAt || ctx.lastAt, ctx.spotUsd);
    const prev = this.last;
    if (this.funding && prev && ctx.lastAt > prev.at) {
      // A boundary between two committed states is priced at the earlier one's spot (the one
      // standing then), a boundary at the newer state's time at its spot.
      for (const t of fundingBoundaries(this.funding, prev.at + 1, ctx.lastAt)) this.boundaryPrices.set(t, t >= ctx.lastAt ? ctx.spotUsd : prev.spotUsd);
    }
    if (!prev || ctx.lastAt >= prev.at) this.last = { at: ctx.lastAt, spotUsd: ctx.spotUsd };
  }

  /** PnL at the committed state `ctx`, or null before the vault's first price. */
  pnl(ctx: VaultContext): VaultPnl | null {
    const first = this.first;
    if (first === null || !(ctx.spotUsd > 0)) return null;
    const boundary = this.funding ? Math.floor(ctx.lastAt / this.funding.intervalMs) : 0;
    if (!this.cache || this.cache.version !== this.version || this.cache.boundary !== boundary) {
      const fills = [...this.orders.values()].filter((o) => o.filledBtc > 0).map((o) => ({ at: o.at, btc: (o.side === 'buy' ? 1 : -1) * o.filledBtc }));
      const funding = this.funding;
      const fundingUsd = funding === null ? null
        : fundingPaidUsd(fills, funding, ctx.lastAt, (t) => this.boundaryPrices.get(t) ?? ctx.spotUsd);
      this.cache = { version: this.version, boundary, hedge: hedgeCash(this.orders.values()), fundingUsd };
    }
    const { hedge, fundingUsd } = this.cache;
    const split = pnlSplit({
      startCashUsd: this.start.cashUsd, startBookValueUsd: first.bookValueUsd, startPerpValueUsd: this.start.perpBtc * first.spotUsd,
      cashUsd: ctx.cashUsd, bookValueUsd: bookValueUsd(ctx.book, ctx.spotUsd, ctx.lastAt, this.start.ratePerYear, ctx.config.vol), perpBtc: ctx.perpBtc, spotUsd: ctx.spotUsd,
      hedgeTradeCashUsd: hedge.hedgeTradeCashUsd, feesUsd: hedge.feesUsd, fundingUsd: fundingUsd ?? 0,
    });
    return { ...split, feesUsd: hedge.feesUsd, fundingUsd, sinceAt: first.at, sinceSpotUsd: first.spotUsd };
  }

  /** The perp position after every hedge fill up to `at` (orders counted at their last update), BTC. */
  perpAt(at: number): number {
    let perp = this.start.perpBtc;
    for (const o of this.orders.values()) if (o.at <= at && o.filledBtc > 0) perp += (o.side === 'buy' ? 1 : -1) * o.filledBtc;
    return perp;
  }
}
