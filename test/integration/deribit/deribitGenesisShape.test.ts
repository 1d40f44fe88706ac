// A vault whose genesis row has no venueImport (made on another venue, or by a release before
// the Deribit import) is refused on venue.kind deribit with a message naming why, never run
// with a guessed perp size; one imported from the account reads its import back.
import { describe, expect, it } from 'vitest';
import { importedInput, venueImportOf } from '../../../src/cli/compose/deribitBook.ts';
import { silentLogger } from '../../../src/engine/engineTypes.ts';
import { openEngine } from '../../../src/engine/openEngine.ts';
import { memoryStore } from '../../fixtures/engineHarness.ts';
import { instantVenue } from '../../fixtures/instantVenue.ts';
import { straddleVault } from '../../fixtures/vaults.ts';

describe('a Deribit vault\'s genesis', () => {
  it('without venueImport is refused on deribit; with it, the import is read back', async () => {
    const store = await memoryStore();
    try {
      const plain = straddleVault({}, 'plain');
      const imported = importedInput({ ...straddleVault({}, 'imp'), book: [] }, {
        at: 1_700_000_000_000, indexPriceUsd: 30_000, equityBtc: 10, balanceBtc: 10, options: [],
        perp: { instrument: 'BTC-PERPETUAL', sizeUsd: -2_000, sizeBtcAtMark: -0.0667, averagePriceUsd: 30_000, markPriceUsd: 30_000 },
      });
      const { engine } = await openEngine({ store, venue: instantVenue(), market: 'BTC-PERP', log: silentLogger, mode: 'lockstep', clock: { now: () => 1 } }, [plain, imported]);
      await engine.commit();
      await expect(venueImportOf(store, 'plain')).rejects.toThrow(/was not created from a deribit account \(its genesis has no venueImport\)/);
      expect((await venueImportOf(store, 'imp')).perpUsd).toBe(-2_000);
      await engine.stop();
    } finally {
      await store.close();
    }
  });
});
