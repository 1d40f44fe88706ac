import { describe, expect, it } from 'vitest';
import { from, lastValueFrom, toArray } from 'rxjs';
import { countRejections, splitValidated } from '../../../src/streams/validatedOperators.ts';
import type { RejectedInput, Validated } from '../../../src/streams/inputTypes.ts';

const rej = (reason: string): Validated<number> => ({ ok: false, rejected: { source: 's', reason, detail: reason, payload: '', at: null, offset: null } });

describe('splitValidated / countRejections', () => {
  it('passes values in order and diverts rejections', async () => {
    const seen: RejectedInput[] = [];
    const input: Validated<number>[] = [{ ok: true, value: 1 }, rej('jump'), { ok: true, value: 2 }, rej('jump'), rej('nan-price')];
    expect(await lastValueFrom(from(input).pipe(splitValidated<number>((r) => seen.push(r)), toArray()))).toEqual([1, 2]);
    expect(seen.map((r) => r.reason)).toEqual(['jump', 'jump', 'nan-price']);
    expect(countRejections(input)).toEqual({ jump: 2, 'nan-price': 1 });
  });
});
