// A start that fails once the journal is open (here: the venue refuses to open) closes what it
// opened before it throws: the journal (its WAL checkpointed and removed), the lock file, the
// signal handlers. A later run on the same database then starts normally.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/cliError.ts';
import { createLogger } from '../../../src/cli/compose/logger.ts';
import { runService } from '../../../src/cli/compose/runService.ts';
import { validateConfig } from '../../../src/cli/config/loadConfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-failed-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runService on a failed start', () => {
  const credentials = join(dir, 'creds.json');
  writeFileSync(credentials, JSON.stringify({ clientId: 'a', clientSecret: 'b' }));
  chmodSync(credentials, 0o644); // refused: group and others may read it
  const book = [{ instrument: 'BTC-31MAR23-24000-C', qty: -1 }];
  it.each([
    ['deribit', { prices: { kind: 'deribit-index' }, venue: { kind: 'deribit', credentials, wsUrl: 'ws://127.0.0.1:9/ws/api/v2' }, vaults: [{ id: 'alpha' }] }],
    ['ccxt', { prices: { kind: 'venue' }, venue: { kind: 'ccxt', exchange: 'hyperliquid', symbol: 'BTC/USDC:USDC', credentials, apiUrl: 'http://127.0.0.1:9' }, vaults: [{ id: 'alpha', book }] }],
  ])('closes the journal, releases the lock and the signal handlers when the %s venue does not open', async (name, over) => {
    const db = join(dir, `failed-${name}.db`);
    const cfg = validateConfig({ db: { path: db }, http: { enabled: false }, ...over }, 'test');
    const log = await createLogger('silent', false);
    const signals = process.listenerCount('SIGTERM');
    const err = await runService(cfg, { create: true, http: false, untilEnd: true, announce: false }, log).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toMatch(/accessible by group or others/);
    expect(existsSync(db)).toBe(true);
    expect(existsSync(`${db}.lock`)).toBe(false);
    expect(existsSync(`${db}-wal`)).toBe(false);
    expect(process.listenerCount('SIGTERM')).toBe(signals);
  });
});
