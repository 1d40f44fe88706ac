import { defineConfig } from 'vitest/config';

// mango-client logs every transaction it confirms ("Started awaiting confirmation for <sig>",
// "Latency <s> <sig>", "Timed out for txid: <sig>") with console.log: noise in test output.
const MANGO_CLIENT_CHATTER = /^(Started awaiting confirmation for |Latency |Timed out for txid)/;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    onConsoleLog: (log) => (MANGO_CLIENT_CHATTER.test(log) ? false : undefined),
  },
});
