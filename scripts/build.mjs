#!/usr/bin/env node
// Builds the shipped CLI: dist/ emptied, src + machines + storage compiled by tsc
// (tsconfig.build.json), the dashboard's static files copied beside the server code.
// Run by `npm run build` and by `prepare` (so npm install / npm ci build it).
//   node scripts/build.mjs [--out DIR] [--no-check]   (--no-check: emit without type-checking;
//   the tests use it on a fresh directory, `npm test` type-checks separately)
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const at = args.indexOf('--out');
const out = resolve(root, at >= 0 ? args[at + 1] : 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(out, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out, ...(args.includes('--no-check') ? ['--noCheck'] : [])], { stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write(`build: tsc failed (exit ${r.status ?? r.signal})\n`);
  process.exit(1);
}
cpSync(join(root, 'src/server/public'), join(out, 'src/server/public'), { recursive: true });
