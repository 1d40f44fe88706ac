// The funding model the live PnL views charge the perp position with: the simulated venue's
// (its constant rate and interval, as its own book settles them). Other venues' funding is not
// modelled here, so their views show funding as unknown rather than a guess.
import type { FundingTerms } from '../../domain/fundingAccrual.ts';
import type { HedgeVenue } from '../../venues/hedgeVenue.ts';
import { DEFAULT_SIM_VENUE_CONFIG } from '../../venues/sim/simVenueConfig.ts';
import { SimPerpVenue } from '../../venues/sim/simPerpVenue.ts';
import type { RunConfig } from '../config/configSchema.ts';

/** Of a built venue: the in-process simulated venue's own terms, else null. */
export function fundingTermsOfVenue(venue: HedgeVenue): FundingTerms | null {
  return venue instanceof SimPerpVenue ? { ratePerHour: venue.config.fundingRatePerHour, intervalMs: venue.config.fundingIntervalMs } : null;
}

/** Of a config, without building the venue (status): the in-process simulated venue's default terms, else null. */
export function fundingTermsOfConfig(venue: RunConfig['venue']): FundingTerms | null {
  return venue.kind === 'sim' ? { ratePerHour: DEFAULT_SIM_VENUE_CONFIG.fundingRatePerHour, intervalMs: DEFAULT_SIM_VENUE_CONFIG.fundingIntervalMs } : null;
}
