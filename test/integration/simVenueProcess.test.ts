// The sim venue as its own process (`omm-hedger sim-venue`, spawned as users run it):
// orders, fills and position survive a SIGKILL of the venue and a restart on the same db; a
// restart under different options is refused; a price file drives the mark.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { VenueUnavailableError } from '../../src/venues/hedgeVenue.ts';
import { HttpVenueClient } from '../../src/venues/sim/httpVenueClient.ts';
import { CLI, ROOT } from '../fixtures/cliProcess.ts';
import { postJson } from './simVenueHarness.ts';

const PRICES = 'data/btcusdt-binanceus-1m-2023-03-01_21.csv';
const dir = mkdtempSync(join(tmpdir(), 'sim-venue-proc-'));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function startVenue(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...CLI, 'sim-venue', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      const msg = JSON.parse(line) as { url: string };
      resolve({ child, url: msg.url });
    });
    child.once('exit', (code) => reject(new Error(`sim-venue exited ${code}: ${stderr}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('sim-venue process', () => {
  it('keeps orders, fills and position across SIGKILL and restart on the same db', async () => {
    const db = join(dir, 'kill.db');
    const args = ['--db', db, '--seed', '11', '--fee-bps', '4'];
    const first = await startVenue(args);
    const t0 = Date.parse('2024-05-01T00:00:00Z');
    await postJson(`${first.url}/price`, { at: t0, priceUsd: 60_000 });
    let client = new HttpVenueClient({ baseUrl: first.url });
    const a = await client.placeIoc({ clientOrderId: 'v1-1', market: 'BTC-PERP', side: 'buy', sizeBtc: 1.5, limitPriceUsd: 61_000, reduceOnly: false, at: t0 + 1_000 });
    const b = await client.placeIoc({ clientOrderId: 'v1-2', market: 'BTC-PERP', side: 'sell', sizeBtc: 0.25, limitPriceUsd: 59_000, reduceOnly: false, at: t0 + 2_000 });
    expect(a.status).toBe('filled');
    const before = await client.position('BTC-PERP');
    expect(before.sizeBtc).toBeCloseTo(1.25, 10);
    const exited = exitOf(first.child);
    first.child.kill('SIGKILL');
    await exited;
    await expect(client.lookup('v1-1')).rejects.toBeInstanceOf(VenueUnavailableError);
    await client.close();

    const second = await startVenue(args);
    client = new HttpVenueClient({ baseUrl: second.url });
    expect(await client.lookup('v1-1')).toEqual(a);
    expect(await client.lookup('v1-2')).toEqual(b);
    expect(await client.position('BTC-PERP')).toEqual(before);
    expect(await client.placeIoc({ clientOrderId: 'v1-1', market: 'BTC-PERP', side: 'buy', sizeBtc: 1.5, limitPriceUsd: 61_000, reduceOnly: false, at: t0 + 9_000 })).toEqual(a);
    // The default book holds 2 BTC per level: one fill per order, replayed from the venue's start.
    const replayed = await firstValueFrom(client.fills().pipe(take(2), toArray()));
    expect(replayed.map((f) => [f.clientOrderId, f.sizeBtc, f.fillId])).toEqual([['v1-1', 1.5, 'v1-1#1'], ['v1-2', 0.25, 'v1-2#1']]);
    await client.close();
    const stopped = exitOf(second.child);
    second.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
  });

  it('refuses to reopen a db under a different seed', async () => {
    const db = join(dir, 'seed.db');
    const one = await startVenue(['--db', db, '--seed', '1']);
    const stopped = exitOf(one.child);
    one.child.kill('SIGTERM');
    await stopped;
    const child = spawn(process.execPath, [...CLI, 'sim-venue', '--port', '0', '--db', db, '--seed', '2'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toMatch(/another configuration/);
  });

  it.each([
    ['the shipped Binance.US candle file', PRICES, 23137.77],
    ['a Kraken OHLCVT file with a timestamp header', 'test/fixtures/streams/kraken-ohlcvt-header.csv', 23137.8],
    ['a headerless Kraken OHLCVT file', 'test/fixtures/streams/kraken-ohlcvt.csv', 23137.8],
  ])('prices off %s, read as run and backtest read it: the mark is the last close at or before a time', async (_name, file, close) => {
    const v = await startVenue(['--db', join(dir, `${basename(file)}.db`), '--prices', file]);
    const at = Date.parse('2023-03-01T00:01:30Z');
    const res = await fetch(`${v.url}/mark/BTC-PERP?at=${at}`);
    expect(await res.json()).toEqual({ priceUsd: close, at });
    const stopped = exitOf(v.child);
    v.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
  });
});
