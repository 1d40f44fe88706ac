// Configuration of the simulated perp exchange, with defaults close to Mango v3 BTC-PERP
// (lot 0.0001 BTC, tick 0.1 USD) and a thin, deterministic book.

/** An event-time window [fromMs, toMs] (inclusive, unix ms) during which orders are refused unplaced. */
export interface OutageWindow {
  fromMs: number;
  toMs: number;
}

/** The depth model: `levels` price levels per side, each holding `depthBtcPerLevel`. */
export interface DepthConfig {
  /** Distance of the best level from the reference price, bps. */
  halfSpreadBps: number;
  /** Extra distance of each further level, bps: price impact grows with size. */
  levelSpacingBps: number;
  /** BTC available at each level (the book refills between orders). */
  depthBtcPerLevel: number;
  /** Number of levels per side; an order larger than levels * depthBtcPerLevel fills partially. */
  levels: number;
}

export interface FaultConfig {
  /** Probability an order is refused (seeded hash of the client order id). */
  rejectProb: number;
  /** Probability an order is executed but the caller is told it timed out. */
  timeoutProb: number;
  outages: OutageWindow[];
}

export interface SimVenueConfig {
  /** Venue name reported by `HedgeVenue.name`. */
  name: string;
  /** Markets the venue lists; all share the one reference price. */
  markets: string[];
  seed: number;
  lotSizeBtc: number;
  minSizeBtc: number;
  tickSizeUsd: number;
  /** Largest order the venue accepts in one go, BTC; the rest of a bigger IOC is cancelled. */
  maxOrderBtc: number;
  takerFeeBps: number;
  /** Constant funding rate per hour (fraction, > 0: longs pay shorts). */
  fundingRatePerHour: number;
  /** Funding is settled on the position held at every multiple of this interval (event time). */
  fundingIntervalMs: number;
  /** Latency = latencyMs + hash(seed, id) * latencyJitterMs (event time, ms). */
  latencyMs: number;
  latencyJitterMs: number;
  depth: DepthConfig;
  faults: FaultConfig;
}

export const DEFAULT_SIM_VENUE_CONFIG: SimVenueConfig = {
  name: 'sim',
  markets: ['BTC-PERP'],
  seed: 1,
  lotSizeBtc: 0.0001,
  minSizeBtc: 0.001,
  tickSizeUsd: 0.1,
  maxOrderBtc: 100,
  takerFeeBps: 5,
  fundingRatePerHour: 0.0000125,
  fundingIntervalMs: 3_600_000,
  latencyMs: 20,
  latencyJitterMs: 30,
  depth: { halfSpreadBps: 1, levelSpacingBps: 2, depthBtcPerLevel: 2, levels: 20 },
  faults: { rejectProb: 0, timeoutProb: 0, outages: [] },
};

export type SimVenueConfigInput = Partial<Omit<SimVenueConfig, 'depth' | 'faults'>> & {
  depth?: Partial<DepthConfig>;
  faults?: Partial<FaultConfig>;
};

/** Fills in defaults and fails fast on nonsense (negative sizes, probabilities outside [0,1]). */
export function resolveSimVenueConfig(input: SimVenueConfigInput = {}): SimVenueConfig {
  const d = DEFAULT_SIM_VENUE_CONFIG;
  const cfg: SimVenueConfig = {
    ...d,
    ...input,
    depth: { ...d.depth, ...input.depth },
    faults: { ...d.faults, ...input.faults },
  };
  const positive = (name: string, v: number): void => {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`sim venue: ${name} must be > 0, got ${v}`);
  };
  const nonNegative = (name: string, v: number): void => {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`sim venue: ${name} must be >= 0, got ${v}`);
  };
  const probability = (name: string, v: number): void => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`sim venue: ${name} must be in [0,1], got ${v}`);
  };
  positive('lotSizeBtc', cfg.lotSizeBtc);
  positive('tickSizeUsd', cfg.tickSizeUsd);
  positive('maxOrderBtc', cfg.maxOrderBtc);
  positive('fundingIntervalMs', cfg.fundingIntervalMs);
  positive('depth.depthBtcPerLevel', cfg.depth.depthBtcPerLevel);
  nonNegative('minSizeBtc', cfg.minSizeBtc);
  nonNegative('takerFeeBps', cfg.takerFeeBps);
  nonNegative('latencyMs', cfg.latencyMs);
  nonNegative('latencyJitterMs', cfg.latencyJitterMs);
  nonNegative('depth.halfSpreadBps', cfg.depth.halfSpreadBps);
  nonNegative('depth.levelSpacingBps', cfg.depth.levelSpacingBps);
  if (!Number.isInteger(cfg.depth.levels) || cfg.depth.levels < 1) throw new RangeError(`sim venue: depth.levels must be an integer >= 1, got ${cfg.depth.levels}`);
  if (!Number.isFinite(cfg.fundingRatePerHour)) throw new RangeError('sim venue: fundingRatePerHour must be finite');
  if (!Number.isFinite(cfg.seed)) throw new RangeError('sim venue: seed must be finite');
  probability('faults.rejectProb', cfg.faults.rejectProb);
  probability('faults.timeoutProb', cfg.faults.timeoutProb);
  for (const w of cfg.faults.outages) {
    if (!(Number.isFinite(w.fromMs) && Number.isFinite(w.toMs) && w.fromMs <= w.toMs)) {
      throw new RangeError(`sim venue: bad outage window ${w.fromMs}-${w.toMs}`);
    }
  }
  if (cfg.markets.length === 0) throw new RangeError('sim venue: at least one market');
  return cfg;
}
