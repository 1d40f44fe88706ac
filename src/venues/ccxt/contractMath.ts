// Contract maths on ccxt markets (precision mode TICK_SIZE: precision.amount and
// precision.price are step sizes). Sizes travel as whole steps, rounded explicitly, and are
// formatted as decimal strings so no float ever reaches the venue unrounded.
// Linear perps: 1 contract = contractSize of the base (BTC). Inverse: 1 contract =
// contractSize of the quote (USD), so BTC = contracts * contractSize / price.
import type { MarketInterface as Market } from 'ccxt';

/** Decimal places of a step such as 0.001 or 1e-5 (0 for whole numbers). */
export function decimalsOf(step: number): number {
  if (!(step > 0)) throw new Error(`step must be > 0, got ${step}`);
  for (let d = 0; d <= 12; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9) return d;
  throw new Error(`step ${step} has more than 12 decimals`);
}

/** Whole steps in x: nearest, or floor/ceil with a tolerance of 1e-9 step for float noise. */
export function stepsIn(x: number, step: number, mode: 'nearest' | 'floor' | 'ceil'): number {
  const q = x / step;
  if (mode === 'nearest') return Math.round(q);
  return mode === 'floor' ? Math.floor(q + 1e-9) : Math.ceil(q - 1e-9);
}

/** n steps as a decimal string with exactly the step's decimals. */
export function formatSteps(n: number, step: number): string {
  return (n * step).toFixed(decimalsOf(step));
}

export interface MarketSpec {
  /** Amount step, contracts. */
  amountStep: number;
  /** Price step the market was loaded with, USD (Hyperliquid's grid moves with the price). */
  priceStep: number;
  contractSize: number;
  linear: boolean;
  /** Smallest amount the venue takes, contracts (0 if it names none). */
  minAmount: number;
  /** Smallest notional, USD (0 if none). */
  minNotionalUsd: number;
}

/** The numbers the adapter trades with, from a loaded ccxt market; fails fast on what it cannot use. */
export function marketSpec(m: Market): MarketSpec {
  const amountStep = m.precision.amount;
  const priceStep = m.precision.price;
  if (!m.swap || !m.contract) throw new Error(`${m.symbol} is not a perpetual swap`);
  if (!(typeof amountStep === 'number' && amountStep > 0) || !(typeof priceStep === 'number' && priceStep > 0)) {
    throw new Error(`${m.symbol}: market precision missing (amount ${String(amountStep)}, price ${String(priceStep)})`);
  }
  const linear = m.linear === true;
  if (!linear && m.inverse !== true) throw new Error(`${m.symbol}: neither linear nor inverse`);
  return {
    amountStep, priceStep, contractSize: m.contractSize ?? 1, linear,
    minAmount: m.limits.amount?.min ?? 0, minNotionalUsd: m.limits.cost?.min ?? 0,
  };
}

/** BTC -> contracts (unrounded). */
export function contractsOf(sizeBtc: number, spec: MarketSpec, priceUsd: number): number {
  return spec.linear ? sizeBtc / spec.contractSize : (sizeBtc * priceUsd) / spec.contractSize;
}

/** Contracts -> BTC; inverse contracts are converted at the price they traded at. */
export function btcOf(contracts: number, spec: MarketSpec, priceUsd: number): number {
  return spec.linear ? contracts * spec.contractSize : (contracts * spec.contractSize) / priceUsd;
}

/**
 * An order size in whole amount steps and as the venue's decimal string: rounded down, never
 * more than asked, since the engine counts the size it asked for as what the order may trade
 * (position checks while it is in flight, reduce-only decisions). The engine's lot may be finer
 * than the venue's step (0.0001 BTC against Binance's 0.001).
 */
export function orderAmount(sizeBtc: number, spec: MarketSpec, priceUsd: number): { steps: number; amount: string } {
  const steps = stepsIn(contractsOf(sizeBtc, spec, priceUsd), spec.amountStep, 'floor');
  return { steps, amount: formatSteps(steps, spec.amountStep) };
}

/** BTC per amount step at this price (the venue's lot, in BTC). */
export function lotBtc(spec: MarketSpec, priceUsd: number): number {
  return btcOf(spec.amountStep, spec, priceUsd);
}

/** A protective limit on a fixed price grid: buys rounded down, sells up, so never past the limit. */
export function gridPrice(priceUsd: number, step: number, side: 'buy' | 'sell'): string {
  if (!(priceUsd > 0)) throw new Error(`limit price must be > 0, got ${priceUsd}`);
  const n = stepsIn(priceUsd, step, side === 'buy' ? 'floor' : 'ceil');
  if (n < 1) throw new Error(`limit price ${priceUsd} is below one price step (${step})`);
  return formatSteps(n, step);
}
