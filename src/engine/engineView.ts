// The engine's read/control face for the HTTP server (the server's EngineView port): per
// vault state, quotes, PnL and book risk from committed state, bounded history for charts,
// live updates, readiness, and control commands journaled as machine events. With a store,
// load() starts the history and the PnL ledgers from the journal, so a restarted process
// shows what it showed before.
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { VaultEvent } from '../../machines/vault.types.ts';
import type { JournalStore } from '../../storage/journalStore.ts';
import { bookRisk } from '../domain/bookRisk.ts';
import type { FundingTerms } from '../domain/fundingAccrual.ts';
import type {
  ControlCommand, EngineUpdate, EngineView, HedgeEntry, HistoryPoint, MachineGraph, QuoteCountersView, TransitionEntry, VaultView, VenueQuotesSource,
} from '../server/engineView.ts';
import type { Engine } from './engine.ts';
import type { EngineEvent } from './engineTypes.ts';
import { loadVaultHistory } from './vaultHistory.ts';
import { VaultLedger } from './vaultLedger.ts';
import { vaultQuotes } from './vaultQuotes.ts';

export interface EngineViewOptions {
  machineGraph: () => MachineGraph;
  /** Points kept per vault for charts (older ones are thinned out). */
  maxPoints?: number;
  maxEntries?: number;
  feedAgeMs: () => Record<string, number>;
  feedsFresh: () => boolean;
  recoveryDone: () => boolean;
  now: () => number;
  /** The journal: load() reads history and PnL facts from it. Without it, no PnL is shown. */
  store?: JournalStore;
  /** The venue's funding model (the simulated venue's); null or absent: funding not modelled. */
  funding?: FundingTerms | null;
  /** The venue adapter's counters, handed in by the composition root. */
  venueCounters?: () => Record<string, number>;
  /** The quote publisher, when an options book quotes: each vault's quotes on the venue and the counters. */
  venueQuotes?: VenueQuotesSource;
}

interface VaultHistory { points: HistoryPoint[]; transitions: TransitionEntry[]; hedges: HedgeEntry[]; last: TransitionEntry | null }

export class EngineViewAdapter implements EngineView {
  private readonly out = new Subject<EngineUpdate>();
  private readonly hist = new Map<string, VaultHistory>();
  private readonly sub: Subscription;
  private readonly quotesSub: Subscription | undefined;
  private readonly maxPoints: number;
  private readonly maxEntries: number;
  private readonly ledgers = new Map<string, VaultLedger>();

  constructor(private readonly engine: Engine, private readonly opts: EngineViewOptions) {
    this.maxPoints = opts.maxPoints ?? 2_000;
    this.maxEntries = opts.maxEntries ?? 500;
    for (const id of engine.vaultIds()) this.hist.set(id, { points: [], transitions: [], hedges: [], last: null });
    this.sub = engine.updates().subscribe({
      next: (e) => this.onEvent(e),
      error: () => this.out.complete(),
      complete: () => this.out.complete(),
    });
    // Quotes rest on the venue after the commit that wanted them: push the vault again then.
    this.quotesSub = opts.venueQuotes?.changes?.().subscribe((id) => {
      const vault = this.viewOf(id);
      const point = this.hist.get(id)?.points.at(-1);
      if (vault && point) this.out.next({ kind: 'vault', vault, point });
    });
  }

