// Synthetic price paths: geometric Brownian motion with optional Merton jumps and a
// two-state vol regime switch. Seeded and reproducible: every draw is hashNormal /
// hashUniform(seed, kind, step[, j]), so the path depends on the seed and the step index only.
//
// Step i (dt = stepMs in years, sigma = the current regime's vol):
//   regime flips with probability switchProbPerStep (checked before the step's return)
//   ln(S_i / S_{i-1}) = (driftPerYear - sigma^2 / 2) dt + sigma sqrt(dt) Z_i + sum of N_i jumps
//   N_i ~ Poisson(jumpIntensityPerYear * dt), each jump ~ Normal(jumpMeanLog, jumpStdLog)
import { hashNormal, hashUniform, poisson } from '../domain/rng.ts';
import type { PriceTickInput } from './inputTypes.ts';

const YEAR_MS = 365 * 86_400_000;

export interface SyntheticPriceOptions {
  seed: number;
  startPriceUsd: number;
  /** Event time of the first tick (offset 0, the start price), unix ms. */
  startAt: number;
  stepMs: number;
  /** Number of ticks including the first. */
  steps: number;
  volPerYear: number;
  driftPerYear?: number;
  /** Second regime's vol; with switchProbPerStep > 0 the path alternates between the two. */
  highVolPerYear?: number;
  switchProbPerStep?: number;
  jumpIntensityPerYear?: number;
  jumpMeanLog?: number;
  jumpStdLog?: number;
  source?: string;
}

/** The path as raw ticks (valid by construction), lazily. */
export function* syntheticPrices(o: SyntheticPriceOptions): Generator<PriceTickInput> {
  const source = o.source ?? `synthetic:${o.seed}`;
  const dt = o.stepMs / YEAR_MS;
  const mu = o.driftPerYear ?? 0;
  const hi = o.highVolPerYear ?? o.volPerYear;
  const pSwitch = o.switchProbPerStep ?? 0;
  const lambdaStep = (o.jumpIntensityPerYear ?? 0) * dt;
  const jm = o.jumpMeanLog ?? 0;
  const js = o.jumpStdLog ?? 0;
  if (!(o.startPriceUsd > 0) || !(o.stepMs > 0) || !(o.volPerYear >= 0) || !(hi >= 0) || !(pSwitch >= 0 && pSwitch <= 1) || !(lambdaStep >= 0) || !(js >= 0)) {
    throw new Error(`syntheticPrices: bad options ${JSON.stringify(o)}`);
  }
  let price = o.startPriceUsd;
  let high = false;
  for (let i = 0; i < o.steps; i++) {
    if (i > 0) {
      if (pSwitch > 0 && hashUniform(o.seed, 'regime', i) < pSwitch) high = !high;
      const sigma = high ? hi : o.volPerYear;
      let r = (mu - (sigma * sigma) / 2) * dt + sigma * Math.sqrt(dt) * hashNormal(o.seed, 'z', i);
      const n = lambdaStep > 0 ? poisson(lambdaStep, hashUniform(o.seed, 'jumps', i)) : 0;
      for (let j = 0; j < n; j++) r += jm + js * hashNormal(o.seed, 'jump', i, j);
      price *= Math.exp(r);
    }
    yield { at: o.startAt + i * o.stepMs, priceUsd: price, source, offset: i };
  }
}
