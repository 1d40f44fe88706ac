// `npm run bench`: runs every benchmark in its own process (one at a time, so they do not
// compete for the 2 cores) and prints one JSON object: { benchmark: result }.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const runner = fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
const results: Record<string, unknown> = {};
for (const f of files) {
  const name = f.replace(/\.bench\.ts$/, '');
  process.stderr.write(`bench: ${name}...\n`);
  try {
    const out = execFileSync(process.execPath, [runner, `${dir}${f}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    results[name] = lastJsonObject(out);
  } catch (err) {
    results[name] = { error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);

/** The benchmark's result: its whole output if that is one JSON value (pretty-printed or not), else its last one-line object. */
function lastJsonObject(out: string): unknown {
  try {
    return JSON.parse(out) as unknown;
  } catch {
    const last = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
    if (last === undefined) throw new Error('no JSON in the output');
    return JSON.parse(last) as unknown;
  }
}
