// `omm-hedger machine`: prints the vault machine for inspection, as a Mermaid
// stateDiagram-v2 (default; from xstate/graph's directed graph) or as the machine config
// JSON that the Stately visualizer/editor imports (wrap it in createMachine(...)).
import type { Command } from 'commander';
import { CliError } from '../cliError.ts';
import { machineConfigJson, toMermaid } from '../../../machines/vault.graph.ts';

export const MACHINE_FORMATS = ['mermaid', 'json'] as const;
export type MachineFormat = (typeof MACHINE_FORMATS)[number];

/** The text `omm-hedger machine --format <format>` prints. */
export function renderMachine(format: unknown): string {
  const f = format === undefined ? 'mermaid' : format;
  if (f === 'mermaid') return toMermaid();
  if (f === 'json') return `${machineConfigJson()}\n`;
  throw new CliError(`--format must be one of ${MACHINE_FORMATS.join(', ')}, got ${JSON.stringify(f)}`);
}

export function register(program: Command): void {
  program
    .command('machine')
    .description('print the vault state machine: a Mermaid stateDiagram-v2, or its config JSON for the Stately editor')
    .option('--format <format>', 'mermaid or json', 'mermaid')
    .action((opts: { format?: unknown }) => {
      process.stdout.write(renderMachine(opts.format));
    });
}
