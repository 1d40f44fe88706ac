// Whether a hedge can only reduce the account's position on the venue, and whether the venue's
// position fits the vaults' books. Every vault hedging on one venue shares one account: its
// position is the sum of their perp positions, and any order in flight may have traded any
// part of what it has left. Pure: sizes in BTC, signed (> 0 long).

/** Orders in flight, by side: what they have left to trade, BTC (unsigned). */
export interface InFlightBtc { buyBtc: number; sellBtc: number }

/** What the account's exposure is summed from: a vault's perp position and its order in flight, if any. */
export interface VaultPosition {
  context: { perpBtc: number; inFlight: { side: 'buy' | 'sell'; sizeBtc: number; filledBtc: number } | null };
}

/**
 * The account on the venue: the vaults' perp positions summed, and what the orders in flight
 * (but `exceptVaultId`'s) have left to trade, by side.
 */
export function accountExposure(vaults: Iterable<[string, VaultPosition]>, exceptVaultId?: string): { accountBtc: number; inFlight: InFlightBtc } {
  let accountBtc = 0;
  const inFlight = { buyBtc: 0, sellBtc: 0 };
  for (const [id, v] of vaults) {
    accountBtc += v.context.perpBtc;
    const o = v.context.inFlight;
    if (!o || id === exceptVaultId) continue;
    const left = Math.max(0, o.sizeBtc - o.filledBtc);
    if (o.side === 'buy') inFlight.buyBtc += left; else inFlight.sellBtc += left;
  }
  return { accountBtc, inFlight };
}

/** Slack for float sums of lot-sized quantities, BTC. */
const EPS_BTC = 1e-9;

/**
 * True when an order of `sizeBtc` on `side` reduces the account's position without crossing
 * zero whatever the other orders in flight do: a reduce-only order is then never refused for
 * growing the position.
 */
export function isReduceOnly(accountBtc: number, others: InFlightBtc, side: 'buy' | 'sell', sizeBtc: number): boolean {
  if (!(sizeBtc > 0)) return false;
  return side === 'sell'
    ? accountBtc - others.sellBtc - sizeBtc >= -EPS_BTC
    : accountBtc + others.buyBtc + sizeBtc <= EPS_BTC;
}

/**
 * True when the venue's position is the vaults' position plus some part of what the orders
 * in flight have left (within `tolBtc`).
 */
export function positionFits(venueBtc: number, vaultsBtc: number, inFlight: InFlightBtc, tolBtc = 1e-6): boolean {
  return venueBtc >= vaultsBtc - inFlight.sellBtc - tolBtc && venueBtc <= vaultsBtc + inFlight.buyBtc + tolBtc;
}
