// The backtests' in-memory store against the SQLite store: the same operations, valid or not,
// must succeed or fail alike (a refused batch leaves nothing in either) and every read must
// answer alike. And its column facts must be the schema's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommitBatch, FillRow, HedgeOrderRow, JournalRow, JournalStore, RejectedInputRow, SnapshotRow } from '../../../storage/journalStore.ts';
import { MemoryJournalStore } from '../../../storage/memoryJournalStore.ts';
import { compareBinary, MEMORY_TABLES } from '../../../storage/memoryTables.ts';
import { openDatabase } from '../../../storage/openDatabase.ts';
import { SqliteJournalStore } from '../../../storage/sqliteJournalStore.ts';
import { StorageError } from '../../../storage/storageError.ts';

// Numbers a store must refuse (NaN or infinite where a value is required) or normalise (-0, a
// NaN where NULL is allowed), beside ordinary ones.
const num = fc.oneof(
  { weight: 8, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e20, 2 ** 60, 0.5) },
);
const int = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -1e12, max: 4e12 }) }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, 1.5, -0) });
const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'b', 'B', 'é', '\uffff', '😀', '\u0000x'));
const json = fc.oneof({ weight: 9, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown) }, { weight: 1, arbitrary: fc.constant(undefined) });
const vault = fc.constantFrom('a', 'b', 'vault-ü', '😀', '\uffff');
const side = fc.constantFrom('buy', 'sell', 'hold') as fc.Arbitrary<'buy' | 'sell'>;
const status = fc.constantFrom('pending', 'open', 'filled', 'cancelled', 'rejected', 'failed', 'done') as fc.Arbitrary<HedgeOrderRow['status']>;
const nullable = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null });

const journalArb: fc.Arbitrary<JournalRow> = fc.record({
  vaultId: vault, seq: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 2.5) }),
  at: int, eventType: text, event: json, fromState: fc.constantFrom('neutral', 'hedging'), toState: fc.constantFrom('neutral', 'hedging'),
  deltaBtc: num, priceUsd: num, hedgeBandBtc: num, reason: text, source: nullable(text), sourceOffset: nullable(int), recordedAt: int,
  machineVersion: fc.integer({ min: 1, max: 3 }),
});
const snapshotArb: fc.Arbitrary<SnapshotRow> = fc.record({ vaultId: vault, seq: fc.nat(9), machineVersion: fc.nat(3), snapshot: json });
const fillArb: fc.Arbitrary<FillRow> = fc.record({
  fillId: fc.constantFrom('f1', 'f2', 'f3', 'f4', 'F1'), vaultId: vault, instrument: text, side, qty: num, priceUsd: num, at: int, seq: fc.nat(9),
});
const orderArb: fc.Arbitrary<HedgeOrderRow> = fc.record({
  clientOrderId: fc.constantFrom('o1', 'o2', 'O1', 'ö'), vaultId: vault, side, sizeBtc: num, limitPriceUsd: num, createdAt: fc.integer({ min: 0, max: 3 }),
  status, filledBtc: num, avgPriceUsd: num, feeUsd: num, updatedAt: int, reason: nullable(text),
});
const rejectedArb: fc.Arbitrary<RejectedInputRow> = fc.record({
  source: text, reason: fc.constantFrom('nan-price', 'out-of-order', 'Z', 'é'), detail: text, payload: text, at: nullable(int), sourceOffset: nullable(int), recordedAt: int,
});
const batchArb: fc.Arbitrary<CommitBatch> = fc.record({
  journal: fc.array(journalArb, { maxLength: 4 }), snapshots: fc.array(snapshotArb, { maxLength: 2 }), fills: fc.array(fillArb, { maxLength: 2 }),
  hedgeOrders: fc.array(orderArb, { maxLength: 2 }), rejected: fc.array(rejectedArb, { maxLength: 2 }),
  offsets: fc.array(fc.record({ source: fc.constantFrom('p', 'f', 'P'), offset: int }), { maxLength: 2 }),
});
// Decisions as the engine makes them (valid rows of new keys), and any rows at all.
const decisionArb = fc.record({ vaultId: vault, n: fc.integer({ min: 1, max: 3 }), price: fc.double({ min: 1, max: 1e5, noNaN: true }), fill: fc.boolean() });
const opArb = fc.oneof(
  { weight: 4, arbitrary: batchArb.map((b) => ({ kind: 'commit' as const, b })) },
  { weight: 1, arbitrary: decisionArb.map((d) => ({ kind: 'decision' as const, d })) },
  { weight: 1, arbitrary: batchArb.map((b) => ({ kind: 'any decision' as const, b: { ...b, snapshots: [], rejected: [], offsets: [] } })) },
);

