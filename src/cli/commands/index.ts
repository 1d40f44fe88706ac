// Every subcommand of `omm-hedger`, in help order.
import type { Command } from 'commander';
import { register as registerBacktest } from './backtest.ts';
import { register as registerConfig } from './config.ts';
import { register as registerGreeks } from './greeks.ts';
import { register as registerIv } from './iv.ts';
import { register as registerJournal } from './journal.ts';
import { register as registerMachine } from './machine.ts';
import { register as registerMc } from './mc.ts';
import { register as registerRun } from './run.ts';
import { register as registerSimVenue } from './simVenue.ts';
import { register as registerStatus } from './status.ts';
import { register as registerVenue } from './venue.ts';
import { register as registerVerify } from './verify.ts';

type Register = (program: Command) => void;
const registrars: Register[] = [registerRun, registerBacktest, registerConfig, registerStatus, registerJournal, registerVerify, registerGreeks, registerIv, registerSimVenue, registerVenue, registerMc, registerMachine];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
