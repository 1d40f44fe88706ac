// The finite event alphabet and the abstract vertices of the model-based test.
import type { vaultMachine } from '../../machines/vault.machine.ts';
import type { VaultContext, VaultEvent } from '../../machines/vault.types.ts';
import { EXPIRY_31MAR23, T0, straddleVault } from '../fixtures/vaults.ts';

export type Snap = ReturnType<typeof vaultMachine.transition>;

// The straddle fixture: delta at these prices (fixed bands 1 / 3 / 0.5 / 6 BTC):
//   21,000 +3.40 hedge (sell) | 22,000 +1.35 over | 22,700 -0.08 neutral | 23,500 -1.67 under | 24,500 -3.49 hedge (buy)
//   23,100 -0.89 (between -quote and -re-entry: neutral stays, overexposed swings to underexposed)
//   27,000 -6.89 past the hard limit (after a sell hedge, or during a retry backoff)
export const PRICES = [21_000, 22_000, 22_700, 23_100, 23_500, 24_500, 27_000] as const;
/** Ticks tried after feed.stale: each would start a hedge on a fresh feed. */
export const HEDGE_PRICES = [21_000, 24_500, 27_000] as const;
/** maxOrderBtc 2.5: hedges of 3.4 BTC and more go as clips (two or three per episode). */
export const INPUT = straddleVault({ maxConsecutiveFailures: 2, maxOrderBtc: 2.5 });

/** The alphabet: one template per event kind; made concrete against a snapshot's context. */
export type Template =
  | { k: 'tick'; priceUsd: number }
  | { k: 'fill' }
  | { k: 'accepted' | 'rejected' | 'failed' | 'partial' | 'full' | 'empty' | 'foreign' }
  | { k: 'timerPast' | 'timerEarly' }
  | { k: 'pause' | 'resume' | 'flatten' | 'stale' | 'recovered' }
  | { k: 'settle' };

export const TEMPLATES: Template[] = [
  ...PRICES.map((priceUsd) => ({ k: 'tick' as const, priceUsd })),
  { k: 'accepted' }, { k: 'partial' }, { k: 'full' }, { k: 'empty' }, { k: 'rejected' }, { k: 'failed' }, { k: 'foreign' },
  { k: 'timerPast' }, { k: 'timerEarly' },
  { k: 'pause' }, { k: 'resume' }, { k: 'flatten' }, { k: 'stale' }, { k: 'recovered' },
];

export const templateOf = new WeakMap<VaultEvent, Template>();

/** The concrete event for a template in a context, or null when it does not apply there. */
export function concrete(t: Template, ctx: VaultContext): VaultEvent | null {
  const at = (ctx.lastAt || T0) + 1_000;
  const o = ctx.inFlight;
  const id = o?.clientOrderId;
  switch (t.k) {
    case 'tick': return { type: 'price.tick', at, priceUsd: t.priceUsd };
    case 'fill': return { type: 'fill.received', at, fillId: `f${at}`, instrument: 'BTC-31MAR23-23000-C', side: 'buy', qty: 6, priceUsd: 900 };
    case 'accepted': return id ? { type: 'hedge.accepted', at, clientOrderId: id } : null;
    case 'rejected': return id ? { type: 'hedge.rejected', at, clientOrderId: id, reason: 'model' } : null;
    case 'failed': return id ? { type: 'hedge.failed', at, clientOrderId: id, reason: 'model' } : null;
    case 'partial': return o && id ? { type: 'hedge.filled', at, clientOrderId: id, filledBtc: Number((o.sizeBtc / 2).toFixed(3)), avgPriceUsd: ctx.spotUsd, feeUsd: 1, final: false } : null;
    case 'full': return o && id ? { type: 'hedge.filled', at, clientOrderId: id, filledBtc: o.sizeBtc, avgPriceUsd: ctx.spotUsd, feeUsd: 2, final: true } : null;
    case 'empty': return o && id ? { type: 'hedge.filled', at, clientOrderId: id, filledBtc: o.filledBtc, avgPriceUsd: ctx.spotUsd, feeUsd: 0, final: true } : null;
    case 'foreign': return id ? { type: 'hedge.filled', at, clientOrderId: `${id}x`, filledBtc: 1, avgPriceUsd: ctx.spotUsd, feeUsd: 0, final: true } : null;
    case 'timerPast': return ctx.cooldownUntil !== null ? { type: 'timer.fired', at: Math.max(at, ctx.cooldownUntil) } : null;
    case 'timerEarly': return ctx.cooldownUntil !== null && ctx.lastAt + 1 < ctx.cooldownUntil ? { type: 'timer.fired', at: ctx.lastAt + 1 } : null;
    case 'pause': return { type: 'control.pause', at };
    case 'resume': return { type: 'control.resume', at };
    case 'flatten': return { type: 'control.flatten', at };
    case 'stale': return { type: 'feed.stale', at };
    case 'recovered': return { type: 'feed.recovered', at };
    // The book's one expiry settles (delivered early: settlement is the event, not the clock).
    case 'settle': return ctx.book.length > 0 ? { type: 'expiry.settled', at, expiryMs: EXPIRY_31MAR23, settlementPriceUsd: ctx.spotUsd > 0 ? ctx.spotUsd : 23_000 } : null;
  }
}

export function eventsFor(s: Snap): VaultEvent[] {
  const out: VaultEvent[] = [];
  for (const t of TEMPLATES) {
    const ev = concrete(t, s.context);
    if (ev) {
      templateOf.set(ev, t);
      out.push(ev);
    }
  }
  return out;
}

/**
 * The abstract vertex of a snapshot: (state, order in flight: none / open / partly filled,
 * consecutive failures). Finer abstractions (adding the stale flag or the deadline) blow
 * up the number of simple paths past 300,000; events whose effect is invisible here
 * (feed signals, accepts, foreign ids, early timers; option fills, whose effect depends on the
 * spot the graph's representative snapshot holds) are checked as one- and two-step
 * extensions at the end of every path instead. A clip sequence returns to the vertex it left
 * (hedging, open): a simple path takes only its first clip, so each path ending in hedging
 * and each settlement is followed clip by clip to the episode's end (adding a "planned" flag
 * to the vertex instead multiplies the paths by ten).
 */
export function serialize(s: Snap): string {
  const c = s.context;
  const o = c.inFlight;
  return JSON.stringify([s.value, o ? (o.filledBtc > 0 ? 'partial' : 'open') : '-', c.consecutiveFailures]);
}

/** Templates checked as extensions at each path's end (see serialize). */
export const EXTENSIONS: Template[] = [
  { k: 'stale' }, { k: 'recovered' }, { k: 'accepted' }, { k: 'foreign' }, { k: 'timerEarly' }, { k: 'fill' },
  // A jump past the hard limit: from a cooldown end it is the emergency bypass, which a simple
  // path cannot take (it returns to an already visited hedging vertex).
  { k: 'tick', priceUsd: 19_000 }, { k: 'tick', priceUsd: 27_000 },
  // The expiry settles (once per book): from every end, followed by the clips of its offset.
  { k: 'settle' },
];
