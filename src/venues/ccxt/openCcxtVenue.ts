// The adapter's front door: picks the exchange's profile, checks the credentials' shape and
// opens the venue (markets loaded). The composition root imports this lazily: ccxt takes a
// couple of seconds to import.
import { CcxtHedgeVenue, type CcxtVenueDeps } from './ccxtHedgeVenue.ts';
import type { CcxtProfile } from './ccxtProfile.ts';
import { binanceUsdmProfile } from './binanceUsdmProfile.ts';
import { checkCredentials, type CcxtConfig } from './config.ts';
import { hyperliquidProfile } from './hyperliquidProfile.ts';

export function profileOf(exchange: CcxtConfig['exchange']): CcxtProfile {
  return exchange === 'hyperliquid' ? hyperliquidProfile : binanceUsdmProfile;
}

export function openCcxtVenue(cfg: CcxtConfig, rawCredentials: unknown, deps: CcxtVenueDeps = {}): Promise<CcxtHedgeVenue> {
  return CcxtHedgeVenue.open(cfg, checkCredentials(cfg.exchange, rawCredentials), profileOf(cfg.exchange), deps);
}
