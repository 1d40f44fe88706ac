// `omm-hedger sim-venue`: the simulated perp exchange as its own process, serving the
// HedgeVenue port over HTTP on 127.0.0.1 with its state in its own SQLite file, so it outlives
// the engine's crashes (and its own restarts) as a real exchange would.
import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { SqliteSimVenueStore } from '../../../storage/simVenueStore.ts';
import { SeriesPriceReference } from '../../venues/sim/priceReference.ts';
import { SimPerpVenue, SimVenueConfigMismatchError } from '../../venues/sim/simPerpVenue.ts';
import type { OutageWindow, SimVenueConfigInput } from '../../venues/sim/simVenueConfig.ts';
import { startSimVenueServer } from '../../venues/sim/simVenueServer.ts';
import { readBody } from '../../server/httpJson.ts';
import type { SimVenueStore } from '../../venues/sim/simVenueStore.port.ts';
import { CliError } from '../cliError.ts';
import { readPriceFile, validPoints } from '../compose/priceRecords.ts';

interface SimVenueCliOptions {
  port: string;
  db: string;
  prices?: string;
  seed: string;
  market: string;
  feeBps?: string;
  latencyMs?: string;
  latencyJitterMs?: string;
  rejectProb?: string;
  timeoutProb?: string;
  outage: string[];
  depthBtc?: string;
  levels?: string;
  minSizeBtc?: string;
  fundingRatePerHour?: string;
  answerDelayMs?: string;
}

