// The sim venue's store port, run against both implementations: in-memory and SQLite.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSimVenueStore } from '../../storage/simVenueStore.ts';
import { InMemorySimVenueStore } from '../../src/venues/sim/inMemorySimVenueStore.ts';
import type { SimVenueStore } from '../../src/venues/sim/simVenueStore.port.ts';

const dir = mkdtempSync(join(tmpdir(), 'sim-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backends: [string, (name: string) => Promise<SimVenueStore>][] = [
  ['in-memory', () => Promise.resolve(new InMemorySimVenueStore())],
  ['sqlite', (name) => SqliteSimVenueStore.open({ path: join(dir, `${name}.db`) })],
];

describe.each(backends)('SimVenueStore (%s)', (kind, open) => {
  it('round-trips orders in seq order, prices in push order and meta (upserted)', async () => {
    const store = await open('roundtrip');
    await store.appendOrder({ seq: 2, clientOrderId: 'b', body: '{"x":2}' });
    await store.appendOrder({ seq: 1, clientOrderId: 'a', body: '{"x":1}' });
    await store.appendPrice({ at: 10, priceUsd: 100.5 });
    await store.appendPrice({ at: 20, priceUsd: 99.25 });
    await store.setMeta('clockMs', '5');
    await store.setMeta('clockMs', '7');
    const got = await store.load();
    const orders = kind === 'sqlite' ? got.orders : [...got.orders].sort((x, y) => x.seq - y.seq);
    expect(orders).toEqual([{ seq: 1, clientOrderId: 'a', body: '{"x":1}' }, { seq: 2, clientOrderId: 'b', body: '{"x":2}' }]);
    expect(got.prices).toEqual([{ at: 10, priceUsd: 100.5 }, { at: 20, priceUsd: 99.25 }]);
    expect(got.meta).toEqual({ clockMs: '7' });
    await store.close();
  });

  it('refuses a second record for the same client order id', async () => {
    const store = await open('dup');
    await store.appendOrder({ seq: 1, clientOrderId: 'a', body: '{}' });
    await expect(store.appendOrder({ seq: 2, clientOrderId: 'a', body: '{}' })).rejects.toThrow();
    await store.close();
  });
});

describe('SqliteSimVenueStore', () => {
  it('keeps its rows across reopen and refuses a file that is not a database', async () => {
    const path = join(dir, 'reopen.db');
    const a = await SqliteSimVenueStore.open({ path });
    await a.appendOrder({ seq: 1, clientOrderId: 'a', body: '{}' });
    await a.close();
    const b = await SqliteSimVenueStore.open({ path, create: false });
    expect((await b.load()).orders).toHaveLength(1);
    await b.close();
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not sqlite'.repeat(100));
    await expect(SqliteSimVenueStore.open({ path: junk })).rejects.toThrow(/corrupt|not a database/i);
    await expect(SqliteSimVenueStore.open({ path: join(dir, 'missing.db'), create: false })).rejects.toThrow(/does not exist/);
  });
});
