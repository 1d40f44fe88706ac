// Prometheus metrics of the engine, in a registry of our own (never prom-client's global
// one, so two engines in one process or in tests do not collide). Gauges of current state
// are read from the EngineView at scrape time; counters and histograms are fed from
// engine.updates(). Units follow Prometheus conventions: seconds, BTC, USD, bps in names.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Subscription } from 'rxjs';
import type { VaultStateName } from '../../machines/vault.types.ts';
import type { EngineUpdate, EngineView, HedgeEntry, HistoryPoint, QuoteCountersView, VaultView } from './engineView.ts';

export const VAULT_STATES: readonly VaultStateName[] = ['neutral', 'overexposed', 'underexposed', 'hedging', 'cooldown', 'halted'];

/** Hedge statuses after which an order sees no further updates. */
const TERMINAL_HEDGE = new Set(['filled', 'rejected', 'failed', 'cancelled', 'canceled', 'expired']);
/** Bound on per-order bookkeeping so a weeks-long run keeps flat memory. */
const MAX_TRACKED_ORDERS = 10_000;
const NAN_SAMPLE = /^[^#].* (NaN|Nan|nan)$/;

export interface EngineMetrics {
  registry: Registry;
  /** Prometheus text exposition. */
  render(): Promise<string>;
  contentType: string;
  /** Stops listening to engine updates. */
  stop(): void;
}

export function createMetrics(engine: EngineView, opts: { defaultMetrics?: boolean } = {}): EngineMetrics {
  const registry = new Registry();
  // One engine.vaults() per scrape, shared by every per-vault gauge (views may be costly to build).
  let scrapeVaults: VaultView[] | null = null;
  const vaults = (): VaultView[] => scrapeVaults ?? engine.vaults();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const reg = [registry];

  new Gauge({ name: 'omm_vault_delta_btc', help: 'Net delta of the vault (options + perp), BTC', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) this.set({ vault: v.vaultId }, v.context.greeks.netBtc); } });
  new Gauge({ name: 'omm_vault_options_delta_btc', help: 'Delta of the option book alone, BTC', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) this.set({ vault: v.vaultId }, v.context.greeks.optionsBtc); } });
  new Gauge({ name: 'omm_vault_gamma_btc_per_usd', help: 'Gamma of the vault, BTC of delta per USD of spot', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) this.set({ vault: v.vaultId }, v.context.greeks.gamma); } });
  new Gauge({ name: 'omm_vault_perp_position_btc', help: 'Perp hedge position, BTC (signed)', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) this.set({ vault: v.vaultId }, v.context.perpBtc); } });
  new Gauge({ name: 'omm_vault_state', help: 'Vault machine state: 1 for the current state, 0 for the others', labelNames: ['vault', 'state'], registers: reg,
    collect() {
      this.reset();
      for (const v of vaults()) for (const s of VAULT_STATES) this.set({ vault: v.vaultId, state: s }, v.state === s ? 1 : 0);
    } });
  new Gauge({ name: 'omm_vault_band_btc', help: 'Delta band widths of the vault, BTC', labelNames: ['vault', 'band'], registers: reg,
    collect() {
      this.reset();
      for (const v of vaults()) {
        const b = v.context.bands;
        this.set({ vault: v.vaultId, band: 'quote' }, b.quoteBtc);
        this.set({ vault: v.vaultId, band: 'hedge' }, b.hedgeBtc);
        this.set({ vault: v.vaultId, band: 'reentry' }, b.reentryBtc);
        this.set({ vault: v.vaultId, band: 'hard' }, b.hardBtc);
      }
    } });
  new Gauge({ name: 'omm_vault_spot_usd', help: 'Last valid spot price seen by the vault, USD', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) this.set({ vault: v.vaultId }, v.context.spotUsd); } });
  // PnL since the vault's first price and the book's risk in trader's units (README: definitions).
  new Gauge({ name: 'omm_vault_pnl_usd', help: 'Vault PnL since its first price, USD: part=option (premiums, payoffs, book mark change), hedge (perp mark-to-market and trade cash less fees and funding), total', labelNames: ['vault', 'part'], registers: reg,
    collect() {
      this.reset();
      for (const v of vaults()) {
        if (!v.pnl) continue;
        this.set({ vault: v.vaultId, part: 'option' }, v.pnl.optionUsd);
        this.set({ vault: v.vaultId, part: 'hedge' }, v.pnl.hedgeUsd);
        this.set({ vault: v.vaultId, part: 'total' }, v.pnl.totalUsd);
      }
    } });
  new Gauge({ name: 'omm_vault_hedge_fees_usd', help: 'Hedge fees paid since the vault\'s first price, USD (inside hedge PnL)', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) if (v.pnl) this.set({ vault: v.vaultId }, v.pnl.feesUsd); } });
  new Gauge({ name: 'omm_vault_funding_usd', help: 'Perp funding paid since the vault\'s first price (> 0 paid), USD, on the venue\'s funding model; absent when not modelled', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) if (v.pnl && v.pnl.fundingUsd !== null) this.set({ vault: v.vaultId }, v.pnl.fundingUsd); } });
  new Gauge({ name: 'omm_vault_gamma_btc_per_pct_move', help: 'Book gamma: BTC of delta the options gain when spot rises 1% (gamma x spot x 0.01)', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) if (v.risk) this.set({ vault: v.vaultId }, v.risk.gammaBtcPerPct); } });
  new Gauge({ name: 'omm_vault_vega_usd_per_vol_point', help: 'Book vega: USD the options gain when every vol rises 1 point (0.01)', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) if (v.risk) this.set({ vault: v.vaultId }, v.risk.vegaUsdPerVolPt); } });
  new Gauge({ name: 'omm_vault_theta_usd_per_day', help: 'Book theta: USD the options gain as one calendar day passes (theta per year / 365)', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) if (v.risk) this.set({ vault: v.vaultId }, v.risk.thetaUsdPerDay); } });
  new Gauge({ name: 'omm_feed_age_seconds', help: 'Wall-clock age of the last valid tick per price source, seconds', labelNames: ['source'], registers: reg,
    collect() { this.reset(); for (const [s, ms] of Object.entries(engine.feedAgeMs())) if (Number.isFinite(ms)) this.set({ source: s }, ms / 1000); } });
  new Gauge({ name: 'omm_ready', help: '1 when feeds are fresh, the venue reachable and recovery done', registers: reg,
    collect() { const r = engine.readiness(); this.set(r.feedsFresh && r.venueReachable && r.recoveryDone ? 1 : 0); } });
  new Gauge({ name: 'omm_rejected_inputs_engine', help: 'Rejected inputs counted by the engine since it started, per reason', labelNames: ['reason'], registers: reg,
    collect() { this.reset(); for (const [r, n] of Object.entries(engine.rejectedCounts())) this.set({ reason: r }, n); } });

  new Counter({ name: 'omm_venue_rate_limit_backoffs_total', help: 'Rate-limit answers of the venue the adapter backed off from', registers: reg,
    collect() { this.reset(); this.inc(engine.venueCounters?.().rateLimitBackoffs ?? 0); } });

  if (engine.quoteCounters?.()) quoteMetrics(engine, vaults, reg);

  const outside = new Counter({ name: 'omm_vault_time_outside_band_seconds_total',
    help: 'Event time the vault spent with |delta| above a band (quote or hedge), seconds', labelNames: ['vault', 'band'], registers: reg });
  const hedges = new Counter({ name: 'omm_hedges_total', help: 'Hedge order updates by vault and status', labelNames: ['vault', 'status'], registers: reg });
  const hedgeLatency = new Histogram({ name: 'omm_hedge_latency_seconds', help: 'Hedge trigger to fill, seconds', labelNames: ['vault'], registers: reg,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
  const slippage = new Histogram({ name: 'omm_hedge_slippage_bps', help: 'Hedge fill price vs spot at trigger, bps (adverse positive)', labelNames: ['vault'], registers: reg,
    buckets: [-10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 50, 100] });
  const fees = new Counter({ name: 'omm_hedge_fees_usd_total', help: 'Fees paid on hedges, USD', labelNames: ['vault'], registers: reg });
  const rejected = new Counter({ name: 'omm_rejected_inputs_total', help: 'Inputs rejected by validation, by source and reason', labelNames: ['source', 'reason'], registers: reg });
  const commitLatency = new Histogram({ name: 'omm_journal_commit_seconds', help: 'Journal group-commit latency, seconds', registers: reg,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
  const commitRows = new Counter({ name: 'omm_journal_rows_total', help: 'Rows committed to the journal', registers: reg });

  const lastPoint = new Map<string, HistoryPoint>();
  // Per clientOrderId: fee already counted (the engine reports cumulative fees) and whether
  // latency/slippage were observed, so repeated updates of one order count once.
  const orders = new Map<string, { feeUsd: number; observed: boolean }>();

  function onPoint(vaultId: string, p: HistoryPoint): void {
    const prev = lastPoint.get(vaultId);
    lastPoint.set(vaultId, p);
    if (!prev || !(p.at > prev.at)) return;
    const dtSec = (p.at - prev.at) / 1000;
    const d = Math.abs(prev.deltaBtc);
    if (d > prev.quoteBandBtc) outside.inc({ vault: vaultId, band: 'quote' }, dtSec);
    if (d >= prev.hedgeBandBtc) outside.inc({ vault: vaultId, band: 'hedge' }, dtSec);
  }

  function onHedge(h: HedgeEntry): void {
    hedges.inc({ vault: h.vaultId, status: h.status });
    let o = orders.get(h.clientOrderId);
    if (!o) {
      o = { feeUsd: 0, observed: false };
      orders.set(h.clientOrderId, o);
      if (orders.size > MAX_TRACKED_ORDERS) { const first = orders.keys().next(); if (!first.done) orders.delete(first.value); }
    }
    if (h.feeUsd > o.feeUsd) { fees.inc({ vault: h.vaultId }, h.feeUsd - o.feeUsd); o.feeUsd = h.feeUsd; }
    if (!o.observed && (h.latencyMs !== undefined || h.slippageBps !== undefined)) {
      o.observed = true;
      if (h.latencyMs !== undefined && Number.isFinite(h.latencyMs)) hedgeLatency.observe({ vault: h.vaultId }, h.latencyMs / 1000);
      if (h.slippageBps !== undefined && Number.isFinite(h.slippageBps)) slippage.observe({ vault: h.vaultId }, h.slippageBps);
    }
    if (TERMINAL_HEDGE.has(h.status)) orders.delete(h.clientOrderId);
  }

  const onUpdate = (u: EngineUpdate): void => {
    switch (u.kind) {
      case 'vault': onPoint(u.vault.vaultId, u.point); break;
      case 'hedge': onHedge(u.entry); break;
      case 'rejected': rejected.inc({ source: u.source, reason: u.reason }); break;
      case 'commit': commitLatency.observe(u.latencyMs / 1000); commitRows.inc(u.rows); break;
      case 'transition': break;
    }
  };
  const sub: Subscription = engine.updates().subscribe({ next: onUpdate });

  return {
    registry,
    // prom-client prints an empty event-loop-delay histogram (no sample yet since the last
    // scrape) as `Nan`, which is not even valid exposition: drop such samples.
    render: async () => {
      scrapeVaults = engine.vaults();
      try {
        return (await registry.metrics()).split('\n').filter((l) => !NAN_SAMPLE.test(l)).join('\n');
      } finally {
        scrapeVaults = null;
      }
    },
    contentType: registry.contentType,
    stop: () => sub.unsubscribe(),
  };
}

/** Quotes on an options venue: the book's orders and skips, and per vault wanted vs resting sizes and MMP. */
function quoteMetrics(engine: EngineView, vaults: () => VaultView[], reg: Registry[]): void {
  const qc = () => engine.quoteCounters?.() ?? null;
  const total = (name: string, help: string, pick: (c: QuoteCountersView) => number): void => {
    new Counter({ name, help, registers: reg, collect() { this.reset(); const c = qc(); if (c) this.inc(pick(c)); } });
  };
  new Counter({ name: 'omm_quote_orders_total', help: 'Quote orders the options venue accepted, by action (placed, amended, cancelled; a cancel-all counts each order it cancelled)', labelNames: ['action'], registers: reg,
    collect() {
      this.reset();
      const c = qc();
      if (c) for (const a of ['placed', 'amended', 'cancelled'] as const) this.inc({ action: a }, c[a]);
    } });
  new Counter({ name: 'omm_quote_sides_skipped_total', help: 'Quote sides (one series, one side) the options book left out of a sync, by reason', labelNames: ['reason'], registers: reg,
    collect() {
      this.reset();
      for (const [r, n] of Object.entries(qc()?.skipped ?? {})) if (n) this.inc({ reason: r }, n);
    } });
  total('omm_quote_rate_limit_backoffs_total', 'too_many_requests answers (Deribit 10028) to quote requests; each starts a backoff, none is retried in a loop', (c) => c.rateLimited);
  total('omm_quote_credit_refusals_total', 'Quote changes held back by the local credit budget', (c) => c.creditRefusals);
  total('omm_quote_post_only_repriced_total', 'Post-only rejects repriced one tick away', (c) => c.postOnlyRepriced);
  total('omm_quote_mmp_triggers_total', 'Market-maker protection triggers on the options account', (c) => c.mmpTriggers);
  total('omm_quote_syncs_total', 'Syncs of a vault\'s resting quotes to its committed quotes', (c) => c.syncs);
  total('omm_quote_cancel_alls_total', 'Cancel-alls of the options account (halt, stale feed, stop)', (c) => c.cancelAlls);
  new Gauge({ name: 'omm_vault_quote_contracts', help: 'Quoted size per vault and side, contracts: wanted (committed) and resting (on the venue)', labelNames: ['vault', 'side', 'where'], registers: reg,
    collect() {
      this.reset();
      for (const v of vaults()) {
        const q = v.venueQuotes;
        if (!q) continue;
        for (const [where, list] of [['wanted', q.wanted], ['resting', q.resting]] as const) {
          for (const side of ['bid', 'ask'] as const) this.set({ vault: v.vaultId, side, where }, list.filter((x) => x.side === side).reduce((a, x) => a + x.amountContracts, 0));
        }
      }
    } });
  new Gauge({ name: 'omm_vault_quotes_pulled', help: '1 while every quote of the vault is pulled (halted or stale feed)', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) if (v.venueQuotes) this.set({ vault: v.vaultId }, v.venueQuotes.pulled ? 1 : 0); } });
  new Gauge({ name: 'omm_vault_mmp_frozen', help: '1 while market-maker protection freezes the vault\'s quoting', labelNames: ['vault'], registers: reg,
    collect() { this.reset(); for (const v of vaults()) if (v.venueQuotes) this.set({ vault: v.vaultId }, v.venueQuotes.mmpFrozenUntil !== undefined ? 1 : 0); } });
  new Gauge({ name: 'omm_vault_mmp_frozen_until_timestamp_seconds', help: 'Unix time quoting is frozen until by market-maker protection, seconds (absent when not frozen or frozen until reset)', labelNames: ['vault'], registers: reg,
    collect() {
      this.reset();
      for (const v of vaults()) { const f = v.venueQuotes?.mmpFrozenUntil; if (typeof f === 'number') this.set({ vault: v.vaultId }, f / 1000); }
    } });
}
