// Decides one IOC order on the simulated venue, purely: validation, lot rounding, minimum
// size, reduce-only, the injected reject, then the walk through the depth model.
import type { IocOrderRequest, VenueFill } from '../hedgeVenue.ts';
import { walkBook } from './depthBook.ts';
import type { OrderFault } from './faultSchedule.ts';
import { btcToLots, lotsToBtc } from './lots.ts';
import type { FinalOrderStatus } from './simOrderRecord.ts';
import type { SimVenueConfig } from './simVenueConfig.ts';

export interface IocDecisionInput {
  req: IocOrderRequest;
  cfg: SimVenueConfig;
  /** Reference price at the fill time, USD (undefined: none known yet). */
  refPriceUsd: number | undefined;
  /** Current position in the order's market, signed lots. */
  positionLots: number;
  fault: OrderFault;
  /** Event time the order reaches the book: req.at + latency. */
  fillAt: number;
}

export interface IocDecision {
  status: FinalOrderStatus;
  fills: VenueFill[];
  /** Signed lots of each fill, same order as fills (exact, for the position book). */
  signedLots: number[];
}

export function decideIoc(input: IocDecisionInput): IocDecision {
  const { req, cfg, fillAt } = input;
  const reject = (reason: string): IocDecision => ({ status: { status: 'rejected', reason, updatedAt: fillAt }, fills: [], signedLots: [] });
  if (input.fault === 'reject') return reject('injected fault: order refused by the venue (seeded schedule)');
  if (!cfg.markets.includes(req.market)) return reject(`unknown market ${req.market}`);
  if (req.side !== 'buy' && req.side !== 'sell') return reject(`bad side ${String(req.side)}`);
  if (!(Number.isFinite(req.sizeBtc) && req.sizeBtc > 0)) return reject(`size must be a positive number of BTC, got ${req.sizeBtc}`);
  if (!(Number.isFinite(req.limitPriceUsd) && req.limitPriceUsd > 0)) return reject(`limit price must be a positive number of USD, got ${req.limitPriceUsd}`);
  const lots = btcToLots(req.sizeBtc, cfg.lotSizeBtc);
  const sizeBtc = lotsToBtc(lots, cfg.lotSizeBtc);
  if (lots === 0 || sizeBtc < cfg.minSizeBtc - cfg.lotSizeBtc / 2) {
    return reject(`size ${req.sizeBtc} BTC rounds to ${sizeBtc} BTC (${lots} lots of ${cfg.lotSizeBtc}), below the minimum ${cfg.minSizeBtc} BTC`);
  }
  const sign = req.side === 'buy' ? 1 : -1;
  let allowed = Math.min(lots, btcToLots(cfg.maxOrderBtc, cfg.lotSizeBtc));
  if (req.reduceOnly) {
    const reducible = Math.sign(input.positionLots) === -sign ? Math.abs(input.positionLots) : 0;
    if (reducible === 0) return reject(`reduce-only ${req.side} would not reduce the position (${lotsToBtc(input.positionLots, cfg.lotSizeBtc)} BTC)`);
    allowed = Math.min(allowed, reducible);
  }
  if (input.refPriceUsd === undefined) return reject(`no reference price at ${new Date(fillAt).toISOString()}`);
  const levels = walkBook({
    refPriceUsd: input.refPriceUsd, side: req.side, lots: allowed, limitPriceUsd: req.limitPriceUsd,
    lotSizeBtc: cfg.lotSizeBtc, tickSizeUsd: cfg.tickSizeUsd, depth: cfg.depth,
  });
  let filledLots = 0;
  let notionalUsd = 0;
  let feeUsd = 0;
  const fills: VenueFill[] = levels.map((lv, i) => {
    const fillBtc = lotsToBtc(lv.lots, cfg.lotSizeBtc);
    const fillNotional = lv.lots * cfg.lotSizeBtc * lv.priceUsd;
    const fee = (fillNotional * cfg.takerFeeBps) / 10_000;
    filledLots += lv.lots;
    notionalUsd += fillNotional;
    feeUsd += fee;
    return {
      clientOrderId: req.clientOrderId, market: req.market, side: req.side, sizeBtc: fillBtc,
      priceUsd: lv.priceUsd, feeUsd: fee, at: fillAt, fillId: `${req.clientOrderId}#${i + 1}`,
    };
  });
  const filledBtc = lotsToBtc(filledLots, cfg.lotSizeBtc);
  const avgPriceUsd = filledLots > 0 ? notionalUsd / (filledLots * cfg.lotSizeBtc) : 0;
  const status: FinalOrderStatus = filledLots === lots
    ? { status: 'filled', filledBtc, avgPriceUsd, feeUsd, updatedAt: fillAt }
    : { status: 'cancelled', filledBtc, avgPriceUsd, feeUsd, updatedAt: fillAt };
  return { status, fills, signedLots: levels.map((lv) => sign * lv.lots) };
}
