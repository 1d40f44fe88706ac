#!/usr/bin/env node
// Entry point of the `omm-hedger` command: the compiled CLI in dist/ (built by `npm run build`,
// which `npm install` and `npm ci` run through `prepare`). Development runs the TypeScript
// sources instead: node --import tsx src/cli/main.ts ...
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('omm-hedger: the compiled CLI (dist/) is missing: run `npm run build` (npm install runs it)\n');
  process.exit(1);
}
await import(main.href);
