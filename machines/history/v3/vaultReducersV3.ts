// HISTORY, FROZEN: the context updates of vault machine version 3, as released up to version 4 (venue vol
// marks, MMP freeze, inverse account delta). Never edit it: it replays journal rows that version 3
// decided, so they are never re-decided by newer rules. It imports from src/domain only what
// version 4 left unchanged.
import { bookGreeks } from '../../../src/domain/bookGreeks.ts';
import { computeBands } from '../../../src/domain/vaultBands.ts';
import { hedgeSizeBtc, nextClipBtc, protectiveLimitUsd } from '../../../src/domain/hedgeSize.ts';
import { parseInstrument } from '../../../src/domain/instrument.ts';
import type {
  ExpirySettled, FillReceived, HedgeFilled, HedgeOrder, HedgeReason, OptionLeg, PlannedHedge, VaultContext, VaultInput,
} from './vaultTypesV3.ts';

const MS_PER_DAY = 86_400_000;

/**
 * What a revaluation at the given spot (default the context's) and event time changes: greeks,
 * bands and lastAt. Without a valid spot only the net delta follows the perp.
 */
function revaluation(ctx: VaultContext, at: number, spotUsd = ctx.spotUsd): Pick<VaultContext, 'lastAt' | 'greeks' | 'bands'> {
  const lastAt = Math.max(ctx.lastAt, at);
  if (!(spotUsd > 0)) {
    return { lastAt, greeks: { ...ctx.greeks, netBtc: ctx.greeks.optionsBtc + ctx.perpBtc }, bands: ctx.bands };
  }
  const g = bookGreeks(ctx.book, spotUsd, at, ctx.config.ratePerYear, ctx.perpBtc, ctx.config);
  // Fixed bands are the config's numbers whatever the book: the ones in context stay.
  const bands = ctx.config.bands.kind === 'fixed' ? ctx.bands : computeBands(ctx.config.bands, {
    spotUsd, gamma: g.gamma, grossBtc: g.grossBtc, tauYears: g.tauYears,
    volPerYear: g.volPerYear, ratePerYear: ctx.config.ratePerYear,
  });
  return { lastAt, greeks: g, bands };
}

/** Recomputes greeks and bands at the context's spot and the given event time. */
export function revalue(ctx: VaultContext, at: number): VaultContext {
  const r = revaluation(ctx, at);
  return { ...ctx, lastAt: r.lastAt, greeks: r.greeks, bands: r.bands };
}

export function initialContext(input: VaultInput): VaultContext {
  const ctx: VaultContext = {
    vaultId: input.vaultId,
    config: input.config,
    book: input.book.map((l) => ({ ...l })),
    perpBtc: input.perpBtc ?? 0,
    spotUsd: 0,
    spotAt: 0,
    lastAt: 0,
    greeks: { optionsBtc: 0, netBtc: input.perpBtc ?? 0, grossBtc: 0, gamma: 0, vega: 0, tauYears: 0, volPerYear: 0 },
    bands: computeBands(input.config.bands, { spotUsd: 0, gamma: 0, grossBtc: 0, tauYears: 0, volPerYear: 0, ratePerYear: 0 }),
    hedgeSeq: 0,
    inFlight: null,
    planned: null,
    cooldownUntil: null,
    consecutiveFailures: 0,
    lastHedgeAt: 0,
    lastHedgeSpotUsd: 0,
    feedStale: false,
    haltReason: null,
    cashUsd: input.cashUsd ?? 0,
    hedgeDay: 0,
    hedgeDayNotionalUsd: 0,
    flowDeltaReducedBtc: 0,
    hedgeDeltaReducedBtc: 0,
    fills: 0,
    hedges: 0,
  };
  return ctx;
}

/**
 * A price tick; an invalid price (<= 0, NaN, infinite) keeps the last valid spot (spotUsd's
 * contract). One copy of the context: the tick is the machine's hot path.
 */
export function applyTick(ctx: VaultContext, at: number, priceUsd: number): VaultContext {
  if (!(priceUsd > 0 && Number.isFinite(priceUsd))) return revalue(ctx, at);
  const r = revaluation(ctx, at, priceUsd);
  return { ...ctx, spotUsd: priceUsd, spotAt: at, lastAt: r.lastAt, greeks: r.greeks, bands: r.bands };
}

