// Brings one vault's resting quotes to a desired set with as few requests as it takes
// (quotePlan.ts decides; this sends). Rules:
// - Places are post-only with reject_post_only, mmp: true, good-til-cancelled, labelled
//   `<vault>-<series>-<side>`. Amends are private/edit_by_label (the order's amount is its
//   filled part plus the desired rest); cancels are private/cancel_by_label.
// - A post-only reject (11054) is tried once more one tick further from the market (bid
//   lower, ask higher); a second reject leaves that side unquoted until the next sync.
// - Every place and amend must fit the local credit budget (it is skipped otherwise);
//   cancels are never held back locally.
// - A too_many_requests answer (10028) is counted, drains the local budget and starts a
//   backoff (rateLimitBackoffMs, doubling to 8x while it repeats) during which syncs send
//   nothing; nothing is retried within a sync.
// - While MMP is frozen places and amends are skipped; cancels still go.
// - A lost answer makes the label uncertain: before touching it again the next sync reads
//   private/get_order_state_by_label; it is placed again only if the venue has no open order
//   for it and either the connection that carried it is gone or twice the timeout has passed.
// - Once the session is found down, the rest of the sync is skipped as unavailable.
import type { QuoteAction, QuoteSkipReason, QuoteSyncResult, DesiredQuote, OptionsBookCounters } from '../optionsBook.ts';
import type { DeribitSession } from './deribitSession.ts';
import { DeribitRpcError, DeribitUnavailableError, DeribitUnknownOutcomeError } from './errors.ts';
import { roundAmount, roundPrice, stepPrice, ticksBetween } from './instrumentMath.ts';
import type { DeribitInstrument } from './parseInstruments.ts';
import { parseOrderWithTrades, parseOrders, type DeribitOrder, type DeribitTrade } from './parseOrders.ts';
import { planQuotes, type PlannedQuote, type QuoteChange, type RestingState } from './quotePlan.ts';
import { parseQuoteLabel, quoteLabel } from './quoteLabels.ts';
import { toRestingQuote, type RestingOrders } from './restingOrders.ts';
import { ErrorCode } from './wire/errorCodes.ts';

export interface QuoteSyncDeps {
  session: DeribitSession;
  instruments: ReadonlyMap<string, DeribitInstrument>;
  resting: RestingOrders;
  counters: OptionsBookCounters;
  now: () => number;
  amendTicks: number;
  amendSizeShare: number;
  /** Unix ms until which MMP freezes quoting, or null. */
  mmpFrozenUntil: () => number | null;
  /** The venue said MMP is frozen (13030/13043) before the trigger notification arrived. */
  onVenueFrozen: () => void;
  /** Trades in an order answer (the trade feed counts each once). */
  onTrades: (trades: readonly DeribitTrade[]) => void;
}

type Outcome = { ok: true; order: DeribitOrder; repriced: boolean } | { ok: false; reason: QuoteSkipReason; detail?: string };

export class QuoteSyncer {
  private backoffUntil = 0;
  private backoffStreak = 0;
  private readonly uncertain = new Map<string, { connection: number; sentAt: number }>();
  private down = false;

  constructor(private readonly d: QuoteSyncDeps) {}

  async sync(vaultId: string, desired: readonly DesiredQuote[], at: number): Promise<QuoteSyncResult> {
    this.down = false;
    const actions: QuoteAction[] = [];
    const planned: PlannedQuote[] = [];
    for (const q of desired) {
      const inst = this.d.instruments.get(q.instrument);
      const label = quoteLabel(vaultId, q.instrument, q.side);
      if (!inst) {
        actions.push(skip(label, q.instrument, q.side, 'unknown-series'));
        continue;
      }
      const price = q.priceBtc > 0 ? roundPrice(inst, q.priceBtc, q.side === 'bid' ? 'down' : 'up') : 0;
      const amount = price > 0 ? roundAmount(inst, Math.max(0, q.amountContracts), 'down') : 0;
      planned.push({ label, instrument: q.instrument, side: q.side, priceBtc: price, amountContracts: amount });
    }
    if (this.d.resting.stale && !(await this.reload())) {
      for (const p of planned) actions.push(skip(p.label, p.instrument, p.side, 'unavailable'));
      return { vaultId, at, actions, resting: [] };
    }
    const blocked = await this.resolveUncertain(vaultId);
    for (const label of [...this.d.resting.duplicates].filter((l) => this.d.resting.get(l)?.vaultId === vaultId)) {
      const r = this.d.resting.get(label)!;
      actions.push(await this.cancel(label, r.instrument, r.side)); // every order with the label; the plan places one again
    }
    const restingStates: RestingState[] = this.d.resting.forVault(vaultId).filter((r) => !blocked.has(r.label)).map((r) => ({
      label: r.label, instrument: r.instrument, side: r.side, priceBtc: r.priceBtc, remainingContracts: r.amount - r.filled, filledContracts: r.filled,
    }));
    for (const p of planned.filter((x) => blocked.has(x.label))) actions.push(skip(p.label, p.instrument, p.side, 'unknown-outcome'));
    const changes = planQuotes(planned.filter((p) => !blocked.has(p.label)), restingStates, this.d, (name, a, b) => ticksBetween(this.d.instruments.get(name)!, a, b));
    for (const c of changes) actions.push(this.withResting(await this.apply(c)));
    return { vaultId, at, actions, resting: this.d.resting.forVault(vaultId).map(toRestingQuote) };
  }

