// Row builders and temp-dir helpers shared by the storage tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CommitBatch, FillRow, HedgeOrderRow, JournalRow, RejectedInputRow, SnapshotRow,
} from '../../../storage/journalStore.ts';

export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'omm-storage-'));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function batch(parts: Partial<CommitBatch>): CommitBatch {
  return { journal: [], snapshots: [], fills: [], hedgeOrders: [], rejected: [], offsets: [], ...parts };
}

export function journalRow(vaultId: string, seq: number, over: Partial<JournalRow> = {}): JournalRow {
  return {
    vaultId, seq, at: 1_677_628_800_000 + seq * 60_000, eventType: 'price.tick',
    event: { type: 'price.tick', at: 1_677_628_800_000 + seq * 60_000, priceUsd: 23_000.5 + seq, nested: { ok: true, list: [1, 2.5, 'x'] } },
    fromState: 'neutral', toState: seq % 2 === 0 ? 'overexposed' : 'neutral',
    deltaBtc: 3.2 + seq / 7, priceUsd: 23_000.5 + seq, hedgeBandBtc: 3,
    reason: 'delta 3.20 >= hedge band 3.00', source: 'prices:btcusdt.csv', sourceOffset: seq * 10,
    recordedAt: 1_764_000_000_000 + seq, machineVersion: 2, ...over,
  };
}

export function snapshotRow(vaultId: string, seq: number): SnapshotRow {
  return { vaultId, seq, machineVersion: 1, snapshot: { value: 'neutral', context: { vaultId, seq, deltaBtc: 0.25 } } };
}

export function fillRow(fillId: string, vaultId: string, seq: number): FillRow {
  return { fillId, vaultId, instrument: 'BTC-31MAR23-25000-C', side: 'sell', qty: 1.5, priceUsd: 812.25, at: 1_677_628_800_000 + seq, seq };
}

export function hedgeOrderRow(clientOrderId: string, vaultId: string, over: Partial<HedgeOrderRow> = {}): HedgeOrderRow {
  return {
    clientOrderId, vaultId, side: 'sell', sizeBtc: 3.2, limitPriceUsd: 22_950, createdAt: 1_677_628_860_000,
    status: 'pending', filledBtc: 0, avgPriceUsd: 0, feeUsd: 0, updatedAt: 1_677_628_860_000, reason: null, ...over,
  };
}

export function rejectedRow(reason: string, over: Partial<RejectedInputRow> = {}): RejectedInputRow {
  return {
    source: 'prices:btcusdt.csv', reason, detail: `refused: ${reason}`, payload: '2023-03-01 00:00:00+00:00,NaN',
    at: null, sourceOffset: 17, recordedAt: 1_764_000_000_000, ...over,
  };
}
