// Turns what a vault applied into the rows one commit writes: the journal row, the hedge
// order row when the in-flight order changed, and the fill row for a booked option fill.
import type { HedgeOrder, VaultContext, VaultEvent, VaultInput } from '../../machines/vault.types.ts';
import type { FillRow, HedgeOrderRow, HedgeOrderStatus, JournalRow } from '../../storage/journalStore.ts';
import { GENESIS_EVENT } from './recovery.ts';
import type { Applied, VaultRuntime } from './vaultRuntime.ts';

export interface SourceRef {
  source: string;
  offset: number;
}

/** The first row of a new vault: its input, so the journal alone rebuilds it. */
export function genesisRow(input: VaultInput, rt: VaultRuntime, at: number, recordedAt: number): JournalRow {
  return {
    vaultId: input.vaultId, seq: 1, at, eventType: GENESIS_EVENT, event: input, fromState: '', toState: rt.state,
    deltaBtc: rt.context.greeks.netBtc, priceUsd: 0, hedgeBandBtc: rt.context.bands.hedgeBtc,
    reason: `vault created with ${input.book.length} option series`, source: null, sourceOffset: null, recordedAt,
    machineVersion: rt.version,
  };
}

export function journalRow(a: Applied, src: SourceRef | null, recordedAt: number): JournalRow {
  return {
    vaultId: a.vaultId,
    seq: a.seq,
    at: a.event.at,
    eventType: a.event.type,
    event: a.event,
    fromState: a.from,
    toState: a.to,
    deltaBtc: a.context.greeks.netBtc,
    priceUsd: a.context.spotUsd,
    hedgeBandBtc: a.context.bands.hedgeBtc,
    reason: a.reason,
    source: src?.source ?? null,
    sourceOffset: src?.offset ?? null,
    recordedAt,
    machineVersion: a.machineVersion,
  };
}

function orderRow(vaultId: string, o: HedgeOrder, status: HedgeOrderStatus, updatedAt: number, reason: string | null): HedgeOrderRow {
  return {
    clientOrderId: o.clientOrderId, vaultId, side: o.side, sizeBtc: o.sizeBtc, limitPriceUsd: o.limitPriceUsd,
    createdAt: o.createdAt, status, filledBtc: o.filledBtc, avgPriceUsd: o.avgPriceUsd, feeUsd: o.feeUsd,
    updatedAt, reason,
  };
}

/** The hedge order rows this event wrote: an update of the order it reported on, and/or a
 * newly created order (a fill that ends one hedge can start the next, e.g. the emergency
 * bypass right after a cooldown begins). */
export function hedgeOrderRows(before: VaultContext | null, a: Applied): HedgeOrderRow[] {
  const prev = before?.inFlight ?? null;
  const next = a.context.inFlight;
  const ev = a.event;
  const rows: HedgeOrderRow[] = [];
  if (prev && 'clientOrderId' in ev && ev.clientOrderId === prev.clientOrderId) {
    const row = updatedOrderRow(a.vaultId, prev, next, ev);
    if (row) rows.push(row);
  }
  if (next && (!prev || prev.clientOrderId !== next.clientOrderId)) {
    rows.push(orderRow(a.vaultId, next, 'pending', ev.at, next.reason));
  }
  return rows;
}

function updatedOrderRow(vaultId: string, prev: HedgeOrder, next: HedgeOrder | null, ev: VaultEvent): HedgeOrderRow | null {
  switch (ev.type) {
    case 'hedge.accepted':
      return orderRow(vaultId, next && next.clientOrderId === prev.clientOrderId ? next : prev, 'open', ev.at, null);
    case 'hedge.filled': {
      const o: HedgeOrder = { ...prev, filledBtc: ev.filledBtc, avgPriceUsd: ev.avgPriceUsd, feeUsd: ev.feeUsd };
      const partial = ev.final && ev.filledBtc + 1e-12 < prev.sizeBtc;
      const status: HedgeOrderStatus = !ev.final ? 'open' : partial ? 'cancelled' : 'filled';
      return orderRow(vaultId, o, status, ev.at, partial ? 'partial fill, IOC remainder cancelled' : null);
    }
    case 'hedge.rejected':
      return orderRow(vaultId, prev, 'rejected', ev.at, ev.reason);
    case 'hedge.failed':
      return orderRow(vaultId, prev, 'failed', ev.at, ev.reason);
    default:
      return null;
  }
}

export function fillRow(a: Applied): FillRow | null {
  const ev = a.event;
  if (ev.type !== 'fill.received') return null;
  return {
    fillId: ev.fillId, vaultId: a.vaultId, instrument: ev.instrument, side: ev.side, qty: ev.qty,
    priceUsd: ev.priceUsd, at: ev.at, seq: a.seq,
  };
}
