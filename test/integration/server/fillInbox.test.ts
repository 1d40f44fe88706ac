import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFillInboxHandler } from '../../../src/server/fillInbox.ts';
import { validateFill } from '../../../src/streams/fillValidator.ts';
import type { FillValidationContext } from '../../../src/streams/fillValidator.ts';
import type { FillInput, RejectedInput } from '../../../src/streams/inputTypes.ts';

const EXP = Date.UTC(2030, 0, 1, 8);
const ctx: FillValidationContext = { vaults: new Map([['v1', { instruments: new Map([['BTC-1JAN30-50000-C', { expiryMs: EXP }]]) }]]) };
const fill = (id: string, extra: Record<string, unknown> = {}) => ({ fillId: id, vault: 'v1', instrument: 'BTC-1JAN30-50000-C', side: 'sell', qty: 2, price: 150, at: Date.UTC(2029, 0, 1), ...extra });

const committed = new Map<string, FillInput>();
const rejected: RejectedInput[] = [];
let failNext = false;
let commitDelayMs = 0;
let server: Server;
let url = '';

beforeAll(async () => {
  const handler = createFillInboxHandler({
    token: 's3cret',
    maxBodyBytes: 10_000,
    validate: (raw, offset) => validateFill(raw, ctx, 'http-inbox', offset),
    submit: async (fills) => {
      await new Promise((r) => setTimeout(r, commitDelayMs));
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      const accepted: string[] = [];
      const duplicates: string[] = [];
      for (const f of fills) {
        if (committed.has(f.fillId)) duplicates.push(f.fillId);
        else {
          committed.set(f.fillId, f);
          accepted.push(f.fillId);
        }
      }
      return { accepted, duplicates };
    },
    onRejected: (r) => rejected.push(...r),
  });
  server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

async function post(body: string, token: string | null = 's3cret', path = '/fills') {
  const res = await fetch(url + path, { method: 'POST', body, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('HTTP fill inbox', () => {
  it('401 without or with a wrong token; nothing committed', async () => {
    expect(await post(JSON.stringify(fill('x')), null)).toMatchObject({ status: 401, json: { reason: 'missing-token' } });
    expect(await post(JSON.stringify(fill('x')), 'nope')).toMatchObject({ status: 401, json: { reason: 'bad-token' } });
    expect(committed.has('x')).toBe(false);
  });

  it('accepts one fill object, then reports the same id as a duplicate', async () => {
    expect(await post(JSON.stringify(fill('f1')))).toEqual({ status: 200, json: { accepted: ['f1'], duplicates: [], rejected: [] } });
    expect(await post(JSON.stringify(fill('f1')))).toEqual({ status: 200, json: { accepted: [], duplicates: ['f1'], rejected: [] } });
    expect(committed.get('f1')).toMatchObject({ vaultId: 'v1', side: 'sell', qty: 2, priceUsd: 150 });
  });

  it('a mixed array: valid fills committed, bad ones listed by index and passed to onRejected', async () => {
    const before = rejected.length;
    const r = await post(JSON.stringify([fill('f2'), fill('f3', { qty: -1 }), fill('f4', { vault: 'zz' }), 'junk', fill('f5')]));
    expect(r.status).toBe(200);
    expect(r.json.accepted).toEqual(['f2', 'f5']);
    expect((r.json.rejected as { index: number; reason: string }[]).map((x) => [x.index, x.reason])).toEqual([[1, 'bad-qty'], [2, 'unknown-vault'], [3, 'not-an-object']]);
    expect(rejected.slice(before).map((x) => x.reason)).toEqual(['bad-qty', 'unknown-vault', 'not-an-object']);
  });

  it('400 with a JSON error for malformed JSON, an empty array, or nothing valid', async () => {
    expect(await post('{"fillId": ')).toMatchObject({ status: 400, json: { error: 'malformed JSON', reason: 'malformed-json' } });
    expect(rejected.at(-1)?.reason).toBe('malformed-json');
    expect(await post('[]')).toMatchObject({ status: 400, json: { reason: 'empty' } });
    expect(await post(JSON.stringify([fill('g', { side: 'x' })]))).toMatchObject({ status: 400, json: { reason: 'bad-side' } });
  });

  it('413 for an oversized body; 404/405 for other routes and methods', async () => {
    expect(await post(JSON.stringify(Array.from({ length: 200 }, (_, i) => fill(`big${i}`))))).toMatchObject({ status: 413, json: { reason: 'body-too-large' } });
    expect(committed.has('big0')).toBe(false);
    expect((await post('{}', 's3cret', '/other')).status).toBe(404);
    const res = await fetch(url + '/fills', { headers: { authorization: 'Bearer s3cret' } });
    expect(res.status).toBe(405);
    await res.arrayBuffer();
  });

  it('acknowledges only after the commit resolves; a failed commit is 503 and nothing is acknowledged', async () => {
    commitDelayMs = 100;
    const t0 = Date.now();
    const r = await post(JSON.stringify(fill('slow')));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(95);
    expect(r.json.accepted).toEqual(['slow']);
    commitDelayMs = 0;
    failNext = true;
    expect(await post(JSON.stringify(fill('lost?')))).toMatchObject({ status: 503, json: { reason: 'commit-failed' } });
    expect(committed.has('lost?')).toBe(false);
    expect((await post(JSON.stringify(fill('lost?')))).json.accepted).toEqual(['lost?']); // the client's retry lands
  });
});
