// Fuzz: >= 10,000 malformed ticks and >= 10,000 malformed fills mixed with valid ones.
// Nothing throws, every bad input is rejected with a reason, every valid one arrives exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { createPrng } from '../../src/domain/rng.ts';
import { TickValidator } from '../../src/streams/tickValidator.ts';
import { validateFill } from '../../src/streams/fillValidator.ts';
import type { FillValidationContext } from '../../src/streams/fillValidator.ts';
import { jsonlFillSource } from '../../src/streams/jsonlFillSource.ts';
import { createFillInboxHandler } from '../../src/server/fillInbox.ts';
import type { FillInput, PriceTickInput, RejectedInput } from '../../src/streams/inputTypes.ts';

const MIN = 60_000;
const T0 = Date.UTC(2023, 2, 1);

describe('tick fuzz', () => {
  it('10,000+ bad ticks among 10,000 valid ones: each bad one rejected with its reason, each valid one accepted once', () => {
    const rng = createPrng(2023);
    const v = new TickValidator();
    const kinds = ['nan', 'inf', 'zero', 'neg', 'old', 'dup', 'jumpUp', 'jumpDown', 'conf0', 'confCrossed', 'confWide', 'badTime', 'string'] as const;
    const expected: Record<(typeof kinds)[number], string> = {
      nan: 'nan-price', inf: 'non-finite-price', zero: 'non-positive-price', neg: 'non-positive-price', old: 'out-of-order', dup: 'duplicate-time',
      jumpUp: 'jump', jumpDown: 'jump', conf0: 'bad-confidence', confCrossed: 'bad-confidence', confWide: 'wide-confidence', badTime: 'bad-time', string: 'nan-price',
    };
    let price = 20_000;
    let lastAt = T0 - MIN;
    let offset = 0;
    const acceptedValid = new Map<number, number>();
    let bad = 0;
    const badReasons = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const at = T0 + i * MIN;
      // 0-2 garbage ticks before each valid one, between the last valid time and this one.
      const nBad = Math.floor(rng.next() * 3) + (i % 5 === 0 ? 1 : 0);
      for (let k = 0; k < nBad; k++) {
        const kind = kinds[Math.floor(rng.next() * kinds.length)]!;
        const gAt = lastAt + 1 + Math.floor(rng.next() * (MIN - 2));
        const t: PriceTickInput = { at: gAt, priceUsd: price, source: 'fuzz', offset: offset++ };
        switch (kind) {
          case 'nan': t.priceUsd = Number.NaN; break;
          case 'inf': t.priceUsd = rng.next() < 0.5 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY; break;
          case 'zero': t.priceUsd = 0; break;
          case 'neg': t.priceUsd = -price * rng.next() - 1e-9; break;
          case 'old': t.at = lastAt - 1 - Math.floor(rng.next() * 1e9); break;
          case 'dup': t.at = lastAt; break;
          case 'jumpUp': t.priceUsd = price * (3 + 7 * rng.next()); break;
          case 'jumpDown': t.priceUsd = price / (3 + 7 * rng.next()); break;
          case 'conf0': t.confUsd = -rng.next() * 10; break;
          case 'confCrossed': t.confUsd = price * (1 + rng.next()); break;
          case 'confWide': t.confUsd = price * (0.03 + 0.5 * rng.next()); break;
          case 'badTime': t.at = rng.next() < 0.5 ? Number.NaN : Number.POSITIVE_INFINITY; break;
          case 'string': (t as unknown as { priceUsd: unknown }).priceUsd = 'abc'; break;
        }
        if (i === 0 && (kind === 'old' || kind === 'dup' || kind.startsWith('jump'))) continue; // no state yet
        const r = v.check(t);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.rejected.reason).toBe(expected[kind]);
          expect(r.rejected.detail.length).toBeGreaterThan(0);
          badReasons.set(r.rejected.reason, (badReasons.get(r.rejected.reason) ?? 0) + 1);
        }
        bad++;
      }
      price *= Math.exp((rng.next() - 0.5) * 0.002);
      const good: PriceTickInput = { at, priceUsd: price, source: 'fuzz', offset: offset++ };
      if (rng.next() < 0.3) good.confUsd = price * 0.001;
      const r = v.check(good);
      expect(r.ok).toBe(true);
      if (r.ok) acceptedValid.set(r.value.offset, (acceptedValid.get(r.value.offset) ?? 0) + 1);
      lastAt = at;
    }
    expect(bad).toBeGreaterThanOrEqual(10_000);
    expect(acceptedValid.size).toBe(10_000);
    expect([...acceptedValid.values()].every((n) => n === 1)).toBe(true);
    expect(v.accepted).toBe(10_000);
    expect(v.rejected).toBe(bad);
    expect(badReasons.size).toBe(9);
  });
});

