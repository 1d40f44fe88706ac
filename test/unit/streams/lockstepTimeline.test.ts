import { describe, expect, it } from 'vitest';
import { lockstepTimeline } from '../../../src/streams/lockstepTimeline.ts';
import type { TimelineItem } from '../../../src/streams/lockstepTimeline.ts';
import { readCsvPrices } from '../../../src/streams/csvPriceSource.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';

const ok = (at: number, priceUsd: number): Validated<PriceTickInput> => ({ ok: true, value: { at, priceUsd, source: 's', offset: at } });
const bad: Validated<PriceTickInput> = { ok: false, rejected: { source: 's', reason: 'nan-price', detail: '', payload: '', at: 35, offset: 35 } };
const show = (i: TimelineItem): string => {
  switch (i.kind) {
    case 'tick': return `tick@${i.tick.at}=${i.tick.priceUsd}`;
    case 'rejected': return `rej:${i.rejected.reason}`;
    case 'signal': return `${i.signal.type}@${i.signal.at}`;
    case 'expiry': return `exp@${i.event.at}=${i.event.settlementPriceUsd}`;
  }
};

describe('lockstepTimeline', () => {
  it('orders stale, recovered, ticks, rejections and expiries by event time', () => {
    const recs = [ok(10, 100), ok(20, 101), bad, ok(60, 102), ok(70, 103)];
    const items = [...lockstepTimeline(recs, { maxAgeMs: 15, expiriesMs: [25, 60, 40, 200, 40], untilAt: 300 })].map(show);
    expect(items).toEqual([
      'tick@10=100', 'tick@20=101', 'rej:nan-price',
      'exp@25=101', // between ticks: last price before it
      'feed.stale@35', 'exp@40=101',
      'feed.recovered@60', 'tick@60=102', 'exp@60=102', // expiry exactly at a tick settles at that tick
      'tick@70=103',
      'feed.stale@85', 'exp@200=103', // flushed up to untilAt
    ]);
  });

  it('an expiry before the first price waits for it; a tick exactly at the deadline keeps the feed fresh', () => {
    const items = [...lockstepTimeline([ok(50, 99), ok(65, 98)], { maxAgeMs: 15, expiriesMs: [5] })].map(show);
    expect(items).toEqual(['tick@50=99', 'exp@5=99', 'tick@65=98']);
  });

  it('on the real file: every record once, expiries at 08:00 UTC settled at that minute close, no stale with 2-minute limit', () => {
    const recs = readCsvPrices('data/btcusdt-binanceus-1m-2023-03-01_21.csv');
    const e1 = Date.UTC(2023, 2, 10, 8);
    const e2 = Date.UTC(2023, 2, 17, 8);
    const items = [...lockstepTimeline(recs, { maxAgeMs: 120_000, expiriesMs: [e1, e2] })];
    expect(items.filter((i) => i.kind === 'tick' || i.kind === 'rejected')).toHaveLength(30_240);
    expect(items.filter((i) => i.kind === 'signal')).toEqual([]);
    const exps = items.filter((i) => i.kind === 'expiry');
    const closeAt = (t: number) => { const r = recs.find((v) => v.ok && v.value.at === t); return r?.ok ? r.value.priceUsd : null; };
    expect(exps.map((i) => i.kind === 'expiry' && [i.event.at, i.event.settlementPriceUsd])).toEqual([[e1, closeAt(e1)], [e2, closeAt(e2)]]);
  });
});