  /** A skipped change leaves the old quote (if any) resting: say so. */
  private withResting(a: QuoteAction): QuoteAction {
    if (a.kind !== 'skipped') return a;
    const r = this.d.resting.get(a.label);
    return r ? { ...a, priceBtc: r.priceBtc, amountContracts: roundQty(r.amount - r.filled) } : a;
  }

  /** Reads the venue's open option orders into the resting map; false if the session is down. */
  async reload(): Promise<boolean> {
    try {
      const cfg = this.d.session.cfg;
      this.d.resting.replaceAll(parseOrders(await this.d.session.request('private/get_open_orders_by_currency', { currency: cfg.currency, kind: 'option' }, 'read')));
      return true;
    } catch (e) {
      if (e instanceof DeribitUnavailableError || (e instanceof DeribitRpcError && e.notProcessed)) return false;
      throw e;
    }
  }

  /** Settles labels whose last answer was lost; returns those still unknown (left alone this sync). */
  private async resolveUncertain(vaultId: string): Promise<Set<string>> {
    const blocked = new Set<string>();
    for (const [label, sent] of this.uncertain) {
      if (parseQuoteLabel(label)?.vaultId !== vaultId) continue;
      let orders: DeribitOrder[];
      try {
        orders = parseOrders(await this.d.session.request('private/get_order_state_by_label', { currency: this.d.session.cfg.currency, label }, 'read'));
      } catch (e) {
        if (!(e instanceof DeribitUnavailableError || (e instanceof DeribitRpcError && e.notProcessed))) throw e;
        blocked.add(label);
        continue;
      }
      const open = orders.filter((o) => o.state === 'open');
      this.d.resting.remove(label);
      for (const o of orders) this.d.resting.apply(o);
      const settled = orders.length > 0 || this.d.session.connectionId !== sent.connection || this.d.now() - sent.sentAt >= 2 * this.d.session.cfg.timeoutMs;
      if (settled || open.length > 0) this.uncertain.delete(label);
      else blocked.add(label);
    }
    return blocked;
  }

  private async apply(c: QuoteChange): Promise<QuoteAction> {
    if (c.kind === 'keep') return { instrument: c.want.instrument, side: c.want.side, label: c.want.label, kind: 'kept', priceBtc: c.rest.priceBtc, amountContracts: c.rest.remainingContracts, repriced: false };
    const label = c.kind === 'cancel' ? c.label : c.want.label;
    const instrument = c.kind === 'cancel' ? c.instrument : c.want.instrument;
    const side = c.kind === 'cancel' ? c.side : c.want.side;
    if (this.down) return skip(label, instrument, side, 'unavailable');
    if (this.d.now() < this.backoffUntil) return skip(label, instrument, side, 'rate-limited');
    if (c.kind === 'cancel') return this.cancel(label, instrument, side);
    const frozen = this.d.mmpFrozenUntil();
    if (frozen !== null && (frozen === 0 || this.d.now() < frozen)) return skip(label, instrument, side, 'mmp-frozen');
    let out = await this.send(c, c.want.priceBtc);
    if (!out.ok && out.reason === 'post-only-rejected') {
      const inst = this.d.instruments.get(instrument)!;
      const away = stepPrice(inst, c.want.priceBtc, side === 'bid' ? -1 : 1);
      this.d.counters.postOnlyRepriced++;
      out = away > 0 ? await this.send(c, away) : out;
      if (out.ok) out = { ...out, repriced: true };
      else if (out.reason === 'post-only-rejected') this.d.counters.postOnlyGaveUp++;
    }
    if (!out.ok && out.reason === 'rejected' && out.detail?.endsWith(`(${ErrorCode.orderNotFound})`) && c.kind === 'amend') {
      this.d.resting.remove(label); // filled or cancelled meanwhile: place it afresh
      out = await this.send({ kind: 'place', want: c.want }, c.want.priceBtc);
    }
    if (!out.ok) return skip(label, instrument, side, out.reason, out.detail);
    this.d.resting.apply(out.order);
    const kind = c.kind === 'amend' ? 'amended' : 'placed';
    this.d.counters[kind]++;
    const rest = this.d.resting.get(label);
    return { instrument, side, label, kind, priceBtc: rest?.priceBtc ?? null, amountContracts: rest ? roundQty(rest.amount - rest.filled) : 0, repriced: out.repriced };
  }

