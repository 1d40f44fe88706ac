// A frame of the index or mark channels that does not parse (here an index of 0, a mark IV of
// -1) is skipped and counted; the stream goes on with the next good frame instead of ending
// (an ended index stream would stop the run's price feed; an ended marks stream, its vols).
import { afterEach, describe, expect, it } from 'vitest';
import { DeribitOptionsBook } from '../../../src/venues/deribit/deribitOptionsBook.ts';
import { DeribitSession } from '../../../src/venues/deribit/deribitSession.ts';
import type { IndexPrice, MarksUpdate } from '../../../src/venues/optionsBook.ts';
import type { DeribitDouble } from '../../fixtures/deribit/server.ts';
import { configFor, startTestDouble, waitFor } from '../../fixtures/deribit/harness.ts';

let double: DeribitDouble;
let session: DeribitSession;
let book: DeribitOptionsBook;

afterEach(async () => {
  await book.close();
  await session.close();
  await double.close();
});

describe('malformed market-data frames', () => {
  it('the index and marks streams skip a frame that does not parse, count it, and carry on', async () => {
    double = await startTestDouble();
    session = await DeribitSession.connect(configFor(double));
    book = await DeribitOptionsBook.open(session);
    const prices: number[] = [];
    const marks: MarksUpdate[] = [];
    let ended = 0;
    const subs = [
      book.index().subscribe({ next: (p: IndexPrice) => prices.push(p.priceUsd), error: () => { ended += 1; }, complete: () => { ended += 1; } }),
      book.marks().subscribe({ next: (m) => marks.push(m), error: () => { ended += 1; }, complete: () => { ended += 1; } }),
    ];
    double.setIndex(30_100);
    await waitFor('the first index', () => prices.length === 1 && marks.length === 1);
    double.publish('deribit_price_index.btc_usd', { index_name: 'btc_usd', price: 0, timestamp: Date.now() }); // fails the schema: price > 0
    double.publish('markprice.options.btc_usd', [{ instrument_name: 'X', mark_price: 0.01, iv: -1, timestamp: Date.now() }]);
    double.setIndex(30_200);
    await waitFor('the index after the bad frames', () => prices.includes(30_200));
    expect(prices).toEqual([30_100, 30_200]);
    expect(ended).toBe(0);
    expect(book.counters().malformedFrames).toBeGreaterThanOrEqual(2);
    for (const s of subs) s.unsubscribe();
  });
});
