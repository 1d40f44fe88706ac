// Property: any sequence of valid batches reads back exactly as written (journal per
// vault in seq order, last snapshot / order / offset per key, every fill and rejection).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  CommitBatch, FillRow, HedgeOrderRow, JournalRow, RejectedInputRow, SnapshotRow,
} from '../../../storage/journalStore.ts';
import type { JournalStore } from '../../../storage/journalStore.ts';
import { MemoryJournalStore } from '../../../storage/memoryJournalStore.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';

// SQLite stores an integral REAL as an integer, so -0 reads back as 0; NaN is refused.
// Finite numbers only: NaN and infinities are refused by the store (see commitAtomicity).
const num = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
const int = fc.integer({ min: -1e12, max: 4e12 });
const text = fc.string({ maxLength: 12 });
const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const vault = fc.constantFrom('a', 'b', 'c', 'vault-ü');

const journalFieldsArb = fc.record({
  at: int, eventType: text, event: json, fromState: text, toState: text, deltaBtc: num, priceUsd: num,
  hedgeBandBtc: num, reason: text, source: fc.option(text, { nil: null }), sourceOffset: fc.option(int, { nil: null }), recordedAt: int,
  machineVersion: fc.integer({ min: 1, max: 9 }),
});

const batchArb = fc.record({
  journal: fc.array(fc.record({ vaultId: vault, fields: journalFieldsArb }), { maxLength: 8 }),
  snapshots: fc.array(fc.record({ vaultId: vault, seq: fc.nat(), machineVersion: fc.nat(9), snapshot: json }), { maxLength: 3 }),
  fills: fc.array(fc.record({ vaultId: vault, instrument: text, side: fc.constantFrom('buy' as const, 'sell' as const), qty: num, priceUsd: num, at: int, seq: fc.nat() }), { maxLength: 3 }),
  hedgeOrders: fc.array(fc.record({
    clientOrderId: fc.constantFrom('o1', 'o2', 'o3'), vaultId: vault, side: fc.constantFrom('buy' as const, 'sell' as const),
    sizeBtc: num, limitPriceUsd: num, createdAt: int,
    status: fc.constantFrom('pending' as const, 'open' as const, 'filled' as const, 'cancelled' as const, 'rejected' as const, 'failed' as const),
    filledBtc: num, avgPriceUsd: num, feeUsd: num, updatedAt: int, reason: fc.option(text, { nil: null }),
  }), { maxLength: 3 }),
  rejected: fc.array(fc.record({ source: text, reason: fc.constantFrom('nan-price', 'out-of-order', 'unknown-vault'), detail: text, payload: text, at: fc.option(int, { nil: null }), sourceOffset: fc.option(int, { nil: null }), recordedAt: int }), { maxLength: 2 }),
  offsets: fc.array(fc.record({ source: fc.constantFrom('p', 'f'), offset: int }), { maxLength: 2 }),
});

// Both commit paths: small batches travel as one exec() with exact literals, larger ones bind
// parameters; whichever is taken, every double and every string reads back bit for bit. And the
// in-memory store of backtests, which must read back the same.
const STORES: [string, () => Promise<JournalStore>][] = [
  ['one exec() with inlined literals', () => SqliteJournalStore.open({ path: ':memory:' })],
  ['bound parameters', () => SqliteJournalStore.open({ path: ':memory:', inlineMaxRows: 0 })],
  ['MemoryJournalStore', () => Promise.resolve(new MemoryJournalStore())],
];

describe.each(STORES)('round trip property (%s)', (_path, open) => {
  it('reads back what any sequence of batches wrote', async () => {
    await fc.assert(fc.asyncProperty(fc.array(batchArb, { maxLength: 6 }), async (specs) => {
      const store = await open();
      try {
        const seqs = new Map<string, number>();
        const journal: JournalRow[] = [];
        const snapshots = new Map<string, SnapshotRow>();
        const fills: FillRow[] = [];
        const orders = new Map<string, HedgeOrderRow>();
        const rejected: RejectedInputRow[] = [];
        const offsets = new Map<string, number>();
        let fillNo = 0;
        for (const s of specs) {
          const rows = s.journal.map(({ vaultId, fields }): JournalRow => {
            const seq = (seqs.get(vaultId) ?? 0) + 1;
            seqs.set(vaultId, seq);
            return { vaultId, seq, ...fields };
          });
          const b: CommitBatch = {
            journal: rows, snapshots: s.snapshots, hedgeOrders: s.hedgeOrders, rejected: s.rejected, offsets: s.offsets,
            fills: s.fills.map((f) => ({ ...f, fillId: `fill-${++fillNo}` })),
          };
          await store.commit(b);
          journal.push(...b.journal);
          for (const r of b.snapshots) snapshots.set(r.vaultId, r);
          fills.push(...b.fills);
          for (const r of b.hedgeOrders) orders.set(r.clientOrderId, r);
          rejected.push(...b.rejected);
          for (const r of b.offsets) offsets.set(r.source, r.offset);
        }
        const byVaultSeq = (a: JournalRow, b: JournalRow) => (a.vaultId < b.vaultId ? -1 : a.vaultId > b.vaultId ? 1 : a.seq - b.seq);
        expect(await store.readJournal({})).toEqual([...journal].sort(byVaultSeq));
        expect(await store.latestSnapshots()).toEqual([...snapshots.values()].sort((a, b) => (a.vaultId < b.vaultId ? -1 : 1)));
        const storedFills = (await Promise.all(['a', 'b', 'c', 'vault-ü'].map((v) => store.fillsOf(v)))).flat();
        expect(new Map(storedFills.map((f) => [f.fillId, f]))).toEqual(new Map(fills.map((f) => [f.fillId, f])));
        expect(storedFills).toHaveLength(fills.length);
        const storedOrders = await store.hedgeOrders();
        expect(new Map(storedOrders.map((o) => [o.clientOrderId, o]))).toEqual(orders);
        expect(await store.openHedgeOrders()).toEqual(storedOrders.filter((o) => o.status === 'pending' || o.status === 'open'));
        expect(await store.rejectedInputs()).toEqual(rejected);
        expect(new Map((await store.sourceOffsets()).map((o) => [o.source, o.offset]))).toEqual(offsets);
        expect(await store.vaultIds()).toEqual([...new Set([...journal.map((r) => r.vaultId), ...snapshots.keys()])].sort());
        expect(await store.knownFillIds(fills.map((f) => f.fillId).concat(['nope']))).toEqual(new Set(fills.map((f) => f.fillId)));
      } finally {
        await store.close();
      }
    }), { numRuns: 60 });
  });
});

describe.each(STORES)('text that looks like SQL or like replacement patterns (%s)', (_path, open) => {
  it('round trips quotes, "$&", "$\'", NUL bytes, non-ASCII and SQL fragments unchanged', async () => {
    const store = await open();
    const nasty = `it's '' $& $' $\` $1 \u0000 \\ "; DROP TABLE journal; -- ü 😀 X'00'`;
    const row: JournalRow = {
      vaultId: 'v1', seq: 1, at: 1, eventType: nasty, event: { note: nasty }, fromState: nasty, toState: 'neutral', deltaBtc: 0.1,
      priceUsd: 2, hedgeBandBtc: 3, reason: nasty, source: nasty, sourceOffset: 7, recordedAt: 9, machineVersion: 2,
    };
    await store.commit({ journal: [row], snapshots: [], fills: [], hedgeOrders: [], rejected: [], offsets: [] });
    expect(await store.readJournal({ vaultId: 'v1' })).toEqual([row]);
    await store.close();
  });
});