/** Books an option trade with a taker. side is the vault's side; qty contracts; price USD per contract. */
export function applyFill(ctx: VaultContext, ev: FillReceived): VaultContext {
  const signed = ev.side === 'buy' ? ev.qty : -ev.qty;
  const idx = ctx.book.findIndex((l) => l.instrument === ev.instrument);
  let book: OptionLeg[];
  if (idx >= 0) {
    book = ctx.book.slice();
    const leg = book[idx] as OptionLeg;
    // Contracts trade in small decimal steps: keep the sum free of binary float dust.
    book[idx] = { ...leg, qty: Math.round((leg.qty + signed) * 1e8) / 1e8 };
  } else {
    // A series the vault did not hold yet: the vault's surface gives its vol.
    const inst = parseInstrument(ev.instrument);
    book = [...ctx.book, { instrument: ev.instrument, kind: inst.kind, strikeUsd: inst.strikeUsd, expiryMs: inst.expiryMs, qty: signed }];
  }
  const before = ctx.greeks.netBtc;
  const next = revalue({ ...ctx, book, cashUsd: ctx.cashUsd - signed * ev.priceUsd, fills: ctx.fills + 1 }, ev.at);
  const reduced = Math.max(0, Math.abs(before) - Math.abs(next.greeks.netBtc));
  return { ...next, flowDeltaReducedBtc: next.flowDeltaReducedBtc + reduced };
}

/**
 * Starts a hedging episode of the given signed total (> 0 buy perp): its first clip goes out
 * now (at most maxOrderBtc; see nextClipBtc), with its client order id and protective price
 * assigned here, before any effect; the rest is planned for the clips after it.
 */
export function startHedge(ctx: VaultContext, at: number, totalBtc: number, reason: HedgeReason): VaultContext {
  const clip = nextClipBtc(totalBtc, ctx.config);
  if (clip === 0) throw new Error(`vault ${ctx.vaultId}: a hedge of ${totalBtc} BTC has no clip above the venue minimum`);
  const side = clip > 0 ? 'buy' : 'sell';
  const hedgeSeq = ctx.hedgeSeq + 1;
  const day = Math.floor(at / MS_PER_DAY);
  const notional = Math.abs(clip) * ctx.spotUsd;
  const order: HedgeOrder = {
    clientOrderId: `${ctx.vaultId}-${hedgeSeq}`,
    side,
    sizeBtc: Math.abs(clip),
    limitPriceUsd: protectiveLimitUsd(side, ctx.spotUsd, ctx.config.slippageBps),
    createdAt: at,
    reason,
    accepted: false,
    filledBtc: 0,
    avgPriceUsd: 0,
    feeUsd: 0,
  };
  return {
    ...ctx,
    hedgeSeq,
    inFlight: order,
    planned: planOf(ctx, totalBtc - clip, reason),
    cooldownUntil: null,
    hedgeDay: day,
    hedgeDayNotionalUsd: (day === ctx.hedgeDay ? ctx.hedgeDayNotionalUsd : 0) + notional,
    lastAt: Math.max(ctx.lastAt, at),
  };
}

/** A plan of `sizeBtc` still to trade, or null when nothing above the venue minimum is left. */
function planOf(ctx: VaultContext, sizeBtc: number, reason: HedgeReason): PlannedHedge | null {
  return nextClipBtc(sizeBtc, ctx.config) === 0 ? null : { sizeBtc, reason };
}

/** A clip filled while more of the episode is due: book it as a hedge and send the next clip at once. */
export function startNextClip(ctx: VaultContext, at: number): VaultContext {
  const p = ctx.planned;
  if (!p) throw new Error(`vault ${ctx.vaultId}: no planned clip to start`);
  return startHedge(clipDone(ctx, at), at, p.sizeBtc, p.reason);
}

/** Book-keeping of a clip that filled: counted, failures reset, the order dropped. */
function clipDone(ctx: VaultContext, at: number): VaultContext {
  return { ...ctx, inFlight: null, hedges: ctx.hedges + 1, consecutiveFailures: 0, lastHedgeAt: at, lastHedgeSpotUsd: ctx.spotUsd };
}