  /**
   * Starts every vault's history (the newest maxPoints journal rows, up to maxEntries
   * transitions and hedge orders) and its PnL ledger from the store. Call before the engine is
   * fed (after recovery), so no update falls between what the journal holds and what follows.
   */
  async load(): Promise<void> {
    const store = this.opts.store;
    if (!store) return;
    for (const id of this.engine.vaultIds()) {
      const c = this.engine.committedOf(id);
      const rt = this.engine.vault(id);
      if (!c || !rt) continue;
      const ledger = await VaultLedger.load(store, id, c.context, rt.seq, this.opts.funding ?? null);
      const loaded = await loadVaultHistory(store, id, rt.seq, c.context, ledger, { maxPoints: this.maxPoints, maxEntries: this.maxEntries });
      const h = this.h(id);
      h.points = [...loaded.points, ...h.points.filter((p) => p.at > (loaded.points[loaded.points.length - 1]?.at ?? Number.NEGATIVE_INFINITY))];
      h.transitions = [...loaded.transitions, ...h.transitions.filter((t) => t.seq > (loaded.transitions[loaded.transitions.length - 1]?.seq ?? 0))].slice(-this.maxEntries);
      h.hedges = loaded.hedges;
      h.last = h.transitions[h.transitions.length - 1] ?? null;
      this.ledgers.set(id, ledger);
    }
  }

  private h(id: string): VaultHistory {
    let h = this.hist.get(id);
    if (!h) { h = { points: [], transitions: [], hedges: [], last: null }; this.hist.set(id, h); }
    return h;
  }

  private onEvent(e: EngineEvent): void {
    switch (e.kind) {
      case 'committed': {
        const h = this.h(e.vaultId);
        const c = e.context;
        this.ledgers.get(e.vaultId)?.onContext(c);
        const point: HistoryPoint = { at: c.lastAt, priceUsd: c.spotUsd, deltaBtc: c.greeks.netBtc, perpBtc: c.perpBtc, hedgeBandBtc: c.bands.hedgeBtc, quoteBandBtc: c.bands.quoteBtc, state: e.state };
        const last = h.points[h.points.length - 1];
        if (last && last.at === point.at) h.points[h.points.length - 1] = point; else h.points.push(point);
        // Thin the oldest half instead of dropping it, so a long run still charts its start.
        if (h.points.length > this.maxPoints) h.points = [...h.points.slice(0, this.maxPoints / 2).filter((_, i) => i % 2 === 0), ...h.points.slice(this.maxPoints / 2)];
        const vault = this.viewOf(e.vaultId);
        if (vault) this.out.next({ kind: 'vault', vault, point });
        break;
      }
      case 'transition': {
        const entry: TransitionEntry = { vaultId: e.vaultId, seq: e.seq, at: e.at, from: e.from, to: e.to, event: e.event, reason: e.reason };
        const h = this.h(e.vaultId);
        h.transitions.push(entry);
        h.last = entry;
        if (h.transitions.length > this.maxEntries) h.transitions.shift();
        this.out.next({ kind: 'transition', entry });
        break;
      }
      case 'hedge': {
        const slippageBps = e.filledBtc > 0 && e.triggerPriceUsd > 0
          ? ((e.avgPriceUsd - e.triggerPriceUsd) / e.triggerPriceUsd) * 1e4 * (e.side === 'buy' ? 1 : -1) : undefined;
        const entry: HedgeEntry = {
          vaultId: e.vaultId, clientOrderId: e.clientOrderId, at: e.at, side: e.side, sizeBtc: e.sizeBtc, filledBtc: e.filledBtc,
          avgPriceUsd: e.avgPriceUsd, status: e.status, feeUsd: e.feeUsd,
          ...(slippageBps !== undefined ? { slippageBps } : {}), ...(e.latencyMs !== null ? { latencyMs: e.latencyMs } : {}),
        };
        this.ledgers.get(e.vaultId)?.onOrder(e.clientOrderId, { side: e.side, filledBtc: e.filledBtc, avgPriceUsd: e.avgPriceUsd, feeUsd: e.feeUsd, updatedAt: e.at });
        const h = this.h(e.vaultId);
        const i = h.hedges.findIndex((x) => x.clientOrderId === e.clientOrderId);
        if (i >= 0) h.hedges[i] = entry; else h.hedges.push(entry);
        if (h.hedges.length > this.maxEntries) h.hedges.shift();
        this.out.next({ kind: 'hedge', entry });
        break;
      }
      case 'rejected':
        this.out.next({ kind: 'rejected', source: e.source, reason: e.reason });
        break;
      case 'commit':
        this.out.next({ kind: 'commit', rows: e.rows, latencyMs: e.latencyMs });
        break;
    }
  }

