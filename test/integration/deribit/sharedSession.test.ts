// The hedge venue and the options book share one session, as the engine will run them: a
// hedge on BTC-PERPETUAL shows in the book's positions; option fills do not reach the hedge
// venue's fill stream, nor perp fills the book's trades.
import { afterEach, describe, expect, it } from 'vitest';
import { DeribitHedgeVenue } from '../../../src/venues/deribit/deribitHedgeVenue.ts';
import { DeribitOptionsBook } from '../../../src/venues/deribit/deribitOptionsBook.ts';
import { DeribitSession } from '../../../src/venues/deribit/deribitSession.ts';
import type { OptionTrade } from '../../../src/venues/optionsBook.ts';
import type { VenueFill } from '../../../src/venues/hedgeVenue.ts';
import type { DeribitDouble } from '../../fixtures/deribit/server.ts';
import { configFor, seriesOf, startTestDouble, waitFor } from '../../fixtures/deribit/harness.ts';

let double: DeribitDouble;
let session: DeribitSession;

afterEach(async () => {
  await session.close();
  await double.close();
});

describe('one Deribit session for the hedge and the book', () => {
  it('routes perp fills to the hedge venue and option trades to the book; positions show both', async () => {
    double = await startTestDouble();
    session = await DeribitSession.connect(configFor(double));
    const venue = await DeribitHedgeVenue.open(session);
    const book = await DeribitOptionsBook.open(session);
    const fills: VenueFill[] = [];
    const trades: OptionTrade[] = [];
    const s1 = venue.fills().subscribe((f) => fills.push(f));
    const s2 = book.trades().subscribe((t) => trades.push(t));
    const a = seriesOf(book.series().map((x) => x.instrument), 1, 30_000, 'C');
    await book.syncQuotes('alpha', [{ instrument: a, side: 'ask', priceBtc: 0.04, amountContracts: 1 }], 1);
    double.takeByLabel(`alpha-${a}-ask`, 1);
    await venue.placeIoc({ clientOrderId: 'alpha-1', market: 'BTC-PERPETUAL', side: 'buy', sizeBtc: 0.2, limitPriceUsd: 30_300, reduceOnly: false, at: 1 });
    await waitFor('both streams', () => fills.length === 1 && trades.length === 1);
    expect(fills[0]?.clientOrderId).toBe('alpha-1');
    expect(trades[0]).toMatchObject({ instrument: a, vaultId: 'alpha', side: 'sell' });
    const p = await book.positions();
    expect(p.options).toMatchObject([{ instrument: a, sizeContracts: -1 }]);
    expect(p.perp).toMatchObject({ sizeUsd: 6_000, sizeBtcAtMark: 0.2 });
    s1.unsubscribe();
    s2.unsubscribe();
    await venue.close();
    await book.close();
  });
});
