// What the dashboard showed before a restart, rebuilt from the journal (issue 17): chart points
// from the newest journal rows (spot, delta and hedge band are on every row; the perp position
// follows from the hedge orders; the quote band from the hedge band, whose ratio the band
// config fixes), the last transitions and the last hedge orders. Bounded: at most maxPoints
// rows for the charts, maxEntries transitions and hedges, 10 x maxPoints rows read in all.
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';
import type { JournalStore } from '../../storage/journalStore.ts';
import type { HedgeEntry, HistoryPoint, TransitionEntry } from '../server/engineView.ts';
import { recentRows } from './journalLookups.ts';
import type { VaultLedger } from './vaultLedger.ts';

const STATES: ReadonlySet<string> = new Set<VaultStateName>(['neutral', 'overexposed', 'underexposed', 'hedging', 'cooldown', 'halted']);
const isVaultState = (s: string): s is VaultStateName => STATES.has(s);

export interface LoadedHistory { points: HistoryPoint[]; transitions: TransitionEntry[]; hedges: HedgeEntry[] }

export async function loadVaultHistory(
  store: JournalStore, vaultId: string, lastSeq: number, ctx: VaultContext, ledger: VaultLedger, o: { maxPoints: number; maxEntries: number },
): Promise<LoadedHistory> {
  const { rows, transitions } = await recentRows(store, vaultId, lastSeq, { maxRows: o.maxPoints, maxTransitions: o.maxEntries, maxScanRows: 10 * o.maxPoints });
  // Quote band / hedge band is a constant of the band config (fixed widths, or both scaled alike).
  const quotePerHedge = ctx.bands.hedgeBtc > 0 ? ctx.bands.quoteBtc / ctx.bands.hedgeBtc : 0;
  const points: HistoryPoint[] = [];
  // A point's time is the vault's lastAt after the row (the newest event time so far, as a live
  // point's is): a venue report can carry an event time a little before the last tick's.
  let lastAt = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    lastAt = Math.max(lastAt, r.at);
    if (!(r.priceUsd > 0) || !isVaultState(r.toState)) continue;
    const p: HistoryPoint = {
      at: lastAt, priceUsd: r.priceUsd, deltaBtc: r.deltaBtc, perpBtc: ledger.perpAt(r.at), hedgeBandBtc: r.hedgeBandBtc,
      quoteBandBtc: r.hedgeBandBtc * quotePerHedge, state: r.toState,
    };
    // One point per event time, the last row of it (as the live history keeps one per commit).
    if (points.length > 0 && (points[points.length - 1] as HistoryPoint).at === p.at) points[points.length - 1] = p;
    else if (points.length === 0 || (points[points.length - 1] as HistoryPoint).at < p.at) points.push(p);
  }
  const orders = (await store.hedgeOrders(vaultId)).sort((a, b) => a.createdAt - b.createdAt || (a.clientOrderId < b.clientOrderId ? -1 : 1)).slice(-o.maxEntries);
  return {
    points,
    transitions: transitions.map((r) => ({ vaultId, seq: r.seq, at: r.at, from: r.fromState, to: r.toState, event: r.eventType, reason: r.reason })),
    hedges: orders.map((h) => ({
      vaultId, clientOrderId: h.clientOrderId, at: h.updatedAt, side: h.side, sizeBtc: h.sizeBtc, filledBtc: h.filledBtc,
      avgPriceUsd: h.avgPriceUsd, status: h.status, feeUsd: h.feeUsd,
    })),
  };
}
