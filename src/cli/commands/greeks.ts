// `omm-hedger greeks`: Black-Scholes-Merton price and greeks of one call or put.
// theta per year, vega per 1.00 of vol, rho per 1.00 of rate (the domain's units).
import type { Command } from 'commander';
import { asCliError } from '../cliError.ts';
import { parseChoice, parseNumberOption, parseOptionalNumber, parseVolOption } from '../parseNumber.ts';
import { blackScholes, type OptionGreeks } from '../../domain/blackScholes.ts';
import type { OptionKind } from '../../domain/instrument.ts';

export interface PricingInputs {
  type: OptionKind;
  spot: number;
  strike: number;
  years: number;
  rate: number;
  carry: number;
}

/** Reads the inputs shared by `greeks` and `iv` from commander's option bag. */
export function parsePricingInputs(opts: Record<string, unknown>): PricingInputs {
  return {
    type: parseChoice('type', opts.type, ['call', 'put'] as const),
    spot: parseNumberOption('spot', opts.spot, { min: 0, exclusiveMin: true }),
    strike: parseNumberOption('strike', opts.strike, { min: 0, exclusiveMin: true }),
    years: parseNumberOption('years', opts.years, { min: 0 }),
    rate: parseOptionalNumber('rate', opts.rate, 0, { min: -1, max: 1 }),
    carry: parseOptionalNumber('carry', opts.carry, 0, { min: -1, max: 1 }),
  };
}

/** Rounds for display: 10 significant digits, no exponent noise for ordinary sizes. */
export function fmt(x: number): string {
  return String(Number(x.toPrecision(10)));
}

export function computeGreeks(opts: Record<string, unknown>): PricingInputs & { vol: number } & OptionGreeks {
  const inputs = parsePricingInputs(opts);
  const vol = parseVolOption('vol', opts.vol);
  const g = asCliError(() => blackScholes(inputs.type, inputs.spot, inputs.strike, inputs.years, vol, inputs.rate, inputs.carry));
  return { ...inputs, vol, ...g };
}

export function register(program: Command): void {
  program
    .command('greeks')
    .description('Black-Scholes-Merton price, delta, gamma, vega (per 1.00 vol), theta (per year), rho (per 1.00 rate)')
    .option('--type <kind>', 'call or put')
    .option('--spot <usd>', 'spot price, > 0')
    .option('--strike <usd>', 'strike price, > 0')
    .option('--years <T>', 'time to expiry in years (ACT/365), >= 0')
    .option('--vol <sigma>', 'annualised volatility as a decimal (0.6 = 60%)')
    .option('--rate <r>', 'risk-free rate, decimal per year (default 0)')
    .option('--carry <q>', 'carry / dividend yield q, decimal per year (default 0)')
    .option('--json', 'print one JSON object')
    .action((opts: Record<string, unknown>) => {
      const r = computeGreeks(opts);
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      const lines = [
        `${r.type} spot ${fmt(r.spot)} strike ${fmt(r.strike)} years ${fmt(r.years)} vol ${fmt(r.vol)} rate ${fmt(r.rate)} carry ${fmt(r.carry)}`,
        `price  ${fmt(r.price)}`,
        `delta  ${fmt(r.delta)}`,
        `gamma  ${fmt(r.gamma)}`,
        `vega   ${fmt(r.vega)}   (per 1.00 vol)`,
        `theta  ${fmt(r.theta)}   (per year)`,
        `rho    ${fmt(r.rho)}   (per 1.00 rate)`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
