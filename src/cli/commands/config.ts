// `omm-hedger config check FILE` and `omm-hedger config init [FILE]`.
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../cliError.ts';
import { EXAMPLE_CONFIG_YAML } from '../config/exampleConfig.ts';
import { loadConfigFile, requireConfigFiles } from '../config/loadConfig.ts';
import { toVaultInputs } from '../config/toVaultInputs.ts';

export function register(program: Command): void {
  const config = program.command('config').description('check or create a configuration file');
  config
    .command('check <file>')
    .description('validate a YAML or JSON config without running it, and check that the files it names exist')
    .action((file: string) => {
      const cfg = loadConfigFile(file);
      requireConfigFiles(cfg, `config ${file}`);
      const vaults = toVaultInputs(cfg);
      process.stdout.write(`${file}: ok (${vaults.length} vault${vaults.length === 1 ? '' : 's'}: ${vaults.map((v) => `${v.vaultId} with ${v.book.length} series`).join(', ')})\n`);
    });
  config
    .command('init [file]')
    .description('write a commented example config (to stdout, or to FILE)')
    .option('--force', 'overwrite an existing file')
    .action((file: string | undefined, o: { force?: boolean }) => {
      if (!file) { process.stdout.write(EXAMPLE_CONFIG_YAML); return; }
      if (existsSync(file) && !o.force) throw new CliError(`${file} exists (pass --force to overwrite)`);
      writeFileSync(file, EXAMPLE_CONFIG_YAML);
      process.stdout.write(`wrote ${file}\n`);
    });
}