  private viewOf(id: string): VaultView | null {
    const c = this.engine.committedOf(id);
    if (!c) return null;
    const h = this.h(id);
    const lt = h.last;
    const ctx = c.context;
    return {
      vaultId: id, state: c.state, context: ctx, quotes: vaultQuotes(c.state, ctx),
      ...(this.opts.venueQuotes ? { venueQuotes: this.opts.venueQuotes.view(id) } : {}),
      pnl: this.ledgers.get(id)?.pnl(ctx) ?? null,
      risk: ctx.spotUsd > 0 ? bookRisk(ctx.book, ctx.spotUsd, ctx.lastAt, ctx.config.ratePerYear, ctx.config.vol) : null,
      lastTransition: lt ? { at: lt.at, from: lt.from, to: lt.to, event: lt.event, reason: lt.reason, seq: lt.seq } : null,
    };
  }

  vaults(): VaultView[] {
    return this.engine.vaultIds().map((id) => this.viewOf(id)).filter((v): v is VaultView => v !== null);
  }

  history(vaultId: string): { points: HistoryPoint[]; transitions: TransitionEntry[]; hedges: HedgeEntry[] } {
    const h = this.h(vaultId);
    return { points: [...h.points], transitions: [...h.transitions], hedges: [...h.hedges] };
  }

  updates(): Observable<EngineUpdate> { return this.out.asObservable(); }
  machineGraph(): MachineGraph { return this.opts.machineGraph(); }

  readiness(): { feedsFresh: boolean; venueReachable: boolean; recoveryDone: boolean; detail: Record<string, string> } {
    const feedsFresh = this.opts.feedsFresh();
    const venueReachable = this.engine.venueReachable;
    const recoveryDone = this.opts.recoveryDone();
    return {
      feedsFresh, venueReachable, recoveryDone,
      detail: {
        feeds: feedsFresh ? 'fresh' : 'stale or not started',
        venue: venueReachable ? 'reachable' : 'unreachable',
        recovery: recoveryDone ? 'done' : 'in progress',
        engine: this.engine.failed ? `stopped: ${this.engine.failed.message}` : 'running',
      },
    };
  }

  feedAgeMs(): Record<string, number> { return this.opts.feedAgeMs(); }

  rejectedCounts(): Record<string, number> { return Object.fromEntries(this.engine.rejectedCounts); }
  venueCounters(): Record<string, number> { return this.opts.venueCounters?.() ?? {}; }
  quoteCounters(): QuoteCountersView | null { return this.opts.venueQuotes?.counters() ?? null; }

  async control(cmd: ControlCommand): Promise<{ journaled: number }> {
    const at = this.opts.now();
    const ids = cmd.type === 'kill' || !cmd.vaultId ? this.engine.vaultIds() : [cmd.vaultId];
    if (cmd.type !== 'kill' && cmd.vaultId && !this.engine.vault(cmd.vaultId)) throw new Error(`unknown vault ${cmd.vaultId}`);
    const event: VaultEvent = cmd.type === 'kill' ? { type: 'control.pause', at, reason: 'kill switch' }
      : cmd.type === 'pause' ? { type: 'control.pause', at, reason: 'paused by operator' }
        : cmd.type === 'resume' ? { type: 'control.resume', at } : { type: 'control.flatten', at };
    let journaled = 0;
    for (const id of ids) if (this.engine.dispatch(id, event)) journaled++;
    await this.engine.commit();
    return { journaled };
  }

  close(): void {
    this.sub.unsubscribe();
    this.quotesSub?.unsubscribe();
    this.out.complete();
  }
}