// ---- fills ----
const EXP = Date.UTC(2030, 0, 1, 8);
const INST = 'BTC-1JAN30-50000-C';
const ctx: FillValidationContext = {
  vaults: new Map([
    ['v1', { instruments: new Map([[INST, { expiryMs: EXP }], ['BTC-1JAN24-40000-P', { expiryMs: Date.UTC(2024, 0, 1, 8) }]]) }],
    ['v2', { instruments: new Map([[INST, { expiryMs: EXP }]]) }],
  ]),
};
const AT = Date.UTC(2029, 0, 1);

/** An item for the fill sources: a JSON text line (valid or not) and whether it is a valid fill. */
interface Item { text: string; validId: string | null }

function buildFillItems(): Item[] {
  const validFill = (id: string) => ({ fillId: id, vault: id.endsWith('2') ? 'v2' : 'v1', instrument: INST, side: id.length % 2 ? 'buy' : 'sell', qty: 1 + (id.length % 3), price: 100, at: AT });
  const mutations: ((f: Record<string, unknown>) => unknown)[] = [
    (f) => ({ ...f, vault: 'ghost' }),
    (f) => ({ ...f, instrument: 'BTC-1JAN30-1-C' }),
    (f) => ({ ...f, instrument: 'BTC-1JAN24-40000-P' }), // expired
    (f) => ({ ...f, qty: 0 }),
    (f) => ({ ...f, qty: -2 }),
    (f) => ({ ...f, qty: 'NaN' }),
    (f) => ({ ...f, side: 'both' }),
    (f) => ({ ...f, price: -1 }),
    (f) => ({ ...f, at: 'soon' }),
    (f) => { const { fillId: _x, ...r } = f; return r; },
    (f) => { const { qty: _x, ...r } = f; return r; },
    (f) => [f],
    () => null,
    () => 17,
  ];
  const garbage = fc.sample(fc.oneof(
    fc.anything().map((a) => ({ kind: 'json' as const, v: a })),
    fc.string({ minLength: 1, maxLength: 40 }).map((s) => ({ kind: 'text' as const, v: `#${s.replace(/[\r\n]/g, ' ')}` })),
    fc.nat({ max: mutations.length - 1 }).map((m) => ({ kind: 'mut' as const, v: m })),
    fc.nat().map((n) => ({ kind: 'truncated' as const, v: n })),
  ), { numRuns: 10_500, seed: 77 });
  const items: Item[] = [];
  let n = 0;
  for (const g of garbage) {
    const id = `ok-${n++}`;
    items.push({ text: JSON.stringify(validFill(id)), validId: id });
    if (g.kind === 'json') items.push({ text: JSON.stringify(g.v) ?? 'undefined', validId: null });
    else if (g.kind === 'text') items.push({ text: g.v, validId: null });
    else if (g.kind === 'mut') items.push({ text: JSON.stringify(mutations[g.v]!(validFill(`bad-${n}`))), validId: null });
    else {
      const full = JSON.stringify(validFill(`trunc-${n}`));
      items.push({ text: full.slice(0, 1 + (g.v % (full.length - 1))), validId: null });
    }
  }
  return items;
}

