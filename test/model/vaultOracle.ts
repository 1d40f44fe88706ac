// An independent, small oracle of the vault machine for the model-based test: the expected
// state and key context fields after each event, written from the rules of issues 4 and 17
// (not from the machine's code). Fixed bands and the 'band' trigger only; delta from the
// domain's bookGreeks. Issue 17: a hedge above maxOrderBtc goes as even clips of one episode,
// the next clip at each final fill; an expiry's settlement plans the hedge offsetting the delta
// it removed, which goes at once unless the vault may not trade; failures and halts drop what is planned.
import { bookGreeks } from '../../src/domain/bookGreeks.ts';
import type { OptionLeg, VaultConfig, VaultEvent, VaultInput, VaultStateName } from '../../machines/vault.types.ts';

export interface OracleOrder { id: string; side: 'buy' | 'sell'; sizeBtc: number; reason: string; filledBtc: number }
export interface OraclePlan { sizeBtc: number; reason: string }

export interface Oracle {
  value: VaultStateName | 'routing';
  vaultId: string;
  config: VaultConfig;
  book: OptionLeg[];
  perpBtc: number;
  spotUsd: number;
  now: number;
  seq: number;
  inFlight: OracleOrder | null;
  plan: OraclePlan | null;
  failures: number;
  cooldownUntil: number | null;
  stale: boolean;
  halted: boolean;
}

export function oracleStart(input: VaultInput): Oracle {
  if (input.config.bands.kind !== 'fixed' || input.config.trigger.kind !== 'band') throw new Error('oracle: fixed bands, band trigger only');
  return {
    value: 'neutral', vaultId: input.vaultId, config: input.config, book: input.book.map((l) => ({ ...l })),
    perpBtc: input.perpBtc ?? 0, spotUsd: 0, now: 0, seq: 0, inFlight: null, plan: null, failures: 0, cooldownUntil: null, stale: false, halted: false,
  };
}

function bands(o: Oracle): { q: number; h: number; r: number; hard: number } {
  const b = o.config.bands;
  if (b.kind !== 'fixed') throw new Error('oracle: fixed bands only');
  return { q: b.quoteBtc, h: b.hedgeBtc, r: b.reentryBtc, hard: b.hardBtc };
}

export function oracleDelta(o: Oracle): number {
  if (!(o.spotUsd > 0)) return o.perpBtc + 0;
  return bookGreeks(o.book, o.spotUsd, o.now, o.config.ratePerYear, o.perpBtc, o.config).netBtc;
}

/** A size in whole lots (half away from zero), 0 under the venue minimum. */
function lots(o: Oracle, sizeBtc: number): number {
  const c = o.config;
  const size = Number((Math.round(Math.abs(sizeBtc) / c.lotBtc) * c.lotBtc).toPrecision(12));
  return size < c.minOrderBtc || size === 0 ? 0 : Math.sign(sizeBtc) * size;
}

/** Signed perp trade that takes delta to `target` (0 or the re-entry edge): the whole episode, in lots, 0 under the minimum. */
function tradeTo(o: Oracle, d: number, toZero: boolean): number {
  const { r } = bands(o);
  let want = -d;
  if (!toZero && o.config.hedgeTarget === 'bandEdge') {
    if (Math.abs(d) <= r) return 0;
    want = -(d - Math.sign(d) * r);
  }
  return lots(o, want);
}

/** The first clip of `total`: an even share of as few clips as maxOrderBtc allows. */
function clipOf(o: Oracle, total: number): number {
  const t = lots(o, total);
  const n = Math.ceil(Math.abs(t) / o.config.maxOrderBtc);
  return n <= 1 ? t : lots(o, t / n);
}

function start(o: Oracle, total: number, reason: string): Oracle {
  const seq = o.seq + 1;
  const clip = clipOf(o, total);
  const rest = total - clip;
  return {
    ...o, seq, value: 'hedging', cooldownUntil: null,
    inFlight: { id: `${o.vaultId}-${seq}`, side: clip > 0 ? 'buy' : 'sell', sizeBtc: Math.abs(clip), reason, filledBtc: 0 },
    plan: clipOf(o, rest) !== 0 ? { sizeBtc: rest, reason } : null,
  };
}

/** The plan, when its next clip is due (and the vault may trade). */
function duePlan(o: Oracle): OraclePlan | null {
  return o.plan && !o.stale && !o.inFlight && o.spotUsd > 0 && clipOf(o, o.plan.sizeBtc) !== 0 ? o.plan : null;
}

/** One eventless step from the current state, or null when the state is stable. */
function step(o: Oracle): Oracle | null {
  const d = oracleDelta(o);
  const { q, h, r, hard } = bands(o);
  const canTrade = !o.stale && !o.inFlight && o.spotUsd > 0;
  const due = canTrade && Math.abs(d) >= h ? tradeTo(o, d, false) : 0;
  const plan = duePlan(o);
  switch (o.value) {
    case 'neutral':
      if (plan) return start(o, plan.sizeBtc, plan.reason);
      if (due) return start(o, due, 'band');
      if (d > q) return { ...o, value: 'overexposed' };
      if (d < -q) return { ...o, value: 'underexposed' };
      return null;
    case 'overexposed':
    case 'underexposed': {
      if (plan) return start(o, plan.sizeBtc, plan.reason);
      if (due) return start(o, due, 'band');
      const over = o.value === 'overexposed';
      if (Math.abs(d) <= r) return { ...o, value: 'neutral' };
      if (over && d < -r) return { ...o, value: 'underexposed' };
      if (!over && d > r) return { ...o, value: 'overexposed' };
      return null;
    }
    case 'cooldown': {
      if (plan && o.failures === 0) return start(o, plan.sizeBtc, plan.reason);
      const size = canTrade && o.failures === 0 && Math.abs(d) >= hard ? tradeTo(o, d, true) : 0;
      return size ? start(o, size, 'emergency') : null;
    }
    case 'routing':
      if (plan) return start(o, plan.sizeBtc, plan.reason);
      if (due) return start(o, due, 'band');
      return { ...o, value: Math.abs(d) <= r ? 'neutral' : d > 0 ? 'overexposed' : 'underexposed' };
    default:
      return null;
  }
}

