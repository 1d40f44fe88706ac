// `omm-hedger venue check --config FILE [--json]`: opens the configured venue without trading
// (markets loaded, credentials used for reads only) and prints what the hedger will trade
// with: minimum size, size step, price tick, contract size, fees, the account's position and
// free collateral, and that a made-up client id looks up as never seen. Exit 0 when the venue
// answers and the credentials work; 1 with a one-line reason otherwise.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { CliError } from '../cliError.ts';
import { openCcxt } from '../compose/buildVenue.ts';
import { checkDeribit } from './venueCheckDeribit.ts';
import { loadConfigFile } from '../config/loadConfig.ts';

export interface VenueCheck {
  exchange: string;
  symbol: string;
  network: 'testnet' | 'mainnet';
  apiUrl: string | null;
  contract: { kind: 'linear' | 'inverse'; contractSize: number; amountStep: number; minAmount: number; minNotionalUsd: number };
  minSizeBtc: number;
  stepBtc: number;
  tickUsd: number;
  markUsd: number;
  takerFeeBps: number;
  fundingPerHour: number;
  position: { sizeBtc: number; avgEntryUsd: number };
  freeCollateralUsd: number;
  madeUpClientId: { id: string; lookup: string };
  lookupHorizon: string;
}

function text(c: VenueCheck): string {
  return [
    `${c.exchange} ${c.symbol} (${c.network}${c.apiUrl ? `, at ${c.apiUrl}` : ''})`,
    `  contract:        ${c.contract.kind} perp, contract size ${c.contract.contractSize}, amount step ${c.contract.amountStep}, min amount ${c.contract.minAmount}, min notional ${c.contract.minNotionalUsd} USD`,
    `  min size:        ${c.minSizeBtc} BTC (step ${c.stepBtc} BTC)`,
    `  tick:            ${c.tickUsd} USD at mark ${c.markUsd} USD`,
    `  fees:            taker ${c.takerFeeBps} bps; funding ${c.fundingPerHour} per hour`,
    `  position:        ${c.position.sizeBtc} BTC (entry ${c.position.avgEntryUsd} USD)`,
    `  free collateral: ${c.freeCollateralUsd} USD`,
    `  client id check: ${c.madeUpClientId.id} looks up as ${c.madeUpClientId.lookup}`,
    `  lookups:         ${c.lookupHorizon}`,
    'venue check: ok',
  ].join('\n');
}

export function register(program: Command): void {
  const venue = program.command('venue').description('check the configured hedge venue');
  venue
    .command('check')
    .description('load the market, read the account and look up a made-up client id, without trading (exit 0: the venue answers and the credentials work)')
    .requiredOption('--config <file>', 'YAML or JSON config with a venue of kind ccxt or deribit')
    .option('--json', 'print one JSON object')
    .addHelpText('after', `
Prints the market's minimum size, size step, price tick and contract size, the taker fee, the
account's position and free collateral, and checks that a made-up client id looks up as never
seen (the lookup every hedge starts with). Deribit: the perp's contract, the BTC options listed,
the account's positions and equity, and its MMP config. Mainnet configs are checked too:
nothing is placed.
Exit 1 with a one-line reason when the venue does not answer or refuses the credentials.`)
    .action(async (o: { config: string; json?: boolean }) => {
      const cfg = loadConfigFile(o.config);
      if (cfg.venue.kind === 'deribit') { await checkDeribit(cfg.venue, o.json === true); return; }
      if (cfg.venue.kind !== 'ccxt') throw new CliError(`venue check applies to venue.kind ccxt or deribit; ${o.config} has venue.kind ${cfg.venue.kind}`);
      const v = cfg.venue;
      const ven = await openCcxt(v, null);
      try {
        const market = v.symbol;
        const made = `venue-check-${randomBytes(6).toString('hex')}-1`;
        const [info, funding, position, free, lookup] = await Promise.all([
          ven.marketInfo(market), ven.fundingRate(market), ven.position(market), ven.freeCollateralUsd(), ven.lookup(made),
        ]);
        const mark = await ven.markPrice(market);
        const c = ven.contract();
        const check: VenueCheck = {
          exchange: v.exchange, symbol: market, network: v.testnet ? 'testnet' : 'mainnet', apiUrl: v.apiUrl ?? null,
          contract: { kind: c.linear ? 'linear' : 'inverse', contractSize: c.contractSize, amountStep: c.amountStep, minAmount: c.minAmount, minNotionalUsd: c.minNotionalUsd },
          minSizeBtc: info.minSizeBtc, stepBtc: info.lotSizeBtc, tickUsd: info.tickSizeUsd, markUsd: mark.priceUsd, takerFeeBps: info.takerFeeBps,
          fundingPerHour: funding.ratePerHour, position: { sizeBtc: position.sizeBtc, avgEntryUsd: position.avgEntryUsd },
          freeCollateralUsd: free, madeUpClientId: { id: made, lookup: lookup.status === 'unknown' ? 'never seen' : lookup.status },
          lookupHorizon: c.lookupHorizon,
        };
        if (lookup.status !== 'unknown') throw new CliError(`venue check failed: the made-up client id ${made} looks up as ${lookup.status}, not as never seen`, 1);
        process.stdout.write(`${o.json ? JSON.stringify(check) : text(check)}\n`);
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError(`venue check failed: ${err instanceof Error ? err.message : String(err)}`, 1);
      } finally {
        await ven.close();
      }
    });
}
