// The files a config names, checked before anything runs: a missing price file or key file
// is an error that names the config path; a fill file that does not exist yet is only a
// warning (run follows it and waits for it to appear).
import { existsSync, statSync } from 'node:fs';
import type { RunConfig } from './configSchema.ts';

export interface ConfigFileProblems {
  errors: string[];
  warnings: string[];
}

function problem(configPath: string, file: string): string | null {
  if (!existsSync(file)) return `${configPath}: ${file} does not exist`;
  if (!statSync(file).isFile()) return `${configPath}: ${file} is not a file`;
  return null;
}

export function checkConfigFiles(cfg: RunConfig): ConfigFileProblems {
  const errors: string[] = [];
  const warnings: string[] = [];
  const need = (configPath: string, file: string): void => {
    const p = problem(configPath, file);
    if (p !== null) errors.push(p);
  };
  if (cfg.prices.kind === 'csv') need('prices.path', cfg.prices.path);
  if (cfg.venue.kind === 'mango') need('venue.keypairPath', cfg.venue.keypairPath);
  if (cfg.venue.kind === 'deribit') need('venue.credentials', cfg.venue.credentials);
  if (cfg.fillsFile !== undefined) {
    const p = problem('fillsFile', cfg.fillsFile);
    if (p !== null) warnings.push(existsSync(cfg.fillsFile) ? p : `${p} yet (run waits for it)`);
  }
  return { errors, warnings };
}
