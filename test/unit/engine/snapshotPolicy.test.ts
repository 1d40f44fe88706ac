// Which snapshots a commit writes: 'recovery' (every N events and on every state change) and
// 'at-stop' (a journal no one recovers from: the first one and the stop's only).
import { describe, expect, it } from 'vitest';
import { SnapshotPolicy } from '../../../src/engine/snapshotPolicy.ts';
import { VaultRuntime } from '../../../src/engine/vaultRuntime.ts';
import { straddleVault, T0 } from '../../fixtures/vaults.ts';

/** A vault through a hedge decision (idle -> hedging) and more ticks; the seqs each commit sees. */
function run(every: number | null): { written: number[]; hedging: boolean } {
  const rt = VaultRuntime.create(straddleVault({ bands: { kind: 'fixed', quoteBtc: 0.3, hedgeBtc: 0.6, reentryBtc: 0.1, hardBtc: 5 } }));
  rt.seq = 1;
  const policy = new SnapshotPolicy(every, () => [rt]);
  const written: number[] = [];
  const commit = (): void => { for (const r of policy.rows([rt])) written.push(r.seq); };
  commit(); // genesis
  for (const [i, priceUsd] of [23_000, 23_010, 24_500, 24_510, 24_520].entries()) {
    if (rt.apply({ type: 'price.tick', at: T0 + (i + 1) * 60_000, priceUsd })) rt.seq += 1;
    commit();
  }
  policy.snapshotAll();
  commit(); // the clean stop's flush
  expect(policy.pending).toBe(false);
  return { written, hedging: rt.state === 'hedging' };
}

describe('SnapshotPolicy', () => {
  it("'recovery' snapshots the first commit, every state change and every N events", () => {
    const r = run(2);
    expect(r.hedging).toBe(true);
    expect(r.written[0]).toBe(1);
    expect(r.written.length).toBeGreaterThan(2);
  });

  it("'at-stop' (every null) snapshots the first commit and the stop only, whatever the state changes", () => {
    const r = run(null);
    expect(r.hedging).toBe(true);
    const last = run(2).written.at(-1);
    expect(r.written).toEqual([1, last]);
  });
});