describe('fill fuzz', () => {
  const items = buildFillItems();
  const validIds = items.flatMap((i) => (i.validId ? [i.validId] : []));
  const badCount = items.length - validIds.length;
  let dir = '';
  let server: Server | null = null;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'fuzz-')); });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (server) await new Promise<void>((r) => server!.close(() => r()));
  });

  it('has >= 10,000 malformed fills', () => {
    expect(badCount).toBeGreaterThanOrEqual(10_000);
    expect(validIds.length).toBeGreaterThanOrEqual(10_000);
  });

  it('validateFill: every bad one rejected with a reason, every valid one accepted', () => {
    let ok = 0;
    for (const it of items) {
      let raw: unknown;
      try { raw = JSON.parse(it.text); } catch { expect(it.validId).toBeNull(); continue; }
      const v = validateFill(raw, ctx, 'fuzz', 0);
      expect(v.ok).toBe(it.validId !== null);
      if (v.ok) ok++;
      else expect(v.rejected.reason).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
    expect(ok).toBe(validIds.length);
  });

  it('JSONL source: valid fills arrive exactly once, bad lines rejected, in file order', async () => {
    const file = join(dir, 'fills.jsonl');
    writeFileSync(file, items.map((i) => i.text).join('\n') + '\n');
    const out = await lastValueFrom(jsonlFillSource(file, { ctx, follow: false }).pipe(toArray()));
    const got = out.flatMap((v) => (v.ok ? [v.value.fillId] : []));
    expect(got).toEqual(validIds);
    const rej = out.filter((v) => !v.ok);
    expect(rej).toHaveLength(badCount);
    for (const r of rej) if (!r.ok) expect(r.rejected.reason.length).toBeGreaterThan(0);
  });

  it('HTTP inbox: mixed batches, each valid fill committed exactly once, each bad one reported', async () => {
    const committed = new Map<string, number>();
    const rejected: RejectedInput[] = [];
    server = createServer(createFillInboxHandler({
      token: 't',
      validate: (raw, off) => validateFill(raw, ctx, 'http', off),
      submit: (fills: FillInput[]) => {
        const accepted: string[] = [];
        const duplicates: string[] = [];
        for (const f of fills) {
          if (committed.has(f.fillId)) duplicates.push(f.fillId);
          else accepted.push(f.fillId);
          committed.set(f.fillId, (committed.get(f.fillId) ?? 0) + 1);
        }
        return Promise.resolve({ accepted, duplicates });
      },
      onRejected: (r) => rejected.push(...r),
    }));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fills`;
    let reportedBad = 0;
    let acked = 0;
    // Bodies of up to 200 parseable items (valid and invalid mixed); texts that are not JSON
    // each go as their own body (the first 1,000 of them: one request each is slow).
    const bodies: string[] = [];
    let batch: string[] = [];
    let sentBad = 0;
    let malformedBodies = 0;
    for (const it of items) {
      let parses = true;
      try { JSON.parse(it.text); } catch { parses = false; }
      if (parses) {
        batch.push(it.text);
        if (it.validId === null) sentBad++;
      } else if (malformedBodies < 1000) {
        bodies.push(it.text);
        malformedBodies++;
        sentBad++;
      }
      if (batch.length === 200) { bodies.push(`[${batch.join(',')}]`); batch = []; }
    }
    if (batch.length > 0) bodies.push(`[${batch.join(',')}]`);
    const send = async (body: string): Promise<void> => {
      const res = await fetch(url, { method: 'POST', body, headers: { authorization: 'Bearer t' } });
      const json = (await res.json()) as { accepted?: string[]; rejected?: unknown[]; reason?: string };
      if (res.status === 200) {
        acked += json.accepted!.length;
        reportedBad += json.rejected!.length;
      } else {
        expect(res.status).toBe(400);
        expect(typeof json.reason).toBe('string');
        reportedBad += json.rejected ? json.rejected.length : 1;
      }
    };
    for (let i = 0; i < bodies.length; i += 8) await Promise.all(bodies.slice(i, i + 8).map(send));
    expect(acked).toBe(validIds.length);
    expect([...committed.keys()].sort()).toEqual([...validIds].sort());
    expect([...committed.values()].every((n) => n === 1)).toBe(true);
    expect(sentBad).toBeGreaterThan(5_000);
    expect(reportedBad).toBe(sentBad);
    expect(rejected).toHaveLength(sentBad);
  });
});
