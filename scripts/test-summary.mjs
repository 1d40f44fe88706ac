#!/usr/bin/env node
// Prints "N passed, N failed" from vitest's JSON report; exits 1 if any test failed, none ran,
// or the report is missing (a run that executed no test must not pass unnoticed).
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-artifacts/vitest.json';
if (!existsSync(file)) {
  console.log('0 passed, 0 failed');
  console.error(`test-summary: no vitest report at ${file} (typecheck, lint or depcheck failed before the tests ran?)`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const passed = r.numPassedTests ?? 0;
const failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
