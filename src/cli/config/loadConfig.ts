// Reads a YAML or JSON config and validates it. Errors name the path, the bad value and what
// was expected, one per line, so an operator fixes the file without reading code.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { z } from 'zod';
import { CliError } from '../cliError.ts';
import { checkConfigFiles } from './configFiles.ts';
import { configSchema, type RunConfig } from './configSchema.ts';

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function formatConfigIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const got = 'input' in i ? `got ${show(i.input)}` : '';
    // zod says "Too small: expected number to be >0"; keep the "expected ..." part.
    const expected = i.message.replace(/^(Invalid input|Too small|Too big|Invalid option|Invalid string): /, '');
    return `${pathOf(i.path)}: ${got ? `${got}; ` : ''}${expected}`;
  });
}

/** Validates a parsed config object; throws CliError listing every problem. */
export function validateConfig(raw: unknown, origin: string): RunConfig {
  const r = configSchema.safeParse(raw, { reportInput: true });
  if (r.success) return r.data;
  const lines = formatConfigIssues(r.error.issues);
  throw new CliError(`invalid config ${origin}:\n  ${lines.join('\n  ')}`);
}

// The yaml parser is loaded only for a YAML file (the demo and JSON configs start without it).
const require = createRequire(import.meta.url);

/** Parses YAML or JSON; a syntax error names the line and column and shows the lines around it (the yaml parser's excerpt). */
export function parseConfigText(text: string, file: string): unknown {
  try {
    return file.endsWith('.json') ? JSON.parse(text) : (require('yaml') as typeof Yaml).parse(text);
  } catch (err) {
    throw new CliError(`cannot parse config ${file}: ${err instanceof Error ? err.message.trimEnd() : String(err)}`);
  }
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'cannot be read (permission denied)',
  EISDIR: 'is a directory, not a file',
};

export function loadConfigFile(file: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new CliError(`config ${file} ${READ_ERRORS[code] ?? `cannot be read: ${err instanceof Error ? err.message : String(err)}`}`);
  }
  return validateConfig(parseConfigText(text, file), file);
}

/**
 * Refuses a config whose files are missing (a CliError naming each by its config path);
 * prints the warnings. `origin` says where the config came from ("config my.yaml").
 */
export function requireConfigFiles(cfg: RunConfig, origin: string): void {
  const { errors, warnings } = checkConfigFiles(cfg);
  for (const w of warnings) process.stderr.write(`omm-hedger: warning: ${w}\n`);
  if (errors.length === 1) throw new CliError(`${errors[0]} (${origin})`);
  if (errors.length > 1) throw new CliError(`${origin} names files that are missing:\n  ${errors.join('\n  ')}`);
}