/** Every read of the port, with arguments that exercise its filters. */
async function reads(s: JournalStore): Promise<unknown> {
  const vaults = ['a', 'b', 'vault-ü', '😀', '\uffff', 'none'];
  return {
    journal: await s.readJournal({}),
    since: await s.readJournal({ sinceSeq: 2, limit: 3 }),
    limit0: await s.readJournal({ limit: 0 }),
    perVault: await Promise.all(vaults.map(async (v) => [await s.journalTail(v, 1), await s.readJournal({ vaultId: v, limit: 2 }), await s.lastTransition(v), await s.fillsOf(v), await s.hedgeOrders(v)])),
    snapshots: await s.latestSnapshots(),
    vaultIds: await s.vaultIds(),
    known: [...await s.knownFillIds(['f1', 'F1', 'f4', 'zz', 'f1'])].sort(),
    open: await s.openHedgeOrders(),
    orders: await s.hedgeOrders(),
    offsets: await s.sourceOffsets(),
    counts: await s.rejectedCounts(),
    rejected: await s.rejectedInputs(),
    lastTwo: await s.rejectedInputs(2),
    pending: await s.pendingDecisions(),
  };
}

async function outcome(p: Promise<void>): Promise<string> {
  return p.then(() => 'ok', (e: unknown) => (e instanceof StorageError ? `refused: ${e.kind}` : `threw: ${String(e)}`));
}

describe('MemoryJournalStore against SqliteJournalStore', () => {
  it('accepts and refuses the same batches and reads back the same rows in the same order', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
      const sqlite = await SqliteJournalStore.open({ path: ':memory:' });
      const memory = new MemoryJournalStore();
      try {
        let decisionNo = 0;
        for (const op of ops) {
          if (op.kind === 'commit') {
            expect(await outcome(memory.commit(op.b))).toBe(await outcome(sqlite.commit(op.b)));
          } else if (op.kind === 'any decision') {
            expect(await outcome(memory.commitDecision(op.b))).toBe(await outcome(sqlite.commitDecision(op.b)));
          } else {
            // Seqs far above the generated ones and fresh fill ids: a decision never collides.
            const no = ++decisionNo;
            const rows = Array.from({ length: op.d.n }, (_, i): JournalRow => ({
              vaultId: op.d.vaultId, seq: 1000 * no + i, at: no, eventType: 'hedge.requested', event: { no, i }, fromState: 'overexposed', toState: 'hedging',
              deltaBtc: 3, priceUsd: op.d.price, hedgeBandBtc: 2.5, reason: 'band', source: null, sourceOffset: null, recordedAt: no, machineVersion: 3,
            }));
            const fills: FillRow[] = op.d.fill ? [{ fillId: `d${no}`, vaultId: op.d.vaultId, instrument: 'BTC-PERP', side: 'sell', qty: 1, priceUsd: op.d.price, at: no, seq: 1000 * no }] : [];
            const b: CommitBatch = { journal: rows, snapshots: [], fills, hedgeOrders: [], rejected: [], offsets: [] };
            expect(await outcome(memory.commitDecision(b))).toBe(await outcome(sqlite.commitDecision(b)));
          }
          expect(await reads(memory)).toEqual(await reads(sqlite));
        }
      } finally {
        await sqlite.close();
        await memory.close();
      }
    }), { numRuns: 150 });
  }, 60_000);

  it('has the schema\'s columns, integer affinity and NOT NULL constraints', async () => {
    const conn = await openDatabase({ path: ':memory:' });
    try {
      for (const t of Object.values(MEMORY_TABLES)) {
        const info = await conn.all<{ name: string; type: string; notnull: number; pk: number }>(`PRAGMA table_info(${t.name})`);
        // rejected_inputs.id is the rowid: the store keeps that order itself.
        const cols = info.filter((c) => !(c.name === 'id' && c.pk === 1));
        expect(new Set(cols.map((c) => c.name))).toEqual(new Set(t.columns));
        expect(new Set(cols.filter((c) => c.type === 'INTEGER').map((c) => c.name))).toEqual(t.integer);
        expect(new Set(cols.filter((c) => c.notnull === 0 && c.pk === 0).map((c) => c.name))).toEqual(t.nullable);
      }
    } finally {
      await conn.close();
    }
  });

  it('orders text as SQLite\'s BINARY collation does (UTF-8 bytes)', () => {
    const words = ['a', 'B', 'é', '\uffff', '😀', '\ue000', 'ab', '', '\u0000'];
    const utf8 = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(compareBinary)).toEqual(utf8);
  });
});
