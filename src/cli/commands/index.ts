// Every subcommand of `omm-hedger`, in help order.
import type { Command } from 'commander';

type Register = (program: Command) => void;
const registrars: Register[] = [];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
