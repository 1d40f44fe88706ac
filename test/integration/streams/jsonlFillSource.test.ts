import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import type { Subscription } from 'rxjs';
import { jsonlFillSource } from '../../../src/streams/jsonlFillSource.ts';
import type { FillValidationContext } from '../../../src/streams/fillValidator.ts';
import type { FillInput, Validated } from '../../../src/streams/inputTypes.ts';

const EXP = Date.UTC(2030, 0, 1, 8);
const ctx: FillValidationContext = { vaults: new Map([['v1', { instruments: new Map([['BTC-1JAN30-50000-C', { expiryMs: EXP }]]) }]]) };
const fill = (id: string): string => JSON.stringify({ fillId: id, vault: 'v1', instrument: 'BTC-1JAN30-50000-C', side: 'buy', qty: 1, price: 100, at: Date.UTC(2029, 0, 1) });
const ids = (vs: Validated<FillInput>[]): string[] => vs.map((v) => (v.ok ? v.value.fillId : `!${v.rejected.reason}`));

let dir = '';
let file = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsonl-'));
  file = join(dir, 'fills.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('jsonlFillSource', () => {
  it('reads a file to the end: malformed lines rejected, valid ones kept, offsets are line starts', async () => {
    const lines = [fill('a'), '{not json', '', fill('b'), '{"fillId":"c"}', fill('d')];
    writeFileSync(file, lines.join('\n')); // no trailing newline: last line still read when not following
    const out = await lastValueFrom(jsonlFillSource(file, { ctx, follow: false }).pipe(toArray()));
    expect(ids(out)).toEqual(['a', '!malformed-json', 'b', '!missing-field', 'd']);
    const text = lines.join('\n');
    const starts = out.map((v) => (v.ok ? v.value.offset : v.rejected.offset));
    expect(starts).toEqual([0, text.indexOf('{not'), text.indexOf(fill('b')), text.indexOf('{"fillId":"c"}'), text.indexOf(fill('d'))]);
  });

  it('resumes after a given offset', async () => {
    writeFileSync(file, [fill('a'), fill('b'), fill('c')].join('\n') + '\n');
    const all = await lastValueFrom(jsonlFillSource(file, { ctx, follow: false }).pipe(toArray()));
    const b = all[1];
    const offB = b?.ok ? (b.value.offset as number) : -1;
    const rest = await lastValueFrom(jsonlFillSource(file, { ctx, follow: false, fromOffset: offB }).pipe(toArray()));
    expect(ids(rest)).toEqual(['c']);
    expect(rest).toEqual(all.slice(2));
  });

  it('follows a growing file, waiting for partial lines, and survives a missing file at start', async () => {
    const got: Validated<FillInput>[] = [];
    let sub: Subscription | null = null;
    try {
      sub = jsonlFillSource(file, { ctx, pollMs: 10 }).subscribe((v) => got.push(v));
      await new Promise((r) => setTimeout(r, 40));
      writeFileSync(file, fill('a') + '\n' + fill('b').slice(0, 20));
      await until(() => got.length === 1);
      await new Promise((r) => setTimeout(r, 40));
      expect(ids(got)).toEqual(['a']); // the partial line waits
      appendFileSync(file, fill('b').slice(20) + '\n{bad\n' + fill('c') + '\n');
      await until(() => got.length === 4);
      expect(ids(got)).toEqual(['a', 'b', '!malformed-json', 'c']);
    } finally {
      sub?.unsubscribe();
    }
  });

  it('rejects an over-long line without buffering it, whole or partial, and keeps its neighbours', async () => {
    const long = `{"fillId":"${'x'.repeat(5000)}"}`;
    writeFileSync(file, [fill('a'), long, fill('b'), long].join('\n'));
    const out = await lastValueFrom(jsonlFillSource(file, { ctx, follow: false, maxLineBytes: 1000 }).pipe(toArray()));
    expect(ids(out)).toEqual(['a', '!line-too-long', 'b', '!line-too-long']);
    const r = out[1];
    expect(!r?.ok && r?.rejected.offset).toBe(fill('a').length + 1);
    expect(!r?.ok && r?.rejected.detail).toMatch(/5013 bytes/);
  });

  it('errors when the followed file shrinks', async () => {
    writeFileSync(file, fill('a') + '\n' + fill('b') + '\n');
    const src = jsonlFillSource(file, { ctx, pollMs: 10 });
    const first = await firstValueFrom(src.pipe(take(1)));
    expect(first.ok).toBe(true);
    const p = lastValueFrom(src);
    await new Promise((r) => setTimeout(r, 30));
    truncateSync(file, 5);
    await expect(p).rejects.toThrow(/shrank/);
  });
});
