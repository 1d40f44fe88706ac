// An independent, small oracle of the vault machine for the model-based test: the expected
// state and key context fields after each event, written from issue 4's rules (not from the
// machine's code). Fixed bands and the 'band' trigger only; delta from the domain's bookGreeks.
import { bookGreeks } from '../../src/domain/bookGreeks.ts';
import { PLAIN_EXPIRY } from '../../src/domain/expiryTreatment.ts';
import { flatSurface } from '../../src/domain/volSurface.ts';
import type { OptionLeg, VaultConfig, VaultEvent, VaultInput, VaultStateName } from '../../machines/vault.types.ts';

export interface OracleOrder { id: string; side: 'buy' | 'sell'; sizeBtc: number; reason: string; filledBtc: number }

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
  failures: number;
  cooldownUntil: number | null;
  stale: boolean;
  halted: boolean;
}

export function oracleStart(input: VaultInput): Oracle {
  if (input.config.bands.kind !== 'fixed' || input.config.trigger.kind !== 'band') throw new Error('oracle: fixed bands, band trigger only');
  return {
    value: 'neutral', vaultId: input.vaultId, config: input.config, book: input.book.map((l) => ({ ...l })),
    perpBtc: input.perpBtc ?? 0, spotUsd: 0, now: 0, seq: 0, inFlight: null, failures: 0, cooldownUntil: null, stale: false, halted: false,
  };
}

function bands(o: Oracle): { q: number; h: number; r: number; hard: number } {
  const b = o.config.bands;
  if (b.kind !== 'fixed') throw new Error('oracle: fixed bands only');
  return { q: b.quoteBtc, h: b.hedgeBtc, r: b.reentryBtc, hard: b.hardBtc };
}

export function oracleDelta(o: Oracle): number {
  if (!(o.spotUsd > 0)) return o.perpBtc + 0;
  return bookGreeks(o.book, o.spotUsd, o.now, o.config.ratePerYear, o.perpBtc, { vol: flatSurface(0.6), expiry: PLAIN_EXPIRY }).netBtc;
}

/** Signed perp trade that takes delta to `target` (0 or the re-entry edge), clipped, in lots, 0 under the minimum. */
function tradeTo(o: Oracle, d: number, toZero: boolean): number {
  const { r } = bands(o);
  const c = o.config;
  let want = -d;
  if (!toZero && c.hedgeTarget === 'bandEdge') {
    if (Math.abs(d) <= r) return 0;
    want = -(d - Math.sign(d) * r);
  }
  const lots = Math.round(Math.min(Math.abs(want), c.maxOrderBtc) / c.lotBtc);
  const size = Number((lots * c.lotBtc).toPrecision(12));
  return size < c.minOrderBtc || size === 0 ? 0 : Math.sign(want) * size;
}

function start(o: Oracle, size: number, reason: string): Oracle {
  const seq = o.seq + 1;
  return { ...o, seq, value: 'hedging', cooldownUntil: null, inFlight: { id: `${o.vaultId}-${seq}`, side: size > 0 ? 'buy' : 'sell', sizeBtc: Math.abs(size), reason, filledBtc: 0 } };
}

/** One eventless step from the current state, or null when the state is stable. */
function step(o: Oracle): Oracle | null {
  const d = oracleDelta(o);
  const { q, h, r, hard } = bands(o);
  const canTrade = !o.stale && !o.inFlight && o.spotUsd > 0;
  const due = canTrade && Math.abs(d) >= h ? tradeTo(o, d, false) : 0;
  switch (o.value) {
    case 'neutral':
      if (due) return start(o, due, 'band');
      if (d > q) return { ...o, value: 'overexposed' };
      if (d < -q) return { ...o, value: 'underexposed' };
      return null;
    case 'overexposed':
    case 'underexposed': {
      if (due) return start(o, due, 'band');
      const over = o.value === 'overexposed';
      if (Math.abs(d) <= r) return { ...o, value: 'neutral' };
      if (over && d < -r) return { ...o, value: 'underexposed' };
      if (!over && d > r) return { ...o, value: 'overexposed' };
      return null;
    }
    case 'cooldown': {
      const size = canTrade && o.failures === 0 && Math.abs(d) >= hard ? tradeTo(o, d, true) : 0;
      return size ? start(o, size, 'emergency') : null;
    }
    case 'routing':
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
  if (failures >= c.maxConsecutiveFailures) return { ...o, failures, inFlight: null, value: 'halted', halted: true, cooldownUntil: at + Math.min(c.retryMaxMs, c.retryBaseMs * 2 ** (failures - 1)) };
  return { ...o, failures, inFlight: null, value: 'cooldown', cooldownUntil: at + Math.min(c.retryMaxMs, c.retryBaseMs * 2 ** (failures - 1)) };
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
    case 'control.pause': return { ...o, value: 'halted', halted: true };
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
        o = { ...o, inFlight: null, failures: 0, value: 'cooldown', cooldownUntil: ev.at + o.config.cooldownMs };
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
    case 'expiry.settled':
      throw new Error('oracle: expiry not modelled');
  }
  return o.value === 'halted' || o.value === 'hedging' ? o : settle(o);
}
