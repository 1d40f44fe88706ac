import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { PYTH_BTC_USD_ACCOUNT, pythAccountPriceSource } from '../../../src/streams/pythAccountPriceSource.ts';
import { parsePythPriceAccount } from '../../../src/streams/pythAccountParse.ts';
import type { PriceTickInput, Validated } from '../../../src/streams/inputTypes.ts';
import { pythPriceAccountBytes, startFakeSolanaRpc } from '../../fixtures/streams/fakeSolanaRpc.ts';
import type { FakeSolanaRpc } from '../../fixtures/streams/fakeSolanaRpc.ts';

const T = 1_700_000_000;
const acct = (price: number, slot: number, ts: number, extra: { status?: number; conf?: number } = {}) =>
  pythPriceAccountBytes({ price, conf: extra.conf ?? 12.5, expo: -8, status: extra.status ?? 1, publishSlot: slot, timestamp: ts });

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timeout waiting for condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('parsePythPriceAccount', () => {
  it('reads price, confidence, timestamp and slot written at parsePriceData offsets', () => {
    expect(parsePythPriceAccount(acct(37123.5, 1000, T), 1005)).toEqual({ ok: true, price: { priceUsd: 37123.5, confUsd: 12.5, publishTimeMs: T * 1000, publishSlot: 1000 } });
  });
  it('not trading when the status says so or the publish slot lags more than 25 slots', () => {
    expect(parsePythPriceAccount(acct(1, 1000, T, { status: 2 }), 1000)).toMatchObject({ ok: false, reason: 'not-trading' });
    expect(parsePythPriceAccount(acct(1, 1000, T), 1026)).toMatchObject({ ok: false, reason: 'not-trading', publishSlot: 1000 });
  });
  it('malformed bytes', () => {
    expect(parsePythPriceAccount(Buffer.alloc(10), 1)).toMatchObject({ ok: false, reason: 'malformed-account' });
    expect(parsePythPriceAccount(Buffer.alloc(3312), 1)).toMatchObject({ ok: false, reason: 'malformed-account' });
  });
});

describe('pythAccountPriceSource against a loopback Solana RPC', () => {
  let rpc: FakeSolanaRpc;
  let sub: Subscription | null = null;
  beforeEach(async () => { rpc = await startFakeSolanaRpc(); });
  afterEach(async () => {
    sub?.unsubscribe();
    sub = null;
    await rpc.close();
  });

  it('reads the account, then follows accountNotification; rejects bad states with reasons', async () => {
    rpc.slot = 1000;
    rpc.setAccount(PYTH_BTC_USD_ACCOUNT, acct(37000, 1000, T));
    const got: Validated<PriceTickInput>[] = [];
    sub = pythAccountPriceSource({ rpcUrl: rpc.url, wsUrl: rpc.wsUrl }).subscribe((v) => got.push(v));
    await until(() => got.length === 1 && rpc.subscriptions() === 1);
    expect(got[0]).toEqual({ ok: true, value: { at: T * 1000, priceUsd: 37000, confUsd: 12.5, source: 'pyth-account:GVXRSBjF', offset: 1000 } });
    rpc.slot = 1001;
    rpc.setAccount(PYTH_BTC_USD_ACCOUNT, acct(37001, 1001, T)); // same second: not new
    rpc.slot = 1003;
    rpc.setAccount(PYTH_BTC_USD_ACCOUNT, acct(37010, 1003, T + 1));
    rpc.slot = 1005;
    rpc.setAccount(PYTH_BTC_USD_ACCOUNT, acct(37020, 1005, T + 2, { status: 2 })); // halted
    rpc.slot = 1007;
    rpc.setAccount(PYTH_BTC_USD_ACCOUNT, acct(370_000, 1007, T + 3)); // 10x
    rpc.slot = 1009;
    rpc.setAccount(PYTH_BTC_USD_ACCOUNT, acct(37030, 1009, T + 4, { conf: 5000 })); // conf 13.5% of price
    rpc.slot = 1011;
    rpc.setAccount(PYTH_BTC_USD_ACCOUNT, acct(37040, 1011, T + 5));
    await until(() => got.length === 6);
    expect(got.map((v) => (v.ok ? v.value.priceUsd : v.rejected.reason))).toEqual([37000, 37010, 'not-trading', 'jump', 'wide-confidence', 37040]);
    expect(rpc.methods).toContain('getAccountInfo');
    expect(rpc.methods).toContain('accountSubscribe');
    sub.unsubscribe();
    sub = null;
    await until(() => rpc.subscriptions() === 0);
  });

  it('keeps following after the WebSocket drops (web3.js reconnects and resubscribes)', async () => {
    rpc.setAccount(PYTH_BTC_USD_ACCOUNT, acct(37000, 1000, T));
    const got: Validated<PriceTickInput>[] = [];
    sub = pythAccountPriceSource({ rpcUrl: rpc.url, wsUrl: rpc.wsUrl }).subscribe((v) => got.push(v));
    await until(() => got.length === 1 && rpc.subscriptions() === 1);
    rpc.dropSockets();
    await until(() => rpc.subscriptions() === 0);
    await until(() => rpc.subscriptions() === 1, 8000);
    rpc.slot = 1002;
    rpc.setAccount(PYTH_BTC_USD_ACCOUNT, acct(37005, 1002, T + 1));
    await until(() => got.length === 2);
    expect(got[1]?.ok && got[1].value.priceUsd).toBe(37005);
  });

  it('errors when the account does not exist', async () => {
    const err = await new Promise<unknown>((resolve) => {
      sub = pythAccountPriceSource({ rpcUrl: rpc.url, wsUrl: rpc.wsUrl }).subscribe({ error: resolve });
    });
    expect(String(err)).toMatch(/not found/);
  });
});
