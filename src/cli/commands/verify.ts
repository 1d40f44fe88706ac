// `omm-hedger verify --db FILE`: rebuild every vault from the journal alone and compare it with
// its snapshot. Exit 0 if all equal; 1 with the first difference otherwise.
import type { Command } from 'commander';
import { verifyJournal } from '../../engine/verifyJournal.ts';
import { openJournal } from '../compose/openStore.ts';
import { CliError } from '../cliError.ts';

export function register(program: Command): void {
  program
    .command('verify')
    .description('rebuild every vault from its journal and compare with its snapshot')
    .requiredOption('--db <file>', 'SQLite journal')
    .option('--json', 'machine-readable result')
    .action(async (o: { db: string; json?: boolean }) => {
      const store = await openJournal(o.db, { create: false });
      let result;
      try {
        result = await verifyJournal(store);
      } finally {
        await store.close();
      }
      if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else for (const v of result.vaults) process.stdout.write(`${v.vaultId}: ${v.events} events (machine version ${v.machineVersions.join(', ')}), ${v.ok ? 'snapshot matches the journal' : `DIFFERS: ${v.difference}`}\n`);
      if (result.vaults.length === 0) throw new CliError(`no vaults in ${o.db}`, 1);
      const bad = result.vaults.find((v) => !v.ok);
      if (bad) throw new CliError(`verify failed: vault ${bad.vaultId}: ${bad.difference}`, 1);
    });
}