/** Applies a (cumulative) hedge fill report; re-applying the same report changes nothing. */
export function applyHedgeFill(ctx: VaultContext, ev: HedgeFilled): VaultContext {
  const o = ctx.inFlight;
  if (!o || o.clientOrderId !== ev.clientOrderId) return ctx;
  const addBtc = ev.filledBtc - o.filledBtc;
  if (addBtc < -1e-12) return ctx; // an older report arriving late: cumulative size never shrinks
  const sign = o.side === 'buy' ? 1 : -1;
  const newNotional = ev.filledBtc * ev.avgPriceUsd - o.filledBtc * o.avgPriceUsd;
  const addFee = ev.feeUsd - o.feeUsd;
  const before = ctx.greeks.netBtc;
  const perpBtc = ctx.perpBtc + sign * addBtc;
  const next = revalue({
    ...ctx,
    perpBtc,
    cashUsd: ctx.cashUsd - sign * newNotional - addFee,
    inFlight: { ...o, accepted: true, filledBtc: ev.filledBtc, avgPriceUsd: ev.avgPriceUsd, feeUsd: ev.feeUsd },
  }, ev.at);
  const reduced = Math.max(0, Math.abs(before) - Math.abs(next.greeks.netBtc));
  return { ...next, hedgeDeltaReducedBtc: next.hedgeDeltaReducedBtc + reduced };
}

/**
 * The last clip of an episode filled: clears the in-flight order and starts the cooldown. A
 * plan still left (its next clip could not go: the feed went stale) waits for the cooldown's
 * bypass.
 */
export function finishHedge(ctx: VaultContext, at: number): VaultContext {
  return { ...clipDone(ctx, at), cooldownUntil: at + ctx.config.cooldownMs };
}

/** A failed or rejected hedge: counts it, ends the episode (its plan is dropped) and arms a capped exponential backoff. */
export function failHedge(ctx: VaultContext, at: number): VaultContext {
  const failures = ctx.consecutiveFailures + 1;
  const backoff = Math.min(ctx.config.retryMaxMs, ctx.config.retryBaseMs * 2 ** (failures - 1));
  return { ...ctx, inFlight: null, planned: null, consecutiveFailures: failures, cooldownUntil: at + backoff };
}

/**
 * Settles every leg of one expiry at the settlement price: payoff to cash, legs leave the book.
 * With `offset`, the same decision plans the hedge that offsets the delta the settlement removed
 * (the legs' delta as the vault held it: its last spot and time, with the expiry treatment; a
 * glided series has handed its delta over already, so little or nothing is left to offset).
 * The plan joins a running episode, or starts one as soon as the vault may trade.
 */
export function applyExpiry(ctx: VaultContext, ev: ExpirySettled, offset: boolean): VaultContext {
  let payoff = 0;
  const book: OptionLeg[] = [];
  const settled: OptionLeg[] = [];
  for (const leg of ctx.book) {
    if (leg.expiryMs !== ev.expiryMs) { book.push(leg); continue; }
    settled.push(leg);
    const intrinsic = leg.kind === 'call'
      ? Math.max(0, ev.settlementPriceUsd - leg.strikeUsd)
      : Math.max(0, leg.strikeUsd - ev.settlementPriceUsd);
    payoff += intrinsic * leg.qty;
  }
  if (settled.length === 0) return ctx;
  const next = revalue({ ...ctx, book, cashUsd: ctx.cashUsd + payoff }, ev.at);
  if (!offset || !(ctx.spotUsd > 0)) return next;
  const removedBtc = bookGreeks(settled, ctx.spotUsd, ctx.lastAt, ctx.config.ratePerYear, 0, ctx.config).optionsBtc;
  const planned = planOf(next, (ctx.planned?.sizeBtc ?? 0) + removedBtc, 'expiry');
  return { ...next, planned };
}

/**
 * The signed hedge due now per the configured target (0 if under the venue minimum): the whole
 * episode, which goes out as clips of at most maxOrderBtc.
 */
export function dueHedgeSize(ctx: VaultContext, target: 'zero' | 'bandEdge' = ctx.config.hedgeTarget): number {
  const c = ctx.config;
  return hedgeSizeBtc({
    netDeltaBtc: ctx.greeks.netBtc, target, edgeBtc: ctx.bands.reentryBtc,
    maxOrderBtc: Number.POSITIVE_INFINITY, minOrderBtc: c.minOrderBtc, lotBtc: c.lotBtc,
  });
}
