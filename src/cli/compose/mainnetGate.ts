// Testnet is the default; real money needs two deliberate steps: the config says mainnet
// (testnet: false) and the command line says --live. Either alone is refused in one line.
import { CliError } from '../cliError.ts';

export interface MainnetIntent {
  /** The config asks for the venue's mainnet. */
  mainnet: boolean;
  /** `run --live` was given. */
  live: boolean;
  /** What is configured, for the message, e.g. "venue hyperliquid". */
  what: string;
}

export function checkMainnetGate(i: MainnetIntent): void {
  if (i.mainnet && !i.live) {
    throw new CliError(`${i.what} is configured for mainnet (testnet: false): refusing to trade real money without \`run --live\``, 2);
  }
  if (i.live && !i.mainnet) {
    throw new CliError(`--live was given but ${i.what} is on testnet (testnet: true is the default): set testnet: false to trade on mainnet, or drop --live`, 2);
  }
}
