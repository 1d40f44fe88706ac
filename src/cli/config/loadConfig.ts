// Reads a YAML or JSON config and validates it. Errors name the path, the bad value and what
// was expected, one per line, so an operator fixes the file without reading code.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { CliError } from '../cliError.ts';
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

export function parseConfigText(text: string, file: string): unknown {
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new CliError(`cannot parse config ${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

export function loadConfigFile(file: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read config ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return validateConfig(parseConfigText(text, file), file);
}
