// `omm-hedger status --db FILE [--json]`: each vault's state, delta, perp position, option
// positions, last transition and hedge orders not final, from the committed database.
import type { Command } from 'commander';
import type { VaultContext } from '../../../machines/vault.types.ts';
import type { JournalStore } from '../../../storage/journalStore.ts';
import { loadVaultStates } from '../../engine/vaultStates.ts';
import { openJournal } from '../compose/openStore.ts';

export interface VaultStatus {
  vaultId: string;
  state: string;
  seq: number;
  spotUsd: number;
  lastEventAt: number;
  deltaBtc: number;
  optionsDeltaBtc: number;
  perpBtc: number;
  bands: VaultContext['bands'];
  cashUsd: number;
  haltReason: string | null;
  options: { instrument: string; qty: number }[];
  lastTransition: { seq: number; at: number; from: string; to: string; event: string; reason: string } | null;
  openHedgeOrders: { clientOrderId: string; side: string; sizeBtc: number; filledBtc: number; status: string; createdAt: number }[];
}

export async function collectStatus(store: JournalStore): Promise<VaultStatus[]> {
  const open = await store.openHedgeOrders();
  const out: VaultStatus[] = [];
  for (const s of await loadVaultStates(store)) {
    const c = s.context;
    const r = await store.lastTransition(s.vaultId);
    const last: VaultStatus['lastTransition'] = r ? { seq: r.seq, at: r.at, from: r.fromState, to: r.toState, event: r.eventType, reason: r.reason } : null;
    out.push({
      vaultId: s.vaultId, state: s.state, seq: s.seq, spotUsd: c.spotUsd, lastEventAt: c.lastAt,
      deltaBtc: c.greeks.netBtc, optionsDeltaBtc: c.greeks.optionsBtc, perpBtc: c.perpBtc, bands: c.bands,
      cashUsd: c.cashUsd, haltReason: c.haltReason,
      options: c.book.filter((l) => l.qty !== 0).map((l) => ({ instrument: l.instrument, qty: l.qty })),
      lastTransition: last,
      openHedgeOrders: open.filter((o) => o.vaultId === s.vaultId).map((o) => ({ clientOrderId: o.clientOrderId, side: o.side, sizeBtc: o.sizeBtc, filledBtc: o.filledBtc, status: o.status, createdAt: o.createdAt })),
    });
  }
  return out;
}

function formatStatus(v: VaultStatus): string {
  const lines = [
    `${v.vaultId}  ${v.state}${v.haltReason ? ` (${v.haltReason})` : ''}  seq ${v.seq}  at ${new Date(v.lastEventAt).toISOString()}`,
    `  spot ${v.spotUsd.toFixed(2)} USD  delta ${v.deltaBtc.toFixed(4)} BTC (options ${v.optionsDeltaBtc.toFixed(4)}, perp ${v.perpBtc.toFixed(4)})  bands quote ${v.bands.quoteBtc.toFixed(3)} hedge ${v.bands.hedgeBtc.toFixed(3)} re-entry ${v.bands.reentryBtc.toFixed(3)}`,
    `  options: ${v.options.map((o) => `${o.instrument} ${o.qty > 0 ? '+' : ''}${o.qty}`).join(', ') || 'none'}`,
    `  last transition: ${v.lastTransition ? `#${v.lastTransition.seq} ${v.lastTransition.from} -> ${v.lastTransition.to} on ${v.lastTransition.event}: ${v.lastTransition.reason}` : 'none'}`,
    `  hedge orders not final: ${v.openHedgeOrders.map((o) => `${o.clientOrderId} ${o.side} ${o.sizeBtc} (${o.status})`).join(', ') || 'none'}`,
  ];
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('status')
    .description("each vault's state, delta, positions, last transition and open hedge orders")
    .requiredOption('--db <file>', 'SQLite journal')
    .option('--json', 'machine-readable output (stable; no wall-clock fields)')
    .action(async (o: { db: string; json?: boolean }) => {
      const store = await openJournal(o.db, { create: false });
      try {
        const vaults = await collectStatus(store);
        process.stdout.write(o.json ? `${JSON.stringify({ vaults }, null, 2)}\n` : `${vaults.map(formatStatus).join('\n\n')}\n`);
      } finally {
        await store.close();
      }
    });
}
