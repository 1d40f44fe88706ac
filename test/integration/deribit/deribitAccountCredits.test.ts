// The run config's requote budget (venue.credits) reaches the Deribit session the account opens
// (its local credit bucket), and without it the session keeps Deribit's base tier.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/cli/config/loadConfig.ts';
import { openDeribitAccount, type DeribitVenueConfig } from '../../../src/cli/compose/deribitAccount.ts';
import { startTestDouble } from '../../fixtures/deribit/harness.ts';
import { writeDeribitRunConfig } from '../../fixtures/deribit/deribitRunConfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-deribit-credits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deribit venue credits', () => {
  it('venue.credits sets the session\'s credit bucket; the default is the base tier', async () => {
    const d = await startTestDouble();
    try {
      for (const [name, credits, expected] of [
        ['small', { capacity: 2_000, refillPerSec: 400, orderCost: 500 }, { capacity: 2_000, refillPerSec: 400, orderCost: 500 }],
        ['default', undefined, { capacity: 50_000, refillPerSec: 10_000, orderCost: 500 }],
      ] as const) {
        const { config } = writeDeribitRunConfig(dir, d, { name, ...(credits ? { venue: { credits } } : {}) });
        const account = await openDeribitAccount(loadConfigFile(config).venue as DeribitVenueConfig, { live: null });
        try {
          expect(account.session.cfg.credits).toEqual(expected);
        } finally {
          await account.release();
        }
      }
    } finally {
      await d.close();
    }
  });
});
