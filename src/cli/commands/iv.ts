// `omm-hedger iv`: Black-Scholes-Merton implied volatility of a call or put price.
import type { Command } from 'commander';
import { asCliError, CliError } from '../cliError.ts';
import { MAX_VOL_PER_YEAR, parseNumberOption, volPercent } from '../parseNumber.ts';
import { impliedVol } from '../../domain/impliedVol.ts';
import { fmt, parsePricingInputs, type PricingInputs } from './greeks.ts';

export function computeIv(opts: Record<string, unknown>): PricingInputs & { price: number; vol: number } {
  const inputs = parsePricingInputs(opts);
  const price = parseNumberOption('price', opts.price, { min: 0 });
  if (inputs.years === 0) throw new CliError('--years must be > 0 for an implied vol (at expiry the price is intrinsic)');
  const vol = asCliError(() => impliedVol(inputs.type, price, inputs.spot, inputs.strike, inputs.years, inputs.rate, inputs.carry));
  return { ...inputs, price, vol };
}

export function register(program: Command): void {
  program
    .command('iv')
    .description('implied volatility (annualised, decimal) of a call or put price under Black-Scholes-Merton')
    .option('--type <kind>', 'call or put')
    .option('--spot <usd>', 'spot price, > 0')
    .option('--strike <usd>', 'strike price, > 0')
    .option('--years <T>', 'time to expiry in years (ACT/365), > 0')
    .option('--price <usd>', 'option price in USD')
    .option('--rate <r>', 'risk-free rate, decimal per year (default 0)')
    .option('--carry <q>', 'carry / dividend yield q, decimal per year (default 0)')
    .option('--json', 'print one JSON object')
    .action((opts: Record<string, unknown>) => {
      const r = computeIv(opts);
      if (r.vol > MAX_VOL_PER_YEAR) {
        process.stderr.write(`omm-hedger: warning: implied vol ${fmt(r.vol)} is ${volPercent(r.vol)} a year: implausible; check --price, --spot, --strike and --years\n`);
      }
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      process.stdout.write(`implied vol ${fmt(r.vol)}  (${r.type} spot ${fmt(r.spot)} strike ${fmt(r.strike)} years ${fmt(r.years)} price ${fmt(r.price)})\n`);
    });
}
