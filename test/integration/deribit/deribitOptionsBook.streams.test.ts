// DeribitOptionsBook streams and reads against the loopback double: option trades (each once,
// missed ones backfilled after an outage, with the vault and side the label names), tradesSince,
// marks with IV, the index, and positions with equity.
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { DeribitOptionsBook } from '../../../src/venues/deribit/deribitOptionsBook.ts';
import { DeribitSession } from '../../../src/venues/deribit/deribitSession.ts';
import type { OptionTrade } from '../../../src/venues/optionsBook.ts';
import type { DeribitDouble } from '../../fixtures/deribit/server.ts';
import { configFor, seriesOf, startTestDouble, waitFor } from '../../fixtures/deribit/harness.ts';

let double: DeribitDouble;
let session: DeribitSession;
let book: DeribitOptionsBook;
let A = '';

async function start(cancelOnDisconnect = true): Promise<void> {
  double = await startTestDouble();
  session = await DeribitSession.connect(configFor(double, { cancelOnDisconnect }));
  book = await DeribitOptionsBook.open(session);
  A = seriesOf(book.series().map((s) => s.instrument), 1, 30_000, 'C');
}

afterEach(async () => {
  await book.close();
  await session.close();
  await double.close();
});

describe('DeribitOptionsBook streams and reads', () => {
  it('streams option trades, backfills those made during an outage once, and reads them since a time', async () => {
    await start(false); // quotes must survive the outage for takers to hit them
    const t0 = Date.now();
    const trades: OptionTrade[] = [];
    const sub = book.trades().subscribe((t) => trades.push(t));
    await book.syncQuotes('alpha', [{ instrument: A, side: 'bid', priceBtc: 0.03, amountContracts: 1 }, { instrument: A, side: 'ask', priceBtc: 0.037, amountContracts: 1 }], 1);
    const t1 = double.takeByLabel(`alpha-${A}-bid`, 0.5);
    await waitFor('the streamed trade', () => trades.length === 1);
    double.startOutage();
    await waitFor('the outage', () => !session.ready);
    const t2 = double.takeByLabel(`alpha-${A}-ask`, 0.3);
    double.endOutage();
    await waitFor('the backfilled trade', () => trades.length === 2);
    expect(trades.map((t) => t.tradeId)).toEqual([t1.trade_id, t2.trade_id]);
    expect(trades[1]).toMatchObject({
      instrument: A, side: 'sell', amountContracts: 0.3, priceBtc: 0.037, indexPriceUsd: 30_000, priceUsd: 0.037 * 30_000,
      vaultId: 'alpha', quoteSide: 'ask', label: `alpha-${A}-ask`, liquidity: 'maker',
    });
    expect(book.counters()).toMatchObject({ tradesStreamed: 1, tradesBackfilled: 1 });
    expect(book.counters().duplicateTrades).toBeGreaterThanOrEqual(1); // the backfill re-read the first trade and dropped it
    expect((await book.tradesSince(t0)).map((t) => [t.tradeId, t.side, t.amountContracts])).toEqual([[t1.trade_id, 'buy', 0.5], [t2.trade_id, 'sell', 0.3]]);
    expect(await book.tradesSince(t2.timestamp + 1)).toEqual([]);
    sub.unsubscribe();
  });

  it('streams marks with IV per series and the index', async () => {
    await start();
    const marks = firstValueFrom(book.marks());
    const index = firstValueFrom(book.index());
    double.setIndex(31_000);
    const m = await marks;
    expect(m.marks.length).toBe(book.series().length);
    const a = m.marks.find((x) => x.instrument === A)!;
    expect(a.markIv).toBeGreaterThan(0.3);
    expect(a.markIv).toBeLessThan(1);
    expect(a.markPriceBtc).toBeGreaterThan(0);
    expect(await index).toMatchObject({ priceUsd: 31_000, indexName: 'btc_usd' });
  });

  it('reads option and perp positions with equity in BTC', async () => {
    await start();
    await book.syncQuotes('alpha', [{ instrument: A, side: 'ask', priceBtc: 0.037, amountContracts: 2 }], 1);
    double.takeByLabel(`alpha-${A}-ask`, 2);
    double.placeForAccount('buy', { instrument_name: 'BTC-PERPETUAL', amount: 600, price: 31_000, time_in_force: 'immediate_or_cancel' });
    const p = await book.positions();
    expect(p.options).toEqual([{ instrument: A, sizeContracts: -2, averagePriceBtc: 0.037, markPriceBtc: expect.any(Number) }]);
    expect(p.perp).toMatchObject({ instrument: 'BTC-PERPETUAL', sizeUsd: 600, sizeBtcAtMark: 0.02, markPriceUsd: 30_000 });
    expect(p.perp?.averagePriceUsd).toBeCloseTo(30_000.5, 6);
    expect(p.indexPriceUsd).toBe(30_000);
    // Balance: 10 BTC + 2 * 0.037 premium - option fees 2 * 0.0003 - perp fee 0.0005 * 600 / 30,000.5.
    expect(p.balanceBtc).toBeCloseTo(10 + 0.074 - 0.0006 - (0.0005 * 600) / 30_000.5, 10);
    const optionMark = p.options[0]!.markPriceBtc;
    const perpPnl = 600 * (1 / 30_000.5 - 1 / 30_000);
    // The mark moves with time between the two reads (positions, then account summary): 1e-6 BTC.
    expect(p.equityBtc).toBeCloseTo(p.balanceBtc - 2 * optionMark + perpPnl, 6);
  });
});
