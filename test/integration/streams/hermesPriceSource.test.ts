import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { backoffMs, hermesPriceSource } from '../../../src/streams/hermesPriceSource.ts';
import type { HermesSourceStatus } from '../../../src/streams/hermesPriceSource.ts';
import { BTC_USD_FEED_ID, parseHermesUpdate } from '../../../src/streams/hermesParse.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';
import { hermesBody, startFakeHermes } from '../../fixtures/streams/fakeHermes.ts';
import type { FakeHermes } from '../../fixtures/streams/fakeHermes.ts';

const T = 1_700_000_000;
const body = (price: number, t: number, conf = 5, id = BTC_USD_FEED_ID): string => JSON.stringify(hermesBody(id, { price, conf, expo: -8, publishTime: t }));

async function until(cond: () => boolean, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timeout waiting for condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('parseHermesUpdate', () => {
  it('scales price and conf by 10^expo and takes publish_time in ms, for the wanted feed only', () => {
    const b = hermesBody(BTC_USD_FEED_ID, { price: 37123.45678, conf: 12.5, expo: -8, publishTime: T });
    const other = hermesBody('0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace', { price: 2000, conf: 1, expo: -8, publishTime: T });
    (b.parsed as unknown[]).push(...(other.parsed as unknown[]));
    const r = parseHermesUpdate(JSON.stringify(b), BTC_USD_FEED_ID);
    expect(Array.isArray(r) && r).toEqual([{ id: BTC_USD_FEED_ID.slice(2), priceUsd: 37123.45678, confUsd: 12.5, publishTimeMs: T * 1000 }]);
    expect(parseHermesUpdate('{nope', BTC_USD_FEED_ID)).toHaveProperty('error');
    expect(parseHermesUpdate({ parsed: [{ id: 'x', price: { price: 'abc', conf: '1', expo: -8, publish_time: 1 } }] }, 'x')).toHaveProperty('error');
  });
  it('backoff is capped exponential', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, 100, 1000))).toEqual([100, 200, 400, 800, 1000]);
  });
});

describe('hermesPriceSource against a loopback Hermes', () => {
  let fake: FakeHermes;
  let sub: Subscription | null = null;
  beforeEach(async () => { fake = await startFakeHermes(); });
  afterEach(async () => {
    sub?.unsubscribe();
    sub = null;
    await fake.close();
  });

  it('emits the latest price, then streamed updates; skips repeats; rejects bad ones with reasons', async () => {
    fake.latest = hermesBody(BTC_USD_FEED_ID, { price: 37000, conf: 10, expo: -8, publishTime: T });
    const got: Validated<PriceTickInput>[] = [];
    sub = hermesPriceSource({ endpoint: fake.url }).subscribe((v) => got.push(v));
    await until(() => fake.streams() === 1 && got.length === 1);
    expect(got[0]).toEqual({ ok: true, value: { at: T * 1000, priceUsd: 37000, confUsd: 10, source: 'hermes:0xe62df6c8', offset: T } });
    fake.push(body(37000, T)); // same publish time again: skipped
    fake.push(body(37010, T + 1));
    fake.push(body(37020, T + 2, 37020 * 2)); // crossed confidence
    fake.push('not json');
    fake.push('{"parsed":[{"id":"x"}]}');
    fake.push(body(370_000, T + 3)); // 10x print
    fake.push(body(37030, T + 4));
    await until(() => got.length === 7);
    expect(got.map((v) => (v.ok ? v.value.priceUsd : v.rejected.reason))).toEqual([37000, 37010, 'bad-confidence', 'malformed-json', 'malformed-update', 'jump', 37030]);
    expect(fake.requests.some((r) => r.includes('/v2/updates/price/stream?ids[]=0xe62df6c8') && r.includes('parsed=true'))).toBe(true);
  });

  it('streams even when the latest-price request fails (no price published yet)', async () => {
    fake.latest = null; // the fake answers 404 "no price"
    const got: Validated<PriceTickInput>[] = [];
    const statuses: HermesSourceStatus[] = [];
    sub = hermesPriceSource({ endpoint: fake.url, onStatus: (s) => statuses.push(s) }).subscribe((v) => got.push(v));
    await until(() => fake.streams() === 1);
    fake.push(body(37010, T + 1));
    await until(() => got.length === 1);
    expect(got[0]?.ok && got[0].value.priceUsd).toBe(37010);
    expect(statuses.filter((s) => s.type === 'disconnected')).toEqual([]);
  });

  it('reconnects with backoff after the stream drops and while the server refuses', async () => {
    const status: HermesSourceStatus[] = [];
    const got: Validated<PriceTickInput>[] = [];
    sub = hermesPriceSource({ endpoint: fake.url, fetchLatest: false, initialBackoffMs: 20, maxBackoffMs: 80, onStatus: (s) => status.push(s) })
      .subscribe((v) => got.push(v));
    await until(() => fake.streams() === 1);
    fake.push(body(37000, T));
    await until(() => got.length === 1);
    fake.refuseStreams = true;
    fake.dropStreams();
    await until(() => status.filter((s) => s.type === 'disconnected').length >= 4);
    const waits = status.filter((s) => s.type === 'disconnected').map((s) => s.retryInMs);
    expect(waits.slice(0, 4)).toEqual([20, 40, 80, 80]);
    fake.refuseStreams = false;
    await until(() => fake.streams() === 1);
    fake.push(body(37005, T + 1));
    await until(() => got.length === 2);
    expect(got[1]?.ok && got[1].value.priceUsd).toBe(37005);
  });

  it('reconnects when the stream goes idle', async () => {
    const status: HermesSourceStatus[] = [];
    sub = hermesPriceSource({ endpoint: fake.url, fetchLatest: false, idleTimeoutMs: 100, initialBackoffMs: 10, onStatus: (s) => status.push(s) }).subscribe();
    await until(() => status.some((s) => s.type === 'disconnected' && /no message/.test(s.reason ?? '')));
    await until(() => status.filter((s) => s.type === 'connecting').length >= 2);
  });
});
