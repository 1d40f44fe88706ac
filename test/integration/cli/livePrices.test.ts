// The live path conflates: a Hermes feed that ticks faster than prices.conflateMs reaches the
// engine as the first tick and then the latest, never the ones in between.
import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { livePriceSource } from '../../../src/cli/compose/livePrices.ts';
import { pricesSchema } from '../../../src/cli/config/configSchema.ts';
import { BTC_USD_FEED_ID } from '../../../src/streams/hermesParse.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';
import { hermesBody, startFakeHermes, type FakeHermes } from '../../fixtures/streams/fakeHermes.ts';

const T = 1_700_000_000;
let fake: FakeHermes | null = null;
let sub: Subscription | null = null;
afterEach(async () => {
  sub?.unsubscribe();
  await fake?.close();
});

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timeout waiting for condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function feed(conflateMs: number | undefined): Promise<{ got: number[]; push: (n: number) => void }> {
  fake = await startFakeHermes();
  const prices = pricesSchema.parse({ kind: 'hermes', endpoint: fake.url, ...(conflateMs === undefined ? {} : { conflateMs }) });
  if (prices.kind !== 'hermes') throw new Error('hermes config expected');
  const live = await livePriceSource(prices, () => undefined);
  const got: number[] = [];
  sub = live.ticks.subscribe((v: Validated<PriceTickInput>) => { if (v.ok) got.push(v.value.priceUsd); });
  await until(() => fake?.streams() === 1);
  const h = fake;
  return { got, push: (n) => { for (let i = 1; i <= n; i++) h.push(JSON.stringify(hermesBody(BTC_USD_FEED_ID, { price: 37_000 + i, conf: 5, expo: -8, publishTime: T + i }))); } };
}

describe('live prices', () => {
  it('are conflated to the latest within prices.conflateMs', async () => {
    const { got, push } = await feed(2_000);
    push(5);
    await until(() => got.includes(37_005));
    expect(got).toEqual([37_001, 37_005]);
  });

  it('conflateMs 0 passes every tick; the default is 100 ms', async () => {
    expect(pricesSchema.parse({ kind: 'hermes', endpoint: 'http://127.0.0.1:1' })).toMatchObject({ conflateMs: 100 });
    const { got, push } = await feed(0);
    push(5);
    await until(() => got.includes(37_005));
    expect(got).toEqual([37_001, 37_002, 37_003, 37_004, 37_005]);
  });
});
