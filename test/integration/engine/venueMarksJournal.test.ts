// The venue-mark events (vol.marked, mmp.triggered, account.marked) are journaled like every
// machine event, in the real SQLite store, and replay exactly: an inverse vault's journal (its
// account marked, its vols marked, its quotes frozen, a hedge filled in USD notional) folds from
// genesis and recovers from a snapshot plus its tail to the very vault that wrote it; verify passes.
import { describe, expect, it } from 'vitest';
import type { VaultEvent, VaultInput } from '../../../machines/vault.types.ts';
import { emptyBatch, type JournalRow, type SnapshotRow } from '../../../storage/journalStore.ts';
import { genesisRow, journalRow } from '../../../src/engine/journalRows.ts';
import { foldRows, recoverVault } from '../../../src/engine/recovery.ts';
import { VaultRuntime } from '../../../src/engine/vaultRuntime.ts';
import { verifyJournal } from '../../../src/engine/verifyJournal.ts';
import { memoryStore } from '../../fixtures/engineHarness.ts';
import { straddleVault, T0 } from '../../fixtures/vaults.ts';

const CALL = 'BTC-31MAR23-23000-C';
const PUT = 'BTC-31MAR23-23000-P';
const base = straddleVault({ account: { kind: 'inverse' } }, 'd');
const input: VaultInput = base;
const at = (s: number): number => T0 + s * 1_000;
const marks = [{ instrument: CALL, markPriceBtc: 0.06 }, { instrument: PUT, markPriceBtc: 0.05 }];

const events: VaultEvent[] = [
  { type: 'price.tick', at: at(1), priceUsd: 23_000 },
  // Short a straddle (options delta -0.69) on 4 BTC of equity, no perp: 4 - 0.69 + 10 x (0.06 + 0.05) = 4.41 BTC, past the 3 BTC band.
  { type: 'account.marked', at: at(2), equityBtc: 4, perpUsd: 0, marksBtc: marks },
  { type: 'hedge.accepted', at: at(3), clientOrderId: 'd-1' },
  { type: 'mmp.triggered', at: at(4), frozenUntil: at(34) },
  { type: 'vol.marked', at: at(5), vols: [{ instrument: CALL, volPerYear: 0.65 }, { instrument: 'BTC-31MAR23-40000-C', volPerYear: 0.9 }] },
  { type: 'hedge.filled', at: at(6), clientOrderId: 'd-1', filledBtc: 4.411, avgPriceUsd: 23_010, feeUsd: 3, final: true },
  { type: 'price.tick', at: at(40), priceUsd: 23_100 },
  { type: 'vol.marked', at: at(41), vols: [{ instrument: PUT, volPerYear: 0.7 }] },
  { type: 'fill.received', at: at(42), fillId: 'f1', instrument: 'BTC-31MAR23-25000-C', side: 'buy', qty: 1, priceUsd: 400 },
  { type: 'account.marked', at: at(43), equityBtc: 4.01, perpUsd: -101_500, marksBtc: [...marks, { instrument: 'BTC-31MAR23-25000-C', markPriceBtc: 0.017 }] },
  { type: 'price.tick', at: at(44), priceUsd: 23_050 },
];

function journal(): { rows: JournalRow[]; snapshot: SnapshotRow; end: VaultRuntime } {
  const rt = VaultRuntime.create(input);
  rt.seq = 1;
  const rows: JournalRow[] = [genesisRow(input, rt, T0, 0)];
  let snapshot: SnapshotRow | undefined;
  for (const ev of events) {
    const a = rt.apply(ev);
    if (!a) throw new Error(`${ev.type} at ${ev.at} changed nothing`);
    rows.push(journalRow(a, null, 0));
    if (ev.type === 'vol.marked' && snapshot === undefined) snapshot = { vaultId: 'd', seq: rt.seq, machineVersion: rt.version, snapshot: rt.persisted() };
  }
  return { rows, snapshot: snapshot as SnapshotRow, end: rt };
}

describe('venue marks in the journal', () => {
  const { rows, snapshot, end } = journal();

  it('journals each event with the state it left the vault in and a reason that says what it did', () => {
    expect(rows.map((r) => [r.eventType, r.toState])).toEqual([
      ['vault.created', 'neutral'], ['price.tick', 'neutral'], ['account.marked', 'hedging'], ['hedge.accepted', 'hedging'],
      ['mmp.triggered', 'hedging'], ['vol.marked', 'hedging'], ['hedge.filled', 'cooldown'], ['price.tick', 'cooldown'],
      ['vol.marked', 'cooldown'], ['fill.received', 'cooldown'], ['account.marked', 'cooldown'], ['price.tick', 'cooldown'],
    ]);
    expect(rows[4]?.reason).toBe('MMP triggered: quotes frozen until 2023-03-01T00:00:34.000Z, hedging goes on');
    expect(rows[5]?.reason).toMatch(/^venue vols: BTC-31MAR23-23000-C 65\.00%; delta -?\d+\.\d{3}$/);
    expect(rows[10]?.reason).toMatch(/^account marked: equity 4\.0100 BTC, perp -101500 USD, 3 option marks; delta/);
    expect(end.context.quotesFrozenUntil).toBe(at(34));
    expect(end.context.book.map((l) => l.volPerYear)).toEqual([0.65, 0.7, undefined]);
    expect(end.context.accountMarks?.perpUsd).toBe(-101_500);
  });

  it('folds from genesis and recovers from a snapshot plus its tail to the very vault that wrote it; verify passes', async () => {
    const folded = foldRows(null, rows);
    expect(folded.context).toEqual(end.context);
    expect(folded.state).toBe(end.state);
    folded.stop();
    const store = await memoryStore();
    await store.commit({ ...emptyBatch(), journal: rows, snapshots: [snapshot] });
    expect((await store.readJournal({})).map((r) => r.event)).toEqual(rows.map((r) => r.event));
    const r = await recoverVault(store, 'd', (await store.latestSnapshots())[0]);
    expect(r).toMatchObject({ from: 'snapshot', tailEvents: rows.length - snapshot.seq });
    expect(r?.runtime.context).toEqual(end.context);
    r?.runtime.stop();
    const verified = await verifyJournal(store);
    expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true });
    await store.close();
    end.stop();
  });
});
