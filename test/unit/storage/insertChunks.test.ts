// insertRows' chunking: every row once, in order, no chunk above the statement cap, and only a
// few statement shapes per table whatever the batch sizes (each new shape is a prepare, ~ms).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextChunkRows } from '../../../storage/queries/insertRows.ts';

function chunks(total: number, perChunk: number): number[] {
  const out: number[] = [];
  for (let left = total; left > 0; left -= out[out.length - 1] as number) out.push(nextChunkRows(left, perChunk));
  return out;
}

describe('nextChunkRows', () => {
  it('covers every row with chunks of at most perChunk rows, full chunks first', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 600 }), (total, perChunk) => {
      const c = chunks(total, perChunk);
      expect(c.reduce((a, n) => a + n, 0)).toBe(total);
      for (const n of c) expect(n >= 1 && n <= perChunk).toBe(true);
      const tail = c.filter((n) => n < perChunk);
      expect(tail).toEqual([...tail].sort((a, b) => b - a));
      expect(new Set(tail).size).toBe(tail.length);
    }));
  });

  it('uses at most log2(perChunk) + 2 statement shapes over all batch sizes', () => {
    const shapes = new Set<number>();
    for (let total = 1; total <= 3_000; total++) for (const n of chunks(total, 500)) shapes.add(n);
    expect(shapes.size).toBeLessThanOrEqual(Math.floor(Math.log2(500)) + 2);
    expect([...shapes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 500]);
  });
});