function settle(o: Oracle): Oracle {
  for (let i = 0; i < 10; i++) {
    const next = step(o);
    if (!next) return o;
    o = next;
  }
  throw new Error('oracle: eventless transitions did not settle');
}

function fail(o: Oracle, at: number): Oracle {
  const failures = o.failures + 1;
  const c = o.config;
  if (failures >= c.maxConsecutiveFailures) return { ...o, failures, inFlight: null, plan: null, value: 'halted', halted: true, cooldownUntil: at + Math.min(c.retryMaxMs, c.retryBaseMs * 2 ** (failures - 1)) };
  return { ...o, failures, inFlight: null, plan: null, value: 'cooldown', cooldownUntil: at + Math.min(c.retryMaxMs, c.retryBaseMs * 2 ** (failures - 1)) };
}

function bookHedgeFill(o: Oracle, filledBtc: number): Oracle {
  const f = o.inFlight;
  if (!f || filledBtc < f.filledBtc) return o;
  const sign = f.side === 'buy' ? 1 : -1;
  return { ...o, perpBtc: o.perpBtc + sign * (filledBtc - f.filledBtc), inFlight: { ...f, filledBtc } };
}

export function oracleNext(prev: Oracle, ev: VaultEvent): Oracle {
  let o: Oracle = { ...prev, now: Math.max(prev.now, ev.at) };
  const mine = 'clientOrderId' in ev && o.inFlight !== null && ev.clientOrderId === o.inFlight.id;
  switch (ev.type) {
    case 'price.tick':
      if (ev.priceUsd > 0 && Number.isFinite(ev.priceUsd)) o.spotUsd = ev.priceUsd;
      break;
    case 'fill.received': {
      const signed = ev.side === 'buy' ? ev.qty : -ev.qty;
      o.book = o.book.map((l) => (l.instrument === ev.instrument ? { ...l, qty: l.qty + signed } : l));
      if (!o.book.some((l) => l.instrument === ev.instrument)) throw new Error('oracle: fills of held series only');
      break;
    }
    case 'feed.stale': o.stale = true; break;
    case 'feed.recovered': o.stale = false; break;
    case 'control.pause': return { ...o, value: 'halted', halted: true, plan: null };
    case 'control.resume':
      if (o.value !== 'halted') break;
      o = { ...o, halted: false, failures: 0 };
      if (o.inFlight) return { ...o, value: 'hedging' };
      o = { ...o, cooldownUntil: null, value: 'routing' };
      break;
    case 'control.flatten': {
      if (!['neutral', 'overexposed', 'underexposed', 'cooldown'].includes(o.value)) break;
      const size = !o.stale && !o.inFlight && o.spotUsd > 0 ? tradeTo(o, oracleDelta(o), true) : 0;
      if (size) return start(o, size, 'flatten');
      break;
    }
    case 'timer.fired':
      if (o.value === 'cooldown' && (o.cooldownUntil === null || ev.at >= o.cooldownUntil)) o = { ...o, cooldownUntil: null, value: 'routing' };
      break;
    case 'hedge.accepted': break;
    case 'hedge.filled':
      if (!mine) break;
      if (o.value === 'halted') {
        o = bookHedgeFill(o, ev.filledBtc);
        if (ev.final) o.inFlight = null;
        return o;
      }
      if (ev.final && ev.filledBtc > 0) {
        o = bookHedgeFill(o, ev.filledBtc);
        o = { ...o, inFlight: null, failures: 0 };
        // The next clip of the episode goes at once; the last one (or a stale feed) ends it in cooldown.
        const next = duePlan(o);
        if (next) return start(o, next.sizeBtc, next.reason);
        o = { ...o, value: 'cooldown', cooldownUntil: ev.at + o.config.cooldownMs };
      } else if (ev.final) {
        o = fail(o, ev.at);
      } else {
        o = bookHedgeFill(o, ev.filledBtc);
      }
      break;
    case 'hedge.rejected':
    case 'hedge.failed':
      if (!mine) break;
      if (o.value === 'halted') return { ...o, inFlight: null };
      o = fail(o, ev.at);
      break;
    case 'expiry.settled': {
      const settled = o.book.filter((l) => l.expiryMs === ev.expiryMs);
      if (settled.length === 0) break;
      // The delta the vault held in the settled series (its last spot and time) leaves with them.
      const removed = prev.spotUsd > 0 ? bookGreeks(settled, prev.spotUsd, prev.now, o.config.ratePerYear, 0, o.config).optionsBtc : 0;
      o.book = o.book.filter((l) => l.expiryMs !== ev.expiryMs);
      if (o.value === 'halted' || !(prev.spotUsd > 0)) break;
      const size = (o.plan?.sizeBtc ?? 0) + removed;
      o.plan = clipOf(o, size) !== 0 ? { sizeBtc: size, reason: 'expiry' } : null;
      break;
    }
  }
  return o.value === 'halted' || o.value === 'hedging' ? o : settle(o);
}
