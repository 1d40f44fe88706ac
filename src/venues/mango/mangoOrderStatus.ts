// Builds the port's OrderStatus for one IOC order from the taker fills found for it.
import type { OrderStatus } from '../hedgeVenue.ts';
import { baseLotsToBtc, priceLotsToUsd, type LotSpec } from './mangoLots.ts';
import type { TakerFill } from './parseFillEvents.ts';

/**
 * `requestedLots` undefined: the request is unknown (found after a restart); the order is
 * reported as filled with whatever quantity the fills show. `updatedAt` is the chain time of
 * the last fill (so a restarted process reports the same status), else `fallbackAt`.
 */
export function iocStatus(fills: readonly TakerFill[], requestedLots: number | undefined, spec: LotSpec, fallbackAt: number): OrderStatus {
  let lots = 0;
  let quoteLots = 0;
  let feeUsd = 0;
  for (const f of fills) {
    lots += f.quantityLots;
    quoteLots += f.quantityLots * f.priceLots;
    feeUsd += f.takerFeeRate * baseLotsToBtc(f.quantityLots, spec) * priceLotsToUsd(f.priceLots, spec);
  }
  const filledBtc = baseLotsToBtc(lots, spec);
  const avgPriceUsd = lots > 0 ? priceLotsToUsd(quoteLots / lots, spec) : 0;
  if (requestedLots !== undefined && lots > requestedLots) {
    throw new Error(`fills (${lots} lots) exceed the order (${requestedLots} lots): client order id collision?`);
  }
  const updatedAt = fills.length > 0 ? Math.max(...fills.map((f) => f.timestampSec)) * 1000 : fallbackAt;
  const complete = requestedLots === undefined ? lots > 0 : lots === requestedLots;
  return { status: complete ? 'filled' : 'cancelled', filledBtc, avgPriceUsd, feeUsd, updatedAt };
}