export function register(program: Command): void {
  program
    .command('sim-venue')
    .description('run the simulated perp exchange as an HTTP server on 127.0.0.1 (its own SQLite state)')
    .requiredOption('--port <port>', 'TCP port (0 picks a free one; the chosen port is printed as JSON)')
    .requiredOption('--db <file>', "the venue's own SQLite file (created on first run)")
    .option('--prices <file>', 'price CSV, read as run and backtest read it; without it prices are pushed via POST /price')
    .option('--seed <n>', 'seed of latencies and injected faults', '1')
    .option('--market <name>', 'listed perp market', 'BTC-PERP')
    .option('--fee-bps <bps>', 'taker fee, bps of notional')
    .option('--latency-ms <ms>', 'base latency, event-time ms')
    .option('--latency-jitter-ms <ms>', 'extra latency up to this, hash(seed, id)')
    .option('--reject-prob <p>', 'probability an order is refused')
    .option('--timeout-prob <p>', 'probability an order executes but its caller is told it timed out')
    .option('--outage <from-to>', 'event-time outage window, unix ms FROM-TO or ISO FROM/TO (repeatable)', collect, [])
    .option('--depth-btc <btc>', 'BTC at each book level')
    .option('--levels <n>', 'book levels per side')
    .option('--min-size-btc <btc>', 'minimum order size')
    .option('--funding-rate-per-hour <rate>', 'constant funding rate per hour (fraction)')
    .option('--answer-delay-ms <ms>', 'wall-clock hold on each placement answer, after the order is stored (chaos tests)')
    .action(async (opts: SimVenueCliOptions) => runSimVenue(opts));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runSimVenue(opts: SimVenueCliOptions): Promise<void> {
  const port = int('--port', opts.port, 0, 65_535);
  const config = buildConfig(opts);
  if (opts.answerDelayMs !== undefined) num('--answer-delay-ms', opts.answerDelayMs, 0, 60_000);
  let prices: SimPerpVenueOpenPrices = 'pushed';
  if (opts.prices !== undefined) {
    // The same reader as run and backtest: the venue gets the valid points, never the file.
    const { records } = readPriceFile(opts.prices);
    const points = validPoints(records);
    if (points.length === 0) throw new CliError(`price file ${opts.prices} has no valid price row`);
    const refused = records.length - points.length;
    if (refused > 0) process.stderr.write(`sim-venue: ${refused} row(s) of ${opts.prices} refused by validation (bad, out-of-order or jump)\n`);
    prices = new SeriesPriceReference(points);
  }
  let store: SimVenueStore;
  try {
    store = await SqliteSimVenueStore.open({ path: opts.db });
  } catch (err) {
    throw new CliError(`cannot open --db ${opts.db}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let venue: SimPerpVenue;
  try {
    venue = await SimPerpVenue.open({ prices, config, store, pricesLabel: opts.prices === undefined ? 'pushed' : resolvePath(opts.prices) });
  } catch (err) {
    await store.close();
    if (err instanceof SimVenueConfigMismatchError || err instanceof RangeError) throw new CliError(err.message);
    throw err;
  }
  const answerDelayMs = opts.answerDelayMs === undefined ? 0 : num('--answer-delay-ms', opts.answerDelayMs, 0, 60_000);
  const server = await startSimVenueServer(venue, { readBody, port, answerDelayMs });
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: server.port, url: server.url, db: opts.db, orders: venue.orderCount })}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  await venue.close();
}

type SimPerpVenueOpenPrices = Parameters<typeof SimPerpVenue.open>[0]['prices'];

function buildConfig(o: SimVenueCliOptions): SimVenueConfigInput {
  const cfg: SimVenueConfigInput = { seed: num('--seed', o.seed), markets: [o.market], depth: {}, faults: {} };
  if (o.feeBps !== undefined) cfg.takerFeeBps = num('--fee-bps', o.feeBps, 0);
  if (o.latencyMs !== undefined) cfg.latencyMs = num('--latency-ms', o.latencyMs, 0);
  if (o.latencyJitterMs !== undefined) cfg.latencyJitterMs = num('--latency-jitter-ms', o.latencyJitterMs, 0);
  if (o.minSizeBtc !== undefined) cfg.minSizeBtc = num('--min-size-btc', o.minSizeBtc, 0);
  if (o.fundingRatePerHour !== undefined) cfg.fundingRatePerHour = num('--funding-rate-per-hour', o.fundingRatePerHour);
  if (o.depthBtc !== undefined) cfg.depth = { ...cfg.depth, depthBtcPerLevel: num('--depth-btc', o.depthBtc, 0) };
  if (o.levels !== undefined) cfg.depth = { ...cfg.depth, levels: int('--levels', o.levels, 1, 10_000) };
  if (o.rejectProb !== undefined) cfg.faults = { ...cfg.faults, rejectProb: num('--reject-prob', o.rejectProb, 0, 1) };
  if (o.timeoutProb !== undefined) cfg.faults = { ...cfg.faults, timeoutProb: num('--timeout-prob', o.timeoutProb, 0, 1) };
  if (o.outage.length > 0) cfg.faults = { ...cfg.faults, outages: o.outage.map(parseOutage) };
  return cfg;
}

/** `FROM-TO` in unix ms, or `FROM/TO` in ISO times. */
export function parseOutage(text: string): OutageWindow {
  const ms = /^(\d+)-(\d+)$/.exec(text);
  const iso = text.split('/');
  const [fromMs, toMs] = ms ? [Number(ms[1]), Number(ms[2])] : iso.length === 2 ? [Date.parse(iso[0]!), Date.parse(iso[1]!)] : [NaN, NaN];
  if (!(Number.isFinite(fromMs) && Number.isFinite(toMs) && fromMs <= toMs)) {
    throw new CliError(`bad --outage ${text}: want FROM-TO (unix ms) or FROM/TO (ISO times), FROM <= TO`);
  }
  return { fromMs, toMs };
}

function num(flag: string, text: string, min = -Infinity, max = Infinity): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max) throw new CliError(`bad ${flag} ${text}: want a number in [${min}, ${max}]`);
  return v;
}

function int(flag: string, text: string, min: number, max: number): number {
  const v = num(flag, text, min, max);
  if (!Number.isInteger(v)) throw new CliError(`bad ${flag} ${text}: want an integer`);
  return v;
}
