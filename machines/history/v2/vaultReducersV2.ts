// HISTORY, FROZEN: the context updates of vault machine versions 1 and 2, as they decided before version 3
// (expiry as a planned event, hedges in clips, the vol surface). Never edit it: it replays
// journal rows those versions decided, so they are never re-decided by newer rules. It imports
// from src/domain only what version 3 left unchanged.
import { computeBands } from '../../../src/domain/vaultBands.ts';
import { hedgeSizeBtc, protectiveLimitUsd } from '../../../src/domain/hedgeSize.ts';
import { parseInstrument } from '../../../src/domain/instrument.ts';
import type { ExpirySettled, FillReceived, HedgeFilled } from '../../vault.types.ts';
import { bookGreeks } from './bookGreeksV2.ts';
import type { HedgeOrder, OptionLeg, VaultContext, VaultInput } from './vaultTypesV2.ts';

const MS_PER_DAY = 86_400_000;

/** Recomputes greeks and bands at the context's spot and the given event time. */
export function revalue(ctx: VaultContext, at: number): VaultContext {
  if (!(ctx.spotUsd > 0)) {
    return { ...ctx, lastAt: Math.max(ctx.lastAt, at), greeks: { ...ctx.greeks, netBtc: ctx.greeks.optionsBtc + ctx.perpBtc } };
  }
  const g = bookGreeks(ctx.book, ctx.spotUsd, at, ctx.config.ratePerYear, ctx.perpBtc);
  const bands = computeBands(ctx.config.bands, {
    spotUsd: ctx.spotUsd, gamma: g.gamma, grossBtc: g.grossBtc, tauYears: g.tauYears,
    volPerYear: g.volPerYear, ratePerYear: ctx.config.ratePerYear,
  });
  return { ...ctx, lastAt: Math.max(ctx.lastAt, at), greeks: g, bands };
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

/** A price tick; an invalid price (<= 0, NaN, infinite) keeps the last valid spot (spotUsd's contract). */
export function applyTick(ctx: VaultContext, at: number, priceUsd: number): VaultContext {
  if (!(priceUsd > 0 && Number.isFinite(priceUsd))) return revalue(ctx, at);
  return revalue({ ...ctx, spotUsd: priceUsd, spotAt: at }, at);
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
    // A series the vault did not hold yet: it trades at the book's vol for that expiry (or the first leg's).
    const inst = parseInstrument(ev.instrument);
    const vol = ctx.book.find((l) => l.expiryMs === inst.expiryMs)?.volPerYear ?? ctx.book[0]?.volPerYear ?? 0.6;
    book = [...ctx.book, { instrument: ev.instrument, kind: inst.kind, strikeUsd: inst.strikeUsd, expiryMs: inst.expiryMs, qty: signed, volPerYear: vol }];
  }
  const before = ctx.greeks.netBtc;
  const next = revalue({ ...ctx, book, cashUsd: ctx.cashUsd - signed * ev.priceUsd, fills: ctx.fills + 1 }, ev.at);
  const reduced = Math.max(0, Math.abs(before) - Math.abs(next.greeks.netBtc));
  return { ...next, flowDeltaReducedBtc: next.flowDeltaReducedBtc + reduced };
}

/** Starts a hedge of the given signed size (> 0 buy perp): assigns the client order id and protective price. */
export function startHedge(ctx: VaultContext, at: number, sizeBtc: number, reason: HedgeOrder['reason']): VaultContext {
  const side = sizeBtc > 0 ? 'buy' : 'sell';
  const hedgeSeq = ctx.hedgeSeq + 1;
  const day = Math.floor(at / MS_PER_DAY);
  const notional = Math.abs(sizeBtc) * ctx.spotUsd;
  const order: HedgeOrder = {
    clientOrderId: `${ctx.vaultId}-${hedgeSeq}`,
    side,
    sizeBtc: Math.abs(sizeBtc),
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
    cooldownUntil: null,
    hedgeDay: day,
    hedgeDayNotionalUsd: (day === ctx.hedgeDay ? ctx.hedgeDayNotionalUsd : 0) + notional,
    lastAt: Math.max(ctx.lastAt, at),
  };
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

/** A finished hedge: clears the in-flight order and starts the cooldown. */
export function finishHedge(ctx: VaultContext, at: number): VaultContext {
  return {
    ...ctx,
    inFlight: null,
    hedges: ctx.hedges + 1,
    consecutiveFailures: 0,
    lastHedgeAt: at,
    lastHedgeSpotUsd: ctx.spotUsd,
    cooldownUntil: at + ctx.config.cooldownMs,
  };
}

/** A failed or rejected hedge: counts it and arms a capped exponential backoff. */
export function failHedge(ctx: VaultContext, at: number): VaultContext {
  const failures = ctx.consecutiveFailures + 1;
  const backoff = Math.min(ctx.config.retryMaxMs, ctx.config.retryBaseMs * 2 ** (failures - 1));
  return { ...ctx, inFlight: null, consecutiveFailures: failures, cooldownUntil: at + backoff };
}

/** Settles every leg of one expiry at the settlement price: payoff to cash, leg leaves the book. */
export function applyExpiry(ctx: VaultContext, ev: ExpirySettled): VaultContext {
  let payoff = 0;
  const book: OptionLeg[] = [];
  for (const leg of ctx.book) {
    if (leg.expiryMs !== ev.expiryMs) { book.push(leg); continue; }
    const intrinsic = leg.kind === 'call'
      ? Math.max(0, ev.settlementPriceUsd - leg.strikeUsd)
      : Math.max(0, leg.strikeUsd - ev.settlementPriceUsd);
    payoff += intrinsic * leg.qty;
  }
  if (book.length === ctx.book.length) return ctx;
  return revalue({ ...ctx, book, cashUsd: ctx.cashUsd + payoff }, ev.at);
}

/** The signed hedge size due now (0 if none), per the configured target, clip and venue minimum. */
export function dueHedgeSize(ctx: VaultContext, target: 'zero' | 'bandEdge' = ctx.config.hedgeTarget): number {
  const c = ctx.config;
  return hedgeSizeBtc({
    netDeltaBtc: ctx.greeks.netBtc, target, edgeBtc: ctx.bands.reentryBtc,
    maxOrderBtc: c.maxOrderBtc, minOrderBtc: c.minOrderBtc, lotBtc: c.lotBtc,
  });
}
