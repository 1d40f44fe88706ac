import { describe, expect, it } from 'vitest';
import { Subject, VirtualTimeScheduler, from, lastValueFrom, toArray } from 'rxjs';
import { conflateLatest, fanOut, fanOutPrices, routeFills, routeFillsByVault } from '../../../src/streams/routing.ts';
import type { Routed } from '../../../src/streams/routing.ts';
import type { FillInput, PriceTickInput } from '../../../src/streams/inputTypes.ts';

const tick = (i: number): PriceTickInput => ({ at: i * 1000, priceUsd: 100 + i, source: 't', offset: i });
const fill = (id: string, vaultId: string): FillInput => ({ fillId: id, vaultId, instrument: 'X', side: 'buy', qty: 1, priceUsd: 1, at: 0, source: 't', offset: null });

describe('fan-out (lockstep: lossless)', () => {
  it('delivers every tick to every vault on the underlying, in order', async () => {
    const ticks = Array.from({ length: 50 }, (_, i) => tick(i));
    const vaults = new Map([['BTC', ['a', 'b', 'c']], ['ETH', ['e']]]);
    const out = await lastValueFrom(fanOutPrices(from(ticks), 'BTC', vaults).pipe(toArray()));
    expect(out).toHaveLength(150);
    for (const v of ['a', 'b', 'c']) expect(out.filter((r) => r.vaultId === v).map((r) => r.value)).toEqual(ticks);
    expect(await lastValueFrom(fanOutPrices(from(ticks), 'SOL', vaults).pipe(toArray()))).toEqual([]);
    expect((await lastValueFrom(fanOut(from([1]), ['x', 'y']).pipe(toArray()))).map((r) => r.vaultId)).toEqual(['x', 'y']);
  });
});

describe('fill routing', () => {
  it('routes by vault id; unknown ids go to unrouted; nothing lost or duplicated', () => {
    const src = new Subject<FillInput>();
    const r = routeFills(src, ['a', 'b']);
    const got: Record<string, string[]> = { a: [], b: [], un: [] };
    r.forVault('a').subscribe((f) => got.a!.push(f.fillId));
    r.forVault('b').subscribe((f) => got.b!.push(f.fillId));
    r.unrouted.subscribe((f) => got.un!.push(f.fillId));
    [fill('1', 'a'), fill('2', 'b'), fill('3', 'zz'), fill('4', 'a')].forEach((f) => src.next(f));
    expect(got).toEqual({ a: ['1', '4'], b: ['2'], un: ['3'] });
  });
  it('routeFillsByVault tags each fill', async () => {
    const out = await lastValueFrom(routeFillsByVault(from([fill('1', 'a')])).pipe(toArray()));
    expect(out).toEqual([{ vaultId: 'a', value: fill('1', 'a') }]);
  });
});

describe('conflateLatest (live mode)', () => {
  it('keeps only the latest value per vault within a burst and counts the dropped ones', () => {
    const sched = new VirtualTimeScheduler();
    const src = new Subject<Routed<PriceTickInput>>();
    const out: Routed<PriceTickInput>[] = [];
    const stats = { dropped: 0 };
    let done = false;
    src.pipe(conflateLatest((r) => r.vaultId, sched, stats)).subscribe({ next: (r) => out.push(r), complete: () => { done = true; } });
    for (let i = 0; i < 100; i++) for (const v of ['a', 'b']) src.next({ vaultId: v, value: tick(i) });
    expect(out).toEqual([]); // nothing until the consumer's turn
    sched.flush();
    expect(out.map((r) => [r.vaultId, r.value.offset])).toEqual([['a', 99], ['b', 99]]);
    expect(stats.dropped).toBe(198);
    src.next({ vaultId: 'a', value: tick(100) });
    src.complete();
    sched.flush();
    expect(out.map((r) => r.value.offset)).toEqual([99, 99, 100]);
    expect(done).toBe(true);
  });
});
