// prices.kind deribit-index: the account session's index (deribit_price_index.btc_usd) as a live
// feed, through livePrices like every live feed: validated at the source (a print older than
// the last is rejected with its reason) and conflated to the latest within prices.conflateMs.
import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { livePriceSource } from '../../../src/cli/compose/livePrices.ts';
import { pricesSchema } from '../../../src/cli/config/configSchema.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';
import { DeribitOptionsBook } from '../../../src/venues/deribit/deribitOptionsBook.ts';
import { DeribitSession } from '../../../src/venues/deribit/deribitSession.ts';
import { configFor, startTestDouble, waitFor } from '../../fixtures/deribit/harness.ts';
import type { DeribitDouble } from '../../fixtures/deribit/server.ts';

let double: DeribitDouble;
let session: DeribitSession;
let book: DeribitOptionsBook;
let sub: Subscription | null = null;
afterEach(async () => {
  sub?.unsubscribe();
  await book.close();
  await session.close();
  await double.close();
});

async function feed(conflateMs: number): Promise<Validated<PriceTickInput>[]> {
  double = await startTestDouble({ indexUsd: 30_000 });
  session = await DeribitSession.connect(configFor(double));
  book = await DeribitOptionsBook.open(session);
  const prices = pricesSchema.parse({ kind: 'deribit-index', conflateMs });
  if (prices.kind !== 'deribit-index') throw new Error('deribit-index expected');
  const live = await livePriceSource(prices, () => undefined, { optionsBook: book });
  expect(live.source).toBe('prices:deribit-index');
  const got: Validated<PriceTickInput>[] = [];
  sub = live.ticks.subscribe((v) => got.push(v));
  return got;
}

/** One index print as the double publishes it, at its own venue timestamp (ms). */
let t0 = Date.now();
const print = (priceUsd: number, timestamp = ++t0): void => { double.publish('deribit_price_index.btc_usd', { index_name: 'btc_usd', price: priceUsd, timestamp }); };
const prices = (got: Validated<PriceTickInput>[]): number[] => got.flatMap((v) => (v.ok ? [v.value.priceUsd] : []));

describe('the deribit-index feed', () => {
  it('is conflated to the latest within conflateMs', async () => {
    const got = await feed(2_000);
    for (const p of [30_010, 30_020, 30_030, 30_040]) print(p);
    await waitFor('the latest index', () => prices(got).includes(30_040), 5_000);
    expect(prices(got)).toEqual([30_010, 30_040]);
  });

  it('passes every index print with conflateMs 0 and rejects a bad one with its reason', async () => {
    const got = await feed(0);
    print(30_010);
    print(30_015, t0 - 5); // older than the last accepted print
    print(30_020);
    await waitFor('three prints', () => got.length === 3);
    expect(prices(got)).toEqual([30_010, 30_020]);
    const bad = got[1];
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok) expect(bad.rejected).toMatchObject({ source: 'prices:deribit-index', reason: 'out-of-order' });
  });
});