  private async send(c: Exclude<QuoteChange, { kind: 'cancel' | 'keep' }>, priceBtc: number): Promise<Outcome> {
    if (!this.d.session.credits.tryTake(this.d.session.cfg.credits.orderCost)) {
      this.d.counters.creditRefusals++;
      return { ok: false, reason: 'credit-budget' };
    }
    const w = c.want;
    const method = c.kind === 'amend' ? 'private/edit_by_label' : w.side === 'bid' ? 'private/buy' : 'private/sell';
    const params = c.kind === 'amend'
      ? { label: w.label, instrument_name: w.instrument, amount: roundQty(c.rest.filledContracts + w.amountContracts), price: priceBtc, post_only: true, reject_post_only: true }
      : { instrument_name: w.instrument, amount: w.amountContracts, type: 'limit', price: priceBtc, label: w.label, time_in_force: 'good_til_cancelled', post_only: true, reject_post_only: true, mmp: true };
    const r = await this.request(method, params, w.label);
    if (!r.ok) return r;
    const { order, trades } = parseOrderWithTrades(r.result);
    this.d.onTrades(trades);
    return { ok: true, order, repriced: false };
  }

  private async cancel(label: string, instrument: string, side: 'bid' | 'ask'): Promise<QuoteAction> {
    this.d.session.credits.take(this.d.session.cfg.credits.orderCost);
    const r = await this.request('private/cancel_by_label', { label, currency: this.d.session.cfg.currency }, label);
    if (!r.ok && !(r.reason === 'rejected' && r.detail?.endsWith(`(${ErrorCode.orderNotFound})`))) return skip(label, instrument, side, r.reason, r.detail);
    this.d.resting.remove(label);
    this.d.counters.cancelled++;
    return { instrument, side, label, kind: 'cancelled', priceBtc: null, amountContracts: 0, repriced: false };
  }

  /** One request with the error rules above; never retried here. */
  private async request(method: string, params: Record<string, unknown>, label: string): Promise<{ ok: true; result: unknown } | { ok: false; reason: QuoteSkipReason; detail?: string }> {
    const sentOn = this.d.session.connectionId;
    try {
      const result = await this.d.session.request(method, params, 'write');
      this.backoffStreak = 0;
      return { ok: true, result };
    } catch (e) {
      if (e instanceof DeribitRpcError && e.code === ErrorCode.tooManyRequests) {
        this.d.counters.rateLimited++;
        const base = this.d.session.cfg.rateLimitBackoffMs;
        this.backoffUntil = this.d.now() + Math.min(8 * base, base * 2 ** this.backoffStreak++);
        this.d.session.credits.drain();
        return { ok: false, reason: 'rate-limited', detail: e.message };
      }
      if (e instanceof DeribitRpcError && e.code === ErrorCode.postOnlyReject) return { ok: false, reason: 'post-only-rejected', detail: e.message };
      if (e instanceof DeribitRpcError && (e.code === ErrorCode.mmpTrigger || e.code === ErrorCode.quotesFrozen)) {
        this.d.onVenueFrozen();
        return { ok: false, reason: 'mmp-frozen', detail: e.message };
      }
      if (e instanceof DeribitUnknownOutcomeError || (e instanceof DeribitRpcError && e.outcomeUnknown)) {
        this.d.counters.unknownOutcomes++;
        this.uncertain.set(label, { connection: sentOn, sentAt: this.d.now() });
        return { ok: false, reason: 'unknown-outcome', detail: e.message };
      }
      if (e instanceof DeribitUnavailableError || (e instanceof DeribitRpcError && e.notProcessed)) {
        this.down = e instanceof DeribitUnavailableError;
        return { ok: false, reason: 'unavailable', detail: e.message };
      }
      if (e instanceof DeribitRpcError) return { ok: false, reason: 'rejected', detail: `${e.reason} (${e.code})` };
      throw e;
    }
  }
}

function skip(label: string, instrument: string, side: 'bid' | 'ask', reason: QuoteSkipReason, detail?: string): QuoteAction {
  return { instrument, side, label, kind: 'skipped', priceBtc: null, amountContracts: 0, repriced: false, reason, ...(detail !== undefined ? { detail } : {}) };
}

function roundQty(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}
