// Every subcommand of `omm-hedger`, in help order: its name, the line `omm-hedger --help` shows
// for it, and its module, imported only when that command runs. So `--help` loads no command
// and each command loads only what it uses. A new command is a file exporting
// register(program) and one line here.
import type { Command } from 'commander';

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ register: (program: Command) => void }>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'run', summary: 'run the hedging service (no --config: the demo, on :8787)', load: () => import('./run.ts') },
  { name: 'backtest', summary: 'replay a price file; report hedging cost and risk', load: () => import('./backtest.ts') },
  { name: 'config', summary: 'check or create a configuration file', load: () => import('./config.ts') },
  { name: 'status', summary: "each vault's state, delta, positions and open orders", load: () => import('./status.ts') },
  { name: 'journal', summary: 'the journaled transitions, one a line, with reasons', load: () => import('./journal.ts') },
  { name: 'verify', summary: 'rebuild vaults from the journal, check the snapshots', load: () => import('./verify.ts') },
  { name: 'greeks', summary: 'Black-Scholes-Merton price and greeks of a call or put', load: () => import('./greeks.ts') },
  { name: 'iv', summary: 'implied volatility of a call or put price', load: () => import('./iv.ts') },
  { name: 'venue', summary: "check a live venue: market limits, fees, position, a lookup", load: () => import('./venue.ts') },
  { name: 'sim-venue', summary: 'the simulated perp exchange as an HTTP server', load: () => import('./simVenue.ts') },
  { name: 'mc', summary: 'Monte Carlo hedging-error study of a hedging policy', load: () => import('./mc.ts') },
  { name: 'machine', summary: 'print the vault machine (Mermaid, or Stately JSON)', load: () => import('./machine.ts') },
];
