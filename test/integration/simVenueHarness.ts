// Shared set-up for the simulated venue's integration tests.
import type { SimVenueConfigInput } from '../../src/venues/sim/simVenueConfig.ts';
import type { VenueContractSetup } from './venueContract.ts';

/** A book of 4 levels 5 bps apart holding depthBtc in all, so everything sits within 2% of the reference. */
export function contractConfig(setup: VenueContractSetup): SimVenueConfigInput {
  return { seed: 7, depth: { halfSpreadBps: 1, levelSpacingBps: 5, depthBtcPerLevel: setup.depthBtc / 4, levels: 4 } };
}

/** POST JSON to the venue server; fails the test on any non-200 answer. */
export async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json: unknown = await res.json();
  if (res.status !== 200) throw new Error(`POST ${url} -> ${res.status} ${JSON.stringify(json)}`);
  return json;
}
