// `venue check` on a Deribit account: connect and authenticate (the credentials file's key),
// read the perp's contract and the BTC options listed, the account's positions and equity, its
// MMP config, and look up a made-up label (it must be never seen: the lookup every hedge
// starts with). Nothing is placed, and the account's quotes are left alone.
import { randomBytes } from 'node:crypto';
import { CliError } from '../cliError.ts';
import { describeDeribit, openDeribitAccount, type DeribitVenueConfig } from '../compose/deribitAccount.ts';

export interface DeribitVenueCheck {
  venue: 'deribit';
  network: 'testnet' | 'mainnet';
  wsUrl: string | null;
  perp: { instrument: string; contractSizeUsd: number; tickSizeUsd: number; minAmountUsd: number };
  options: { listed: number };
  indexUsd: number;
  positions: { options: { instrument: string; contracts: number }[]; perpUsd: number };
  equityBtc: number;
  balanceBtc: number;
  mmp: { intervalSec: number; frozenTimeSec: number; quantityLimitContracts?: number; deltaLimitBtc?: number; vegaLimit?: number } | null;
  madeUpLabel: { label: string; lookup: string };
}

function text(c: DeribitVenueCheck, describe: string): string {
  const legs = c.positions.options.map((o) => `${o.instrument} ${o.contracts}`).join(', ') || 'none';
  return [
    describe,
    `  perp:            ${c.perp.instrument}, contract ${c.perp.contractSizeUsd} USD, tick ${c.perp.tickSizeUsd} USD, min amount ${c.perp.minAmountUsd} USD`,
    `  options:         ${c.options.listed} BTC options listed; index ${c.indexUsd} USD`,
    `  positions:       options ${legs}; perp ${c.positions.perpUsd} USD`,
    `  equity:          ${c.equityBtc} BTC (balance ${c.balanceBtc} BTC)`,
    `  mmp:             ${c.mmp ? `interval ${c.mmp.intervalSec} s, frozen ${c.mmp.frozenTimeSec} s, quantity limit ${c.mmp.quantityLimitContracts ?? '-'}, delta limit ${c.mmp.deltaLimitBtc ?? '-'}` : 'not set'}`,
    `  label check:     ${c.madeUpLabel.label} looks up as ${c.madeUpLabel.lookup}`,
    'venue check: ok',
  ].join('\n');
}

export async function checkDeribit(v: DeribitVenueConfig, json: boolean): Promise<void> {
  // A read-only check: no mainnet gate (nothing is placed).
  const account = await openDeribitAccount(v, { live: null });
  try {
    const { book, hedge } = account;
    const made = `venue-check-${randomBytes(6).toString('hex')}-1`;
    const [pos, mmp, lookup] = await Promise.all([book.positions(), book.mmpConfig(), hedge.lookup(made)]);
    const c = hedge.perpContract();
    const check: DeribitVenueCheck = {
      venue: 'deribit', network: v.testnet ? 'testnet' : 'mainnet', wsUrl: v.wsUrl ?? null,
      perp: { instrument: c.instrument, contractSizeUsd: c.contractSizeUsd, tickSizeUsd: c.tickSizeUsd, minAmountUsd: c.minAmountUsd },
      options: { listed: book.series().length }, indexUsd: pos.indexPriceUsd,
      positions: { options: pos.options.map((o) => ({ instrument: o.instrument, contracts: o.sizeContracts })), perpUsd: pos.perp?.sizeUsd ?? 0 },
      equityBtc: pos.equityBtc, balanceBtc: pos.balanceBtc, mmp,
      madeUpLabel: { label: made, lookup: lookup.status === 'unknown' ? 'never seen' : lookup.status },
    };
    if (lookup.status !== 'unknown') throw new CliError(`venue check failed: the made-up label ${made} looks up as ${lookup.status}, not as never seen`, 1);
    process.stdout.write(`${json ? JSON.stringify(check) : text(check, describeDeribit(v))}\n`);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`venue check failed: ${err instanceof Error ? err.message : String(err)}`, 1);
  } finally {
    await account.release();
  }
}
