// `omm-hedger run [--config FILE]`: the service. Without a config it runs the embedded demo.
import { Option, type Command } from 'commander';
import { CliError } from '../cliError.ts';
import { createLogger } from '../compose/logger.ts';
import { checkMainnetGate } from '../compose/mainnetGate.ts';
import { isReplay } from '../compose/priceRecords.ts';
import { runService } from '../compose/runService.ts';
import type { RunConfig } from '../config/configSchema.ts';
import { demoConfig } from '../config/demoConfig.ts';
import { loadConfigFile, requireConfigFiles, validateConfig } from '../config/loadConfig.ts';

interface RunOptions {
  config?: string;
  prices?: string;
  speed?: string;
  untilEnd?: boolean;
  db?: string;
  create?: boolean;
  venue?: string;
  seed?: string;
  http: boolean;
  port?: string;
  logLevel?: string;
  pretty?: boolean;
  inspect?: boolean | string;
  faultEffectDelayMs?: string;
  live?: boolean;
}

function intFlag(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError(`--${name} must be an integer, got "${v}"`);
  return n;
}

/** Applies command-line overrides on top of the config (file or demo). */
export function applyRunFlags(base: RunConfig, o: RunOptions): RunConfig {
  const cfg: RunConfig = structuredClone(base);
  if (o.prices) cfg.prices = { kind: 'csv', path: o.prices, priceField: cfg.prices.kind === 'csv' ? cfg.prices.priceField : 'close', speed: isReplay(cfg.prices) ? cfg.prices.speed : 'max' };
  if (o.speed) {
    const speed = o.speed === 'max' ? 'max' : Number(o.speed);
    if (speed !== 'max' && !(speed > 0)) throw new CliError(`--speed must be "max" or a number > 0, got "${o.speed}"`);
    if (!isReplay(cfg.prices)) throw new CliError(`--speed applies to replayed prices, not to the live ${cfg.prices.kind} feed`);
    cfg.prices.speed = speed;
  }
  if (o.db) cfg.db.path = o.db;
  if (o.venue) {
    let url: URL;
    try { url = new URL(o.venue); } catch { throw new CliError(`--venue must be a URL such as http://127.0.0.1:7070, got "${o.venue}"`); }
    cfg.venue = { kind: 'sim-http', url: url.toString().replace(/\/$/, ''), market: 'BTC-PERP', timeoutMs: 2_000 };
  }
  if (o.seed) cfg.seed = intFlag('seed', o.seed);
  if (o.port) cfg.http.port = intFlag('port', o.port);
  if (o.logLevel) cfg.log.level = o.logLevel as RunConfig['log']['level'];
  if (o.pretty !== undefined) cfg.log.pretty = o.pretty;
  return validateConfig(cfg, '(after command-line flags)');
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run the hedging service (no --config: the embedded demo with the dashboard on http://127.0.0.1:8787)')
    .option('--config <file>', 'YAML or JSON config (see `omm-hedger config init`)')
    .option('--prices <file>', 'replay this CSV price file (overrides the config)')
    .option('--speed <n|max>', 'replay speed: N times real time, or max (lockstep, as fast as possible)')
    .option('--until-end', 'exit 0 when the price file is done (default: keep serving until Ctrl-C)')
    .option('--db <file>', 'SQLite journal (default ./data/omm-hedger.db)')
    .option('--create', 'create the database if it is missing (the demo default path is created on first run)')
    .option('--venue <url>', 'hedge on a simulated venue server (`omm-hedger sim-venue`) at this URL')
    .option('--seed <n>', 'seed for simulated takers and the in-process venue')
    .option('--no-http', 'do not serve the dashboard, metrics and control API')
    .option('--port <n>', 'HTTP port (default 8787)')
    .option('--log-level <level>', 'trace|debug|info|warn|error|silent')
    .option('--pretty', 'human-readable logs (default when stderr is a terminal)')
    .option('--live', 'allow a venue configured for mainnet (testnet: false) to trade real money')
    .option('--inspect [port]', 'connect the Stately inspector through a local relay (default port 8080; the inspector page needs internet)')
    .addOption(new Option('--fault-effect-delay-ms <ms>', 'chaos testing: pause around each hedge effect').hideHelp())
    .action(async (o: RunOptions) => {
      const fromFile = o.config !== undefined;
      const base = fromFile ? loadConfigFile(o.config as string) : validateConfig(demoConfig(), '(embedded demo)');
      const cfg = applyRunFlags(base, o);
      if (o.live && cfg.venue.kind !== 'ccxt' && cfg.venue.kind !== 'deribit') throw new CliError(`--live applies to venues with a testnet and a mainnet (venue.kind ccxt or deribit); venue.kind is ${cfg.venue.kind}`);
      // Refused before anything is opened: mainnet needs the config and --live.
      if (cfg.venue.kind === 'ccxt') checkMainnetGate({ mainnet: !cfg.venue.testnet, live: o.live === true, what: `venue ${cfg.venue.exchange}` });
      if (cfg.venue.kind === 'deribit') checkMainnetGate({ mainnet: !cfg.venue.testnet, live: o.live === true, what: 'venue deribit' });
      // Everything checkable is checked before runService opens (or makes) the database.
      requireConfigFiles(cfg, fromFile ? `config ${o.config}` : o.prices !== undefined ? '--prices' : 'the embedded demo');
      // The demo's default database is made on first run; any other path needs --create.
      const create = o.create === true || (!fromFile && o.db === undefined);
      const log = await createLogger(cfg.log.level, cfg.log.pretty);
      const inspectPort = o.inspect === undefined || o.inspect === false ? undefined : o.inspect === true ? 8080 : intFlag('inspect', o.inspect);
      const effectDelayMs = o.faultEffectDelayMs === undefined ? 0 : intFlag('fault-effect-delay-ms', o.faultEffectDelayMs);
      const code = await runService(cfg, { create, http: o.http, untilEnd: o.untilEnd === true, announce: true, effectDelayMs, live: o.live === true, ...(inspectPort !== undefined ? { inspectPort } : {}) }, log);
      process.exitCode = code;
    });
}
