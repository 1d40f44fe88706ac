// The Binance USDS-M double as its own process (binanceDoubleMain.ts), for crash tests: it prints
// its URLs as JSON, is driven through its control port, and after a SIGKILL a new process on the
// same state file and port knows every order, position and attempt.
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkError, RequestTimeout } from 'ccxt';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, DEFAULT_SECRET } from '../../fixtures/ccxt/binance/binanceDoubleConfig.ts';
import { startBinanceDoubleProcess, type BinanceDoubleProcess } from '../../fixtures/ccxt/binance/binanceDoubleProcess.ts';
import { ccxtBinanceUsdm } from '../../fixtures/ccxt/binance/ccxtBinanceUsdm.ts';
import { errorOf, SYMBOL } from './binanceDoubleHarness.ts';

const dir = mkdtempSync(join(tmpdir(), 'binance-double-proc-'));
const doubles: BinanceDoubleProcess[] = [];

afterAll(async () => {
  await Promise.all(doubles.map((d) => d.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function startDouble(args: string[]): Promise<BinanceDoubleProcess> {
  const d = await startBinanceDoubleProcess(args);
  doubles.push(d);
  return d;
}

const killed = (child: ChildProcess) => new Promise<void>((resolve) => {
  child.once('exit', () => resolve());
  child.kill('SIGKILL');
});

describe('Binance USDS-M double as a process', () => {
  it('survives SIGKILL: a new process on the same state and port answers lookups, positions and attempt counts', async () => {
    const state = join(dir, 'state.json');
    const first = await startDouble(['--state', state, '--price', '40000']);
    const ex = () => ccxtBinanceUsdm(first.url, { apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET, timeoutMs: 300 });
    const a = ex();
    await a.loadMarkets();
    const filled = await a.createOrder(SYMBOL, 'limit', 'buy', 0.25, 40_800, { timeInForce: 'IOC', clientOrderId: 'p-1' });
    expect(filled.status).toBe('closed');
    await first.controls.scriptTimeout('p-2');
    expect(await errorOf(a.createOrder(SYMBOL, 'limit', 'sell', 0.05, 39_200, { timeInForce: 'IOC', clientOrderId: 'p-2' }))).toBeInstanceOf(RequestTimeout);
    expect(await first.controls.attempts()).toEqual({ 'p-1': 1, 'p-2': 1 });

    await killed(first.child);
    expect(await errorOf(a.fetchOrder('', SYMBOL, { origClientOrderId: 'p-1' }))).toBeInstanceOf(NetworkError);
    const port = new URL(first.url).port;
    const second = await startDouble(['--state', state, '--port', port]);
    expect(second.url).toBe(first.url);
    const b = ex();
    expect(await b.fetchOrder('', SYMBOL, { origClientOrderId: 'p-2' })).toMatchObject({ status: 'closed', filled: 0.05 });
    expect((await b.fetchPositions([SYMBOL]))[0]).toMatchObject({ side: 'long', contracts: 0.2 });
    expect(await second.controls.positionBtc()).toBeCloseTo(0.2, 10);
    expect(await second.controls.stats()).toMatchObject({ positionReads: 1, lostAnswers: 0 });
    expect(await second.controls.booked()).toEqual({ 'p-1': 1, 'p-2': 1 });
    // The request log is per process; the attempt counts are in the state and survive.
    expect((await second.controls.requests()).filter((r) => r.method === 'POST')).toEqual([]);
    expect(await second.controls.attempts()).toEqual({ 'p-1': 1, 'p-2': 1 });
  });
});
