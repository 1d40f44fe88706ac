// HedgeFirst's rows and its one trigger: a vault's pending rows move out of the shared batch in
// order, other vaults' rows stay, a burst of take() calls starts one commit, after the burst,
// and written() settles when that commit does (controlled promises, no timing).
import { describe, expect, it } from 'vitest';
import { HedgeFirst, type Head } from '../../../src/engine/hedgeFirst.ts';
import { batch, fillRow, hedgeOrderRow, journalRow } from '../../integration/storage/storageFixtures.ts';

const head = (seq: number): Head => ({ state: 'hedging', context: {} as Head['context'], seq });
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('HedgeFirst', () => {
  it('moves every pending row of the vault, in order, and leaves the others in the shared batch', () => {
    const hf = new HedgeFirst(() => Promise.resolve());
    const shared = batch({
      journal: [journalRow('a', 1), journalRow('b', 1), journalRow('a', 2)],
      fills: [fillRow('f-1', 'b', 1), fillRow('f-2', 'a', 2)],
      hedgeOrders: [hedgeOrderRow('a-1', 'a')],
    });
    hf.take('a', shared, head(2));
    expect(hf.pending).toBe(true);
    expect(shared.journal.map((r) => `${r.vaultId}#${r.seq}`)).toEqual(['b#1']);
    expect(shared.fills.map((f) => f.fillId)).toEqual(['f-1']);
    expect(shared.hedgeOrders).toEqual([]);
    const { batch: part, heads } = hf.drain();
    expect(part.journal.map((r) => `${r.vaultId}#${r.seq}`)).toEqual(['a#1', 'a#2']);
    expect(part.fills.map((f) => f.fillId)).toEqual(['f-2']);
    expect(part.hedgeOrders.map((o) => o.clientOrderId)).toEqual(['a-1']);
    expect(part.snapshots).toEqual([]);
    expect(part.offsets).toEqual([]);
    expect([...heads.keys()]).toEqual(['a']);
    expect(hf.pending).toBe(false);
    hf.cancel();
  });

  it('a burst of decisions starts one commit, once the burst is over', async () => {
    let commits = 0;
    const hf = new HedgeFirst(() => { commits++; return Promise.resolve(); });
    const shared = batch({ journal: [journalRow('a', 1), journalRow('b', 1)] });
    hf.take('a', shared, head(1));
    hf.take('b', shared, head(1));
    expect(commits).toBe(0);
    // Right after the burst, before any timer or I/O callback (one microtask).
    await Promise.resolve();
    expect(commits).toBe(1);
    await turn();
    expect(commits).toBe(1);
    hf.take('a', batch({}), head(2));
    await turn();
    expect(commits).toBe(2);
  });

  it('written() settles once the commit the trigger started is over, at once when nothing waits', async () => {
    let finish!: () => void;
    const hf = new HedgeFirst(() => new Promise<void>((r) => { finish = r; }));
    let settled = false;
    await hf.written();
    hf.take('a', batch({ journal: [journalRow('a', 1)] }), head(1));
    const w = hf.written().then(() => { settled = true; });
    await turn(); // the trigger fired: the commit is under way
    await Promise.resolve();
    expect(settled).toBe(false);
    finish();
    await w;
    expect(settled).toBe(true);
  });
});
