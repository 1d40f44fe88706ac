// `omm-hedger mc`: Monte Carlo hedging-error study (issue 9; Hull Table 19.4). Simulates GBM
// paths under --drift, writes (or buys) --position options at the Black-Scholes price, hedges
// with the chosen policy and prints the mean and sd of the PV cost of writing and hedging
// (whole position, USD, discounted to t = 0), the BS price of one option and Hull's ratio
// sdCost / (|position| * bsPrice).
import type { Command } from 'commander';
import { CliError } from '../cliError.ts';
import { parseChoice, parseNumberOption, parseOptionalNumber, parseVolOption } from '../parseNumber.ts';
import { HEDGE_POLICIES, hedgingStudy, type HedgingStudyInput, type HedgingStudyResult } from '../../domain/hedgingStudy.ts';

/** Upper bound on paths * steps, so a typo cannot pin a core for hours. */
const MAX_WORK = 2e9;

/** Validates commander's option bag into a study input (CliError on any bad value). */
export function parseMcInput(opts: Record<string, unknown>): HedgingStudyInput {
  const policy = parseChoice('policy', opts.policy ?? 'time', HEDGE_POLICIES);
  const years = parseNumberOption('years', opts.years, { min: 0, exclusiveMin: true, max: 100 });
  const rebalanceYears = parseNumberOption('rebalance-years', opts.rebalanceYears, { min: 0, exclusiveMin: true });
  if (rebalanceYears > years) throw new CliError(`--rebalance-years must be <= --years (${years}), got ${rebalanceYears}`);
  const paths = parseNumberOption('paths', opts.paths, { min: 2, max: 1e8, integer: true });
  if (paths * Math.ceil(years / rebalanceYears) > MAX_WORK) {
    throw new CliError(`--paths times steps (years / rebalance-years) must be <= ${MAX_WORK}`);
  }
  const position = parseNumberOption('position', opts.position);
  if (position === 0) throw new CliError('--position must be non-zero (< 0 written, > 0 bought)');
  const input: HedgingStudyInput = {
    kind: parseChoice('type', opts.type, ['call', 'put'] as const),
    spot: parseNumberOption('spot', opts.spot, { min: 0, exclusiveMin: true }),
    strike: parseNumberOption('strike', opts.strike, { min: 0, exclusiveMin: true }),
    years,
    vol: parseVolOption('vol', opts.vol, { min: 0, exclusiveMin: true }),
    rate: parseNumberOption('rate', opts.rate, { min: -1, max: 1 }),
    drift: parseNumberOption('drift', opts.drift, { min: -10, max: 10 }),
    position,
    rebalanceYears,
    paths,
    seed: parseNumberOption('seed', opts.seed, { integer: true }),
    policy,
    costBps: parseOptionalNumber('cost-bps', opts.costBps, 0, { min: 0, max: 1000 }),
    hedgeEverySteps: parseOptionalNumber('hedge-every', opts.hedgeEvery, 1, { min: 1, integer: true }),
  };
  if (policy === 'ww' || policy === 'zakamouline') {
    input.riskAversion = parseNumberOption('risk-aversion', opts.riskAversion, { min: 0, exclusiveMin: true });
  }
  if (policy === 'band') input.bandBtc = parseNumberOption('band-btc', opts.bandBtc, { min: 0 });
  if (policy === 'move') input.movePct = parseNumberOption('move-pct', opts.movePct, { min: 0, exclusiveMin: true, max: 10 });
  return input;
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}

export function formatMc(input: HedgingStudyInput, r: HedgingStudyResult): string {
  return [
    `${input.position} x ${input.kind} S ${input.spot} K ${input.strike} T ${input.years}y vol ${input.vol} r ${input.rate} mu ${input.drift}`,
    `policy ${input.policy}, grid ${input.rebalanceYears}y (${r.steps} steps), ${r.paths} paths, cost ${input.costBps ?? 0} bps, seed ${input.seed}`,
    `bsPrice     ${fmt(r.bsPrice)}   (one option)`,
    `meanCost    ${fmt(r.meanCost)}   (PV cost of writing and hedging, whole position)`,
    `sdCost      ${fmt(r.sdCost)}`,
    `ratio       ${fmt(r.ratio)}   (sdCost / (|position| * bsPrice), Hull's performance measure)`,
    `meanPnl     ${fmt(r.meanPnl)}   meanFees ${fmt(r.meanFees)}   trades/path ${fmt(r.meanTrades)}`,
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('mc')
    .description("Monte Carlo hedging-error study: sd of the cost of writing and hedging an option (Hull's performance measure)")
    .option('--type <kind>', 'call or put')
    .option('--spot <usd>', 'spot price at t = 0, > 0')
    .option('--strike <usd>', 'strike, > 0')
    .option('--years <T>', 'time to expiry, years (ACT/365)')
    .option('--vol <sigma>', 'annualised vol of the paths and the hedge model (0.2 = 20%)')
    .option('--rate <r>', 'risk-free rate per year (discounting and BS model)')
    .option('--drift <mu>', 'real-world drift of the paths per year')
    .option('--position <Q>', 'options held: < 0 written (Hull: -100000), > 0 bought')
    .option('--rebalance-years <dt>', 'monitoring grid step, years (the rebalance interval of --policy time)')
    .option('--paths <N>', 'number of simulated paths, integer >= 2')
    .option('--seed <n>', 'integer seed (same seed, same paths)')
    .option('--cost-bps <c>', 'one-way proportional cost, bps of traded notional (default 0)')
    .option('--policy <p>', `hedge policy: ${HEDGE_POLICIES.join('|')} (default time)`)
    .option('--risk-aversion <g>', 'ww/zakamouline: absolute risk aversion, 1/USD')
    .option('--band-btc <h>', 'band: no-trade half-width, units of underlying for the whole position')
    .option('--move-pct <m>', 'move: rebalance after a spot move of m (0.01 = 1%)')
    .option('--hedge-every <k>', 'time: rebalance every k grid steps (default 1)')
    .option('--json', 'print one JSON object (meanCost, sdCost, bsPrice, ratio, ...)')
    .action((opts: Record<string, unknown>) => {
      const input = parseMcInput(opts);
      const r = hedgingStudy(input);
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify({ ...r, input })}\n`);
        return;
      }
      process.stdout.write(`${formatMc(input, r)}\n`);
    });
}
