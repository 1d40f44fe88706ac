// Prices and amounts on an instrument's grid, rounded explicitly and in the direction that
// never makes an order more aggressive (or bigger) than asked. Every grid number comes from
// public/get_instruments (DeribitInstrument).
import { roundExplicit, type Rounding } from '../../domain/roundExplicit.ts';
import type { DeribitInstrument } from './parseInstruments.ts';

/** The tick that applies at `price`: the base tick, or that of the highest step below the price. */
export function tickAt(inst: Pick<DeribitInstrument, 'tickSize' | 'tickSteps'>, price: number): number {
  let tick = inst.tickSize;
  for (const s of inst.tickSteps) if (price > s.abovePrice) tick = s.tickSize;
  return tick;
}

/** Decimal places of a grid step such as 0.0005 (4) or 0.5 (1), to print grid values without float noise. */
function decimalsOf(step: number): number {
  const text = step.toString();
  if (text.includes('e-')) return Number(text.split('e-')[1]) + (text.split('e')[0]?.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

function onGrid(n: number, step: number): number {
  return Number((n * step).toFixed(decimalsOf(step)));
}

/**
 * Rounds a price to the instrument's tick: 'down' for bids and buys, 'up' for asks and sells
 * (never more aggressive than asked), 'nearest' otherwise. Throws on a non-positive price.
 */
export function roundPrice(inst: Pick<DeribitInstrument, 'name' | 'tickSize' | 'tickSteps'>, price: number, mode: Rounding): number {
  if (!(price > 0) || !Number.isFinite(price)) throw new Error(`price for ${inst.name} must be positive, got ${price}`);
  let tick = tickAt(inst, price);
  let rounded = onGrid(roundExplicit(price / tick, mode), tick);
  // Rounding may cross a step boundary: the tick there decides (at most one more pass).
  const tickThere = tickAt(inst, rounded);
  if (tickThere !== tick) {
    tick = tickThere;
    rounded = onGrid(roundExplicit(price / tick, mode), tick);
  }
  return rounded;
}

/** The price `ticks` whole ticks away from an on-grid price (negative: lower). */
export function stepPrice(inst: Pick<DeribitInstrument, 'name' | 'tickSize' | 'tickSteps'>, price: number, ticks: number): number {
  const tick = tickAt(inst, ticks < 0 ? price - Number.EPSILON * price : price);
  return onGrid(roundExplicit(price / tick, 'nearest') + ticks, tick);
}

/** Whole ticks between two prices at the tick of the lower one. */
export function ticksBetween(inst: Pick<DeribitInstrument, 'tickSize' | 'tickSteps'>, a: number, b: number): number {
  const tick = tickAt(inst, Math.min(a, b));
  return Math.abs(roundExplicit(a / tick, 'nearest') - roundExplicit(b / tick, 'nearest'));
}

/**
 * An amount on the instrument's grid of `minTradeAmount` steps (USD for inverse futures,
 * contracts for options), rounded as asked. 0 when it rounds below one step.
 */
export function roundAmount(inst: Pick<DeribitInstrument, 'name' | 'minTradeAmount'>, amount: number, mode: Rounding): number {
  if (!(amount >= 0) || !Number.isFinite(amount)) throw new Error(`amount for ${inst.name} must be >= 0, got ${amount}`);
  return onGrid(roundExplicit(amount / inst.minTradeAmount, mode), inst.minTradeAmount);
}

/** Inverse future: contracts of `contractSize` USD for `usd`, rounded as asked, as a USD amount. */
export function roundUsdToContracts(inst: Pick<DeribitInstrument, 'name' | 'contractSize'>, usd: number, mode: Rounding): number {
  if (!(usd >= 0) || !Number.isFinite(usd)) throw new Error(`USD amount for ${inst.name} must be >= 0, got ${usd}`);
  return onGrid(roundExplicit(usd / inst.contractSize, mode), inst.contractSize);
}
