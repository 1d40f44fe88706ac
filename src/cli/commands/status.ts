// `omm-hedger status --db FILE [--config FILE] [--json]`: each vault's state, delta, perp and
// option positions, PnL (option, hedge, fees, funding, total) and book risk (gamma, vega,
// theta), last transition and hedge orders not final, from the committed database.
import type { Command } from 'commander';
import type { VaultContext } from '../../../machines/vault.types.ts';
import type { CommitBatch, JournalStore } from '../../../storage/journalStore.ts';
import { bookRisk, type BookRisk } from '../../domain/bookRisk.ts';
import type { FundingTerms } from '../../domain/fundingAccrual.ts';
import { VaultLedger, type VaultPnl } from '../../engine/vaultLedger.ts';
import { loadVaultStates } from '../../engine/vaultStates.ts';
import { fundingTermsOfConfig } from '../compose/fundingTerms.ts';
import { openJournal } from '../compose/openStore.ts';
import { demoConfig } from '../config/demoConfig.ts';
import { loadConfigFile, validateConfig } from '../config/loadConfig.ts';

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
  /** PnL since the vault's first price, USD (null before it); fundingUsd null when the venue's funding is not modelled. */
  pnl: VaultPnl | null;
  /** The book's greeks: model units and trader's units (gammaBtcPerPct, vegaUsdPerVolPt, thetaUsdPerDay). */
  risk: BookRisk | null;
  lastTransition: { seq: number; at: number; from: string; to: string; event: string; reason: string } | null;
  openHedgeOrders: { clientOrderId: string; side: string; sizeBtc: number; filledBtc: number; status: string; createdAt: number }[];
  /**
   * Hedge decisions durable in the lane log but not yet in the tables, oldest first: a crash
   * left them (the next `run` writes them in before anything else, and looks their orders up at
   * the venue by client id before it would place one) or the running engine's last few ms. The
   * state, seq and orders above do not include them yet.
   */
  pendingDecisions: { seqs: number[]; toState: string | null; orders: { clientOrderId: string; side: string; sizeBtc: number; status: string }[] }[];
}

/** One vault's share of the decisions the lane log holds (see VaultStatus.pendingDecisions). */
function pendingOf(vaultId: string, decisions: readonly CommitBatch[]): VaultStatus['pendingDecisions'] {
  const out: VaultStatus['pendingDecisions'] = [];
  for (const d of decisions) {
    const rows = d.journal.filter((r) => r.vaultId === vaultId);
    const orders = d.hedgeOrders.filter((o) => o.vaultId === vaultId);
    if (rows.length === 0 && orders.length === 0) continue;
    out.push({
      seqs: rows.map((r) => r.seq), toState: rows.at(-1)?.toState ?? null,
      orders: orders.map((o) => ({ clientOrderId: o.clientOrderId, side: o.side, sizeBtc: o.sizeBtc, status: o.status })),
    });
  }
  return out;
}

export async function collectStatus(store: JournalStore, funding: FundingTerms | null = null): Promise<VaultStatus[]> {
  const open = await store.openHedgeOrders();
  const pending = await store.pendingDecisions();
  const out: VaultStatus[] = [];
  for (const s of await loadVaultStates(store)) {
    const c = s.context;
    const r = await store.lastTransition(s.vaultId);
    const last: VaultStatus['lastTransition'] = r ? { seq: r.seq, at: r.at, from: r.fromState, to: r.toState, event: r.eventType, reason: r.reason } : null;
    const ledger = await VaultLedger.load(store, s.vaultId, c, s.seq, funding);
    out.push({
      vaultId: s.vaultId, state: s.state, seq: s.seq, spotUsd: c.spotUsd, lastEventAt: c.lastAt,
      deltaBtc: c.greeks.netBtc, optionsDeltaBtc: c.greeks.optionsBtc, perpBtc: c.perpBtc, bands: c.bands,
      cashUsd: c.cashUsd, haltReason: c.haltReason,
      options: c.book.filter((l) => l.qty !== 0).map((l) => ({ instrument: l.instrument, qty: l.qty })),
      pnl: ledger.pnl(c),
      risk: c.spotUsd > 0 ? bookRisk(c.book, c.spotUsd, c.lastAt, c.config.ratePerYear, c.config.vol) : null,
      lastTransition: last,
      openHedgeOrders: open.filter((o) => o.vaultId === s.vaultId).map((o) => ({ clientOrderId: o.clientOrderId, side: o.side, sizeBtc: o.sizeBtc, filledBtc: o.filledBtc, status: o.status, createdAt: o.createdAt })),
      pendingDecisions: pendingOf(s.vaultId, pending),
    });
  }
  return out;
}

const usd = (x: number): string => `${x < 0 ? '-' : '+'}${Math.abs(Math.round(x)).toLocaleString('en-US')}`;

function formatPnl(p: VaultPnl | null): string {
  if (!p) return '  PnL: no price yet';
  const funding = p.fundingUsd === null ? 'funding not modelled for this venue' : `funding ${usd(-p.fundingUsd)}`;
  return `  PnL since ${new Date(p.sinceAt).toISOString()} (spot ${p.sinceSpotUsd.toFixed(2)}): option ${usd(p.optionUsd)} USD, hedge ${usd(p.hedgeUsd)} USD (fees ${usd(-p.feesUsd)}, ${funding}), total ${usd(p.totalUsd)} USD`;
}

function formatRisk(r: BookRisk | null): string {
  if (!r) return '  book: no price yet';
  const sgn = (x: number, d: number): string => `${x < 0 ? '-' : '+'}${Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })}`;
  return `  book: gamma ${sgn(r.gammaBtcPerPct, 3)} BTC per 1% move, vega ${sgn(r.vegaUsdPerVolPt, 0)} USD per vol point, theta ${sgn(r.thetaUsdPerDay, 0)} USD per day`;
}

function formatStatus(v: VaultStatus): string {
  const lines = [
    `${v.vaultId}  ${v.state}${v.haltReason ? ` (${v.haltReason})` : ''}  seq ${v.seq}  at ${new Date(v.lastEventAt).toISOString()}`,
    `  spot ${v.spotUsd.toFixed(2)} USD  delta ${v.deltaBtc.toFixed(4)} BTC (options ${v.optionsDeltaBtc.toFixed(4)}, perp ${v.perpBtc.toFixed(4)})  bands quote ${v.bands.quoteBtc.toFixed(3)} hedge ${v.bands.hedgeBtc.toFixed(3)} re-entry ${v.bands.reentryBtc.toFixed(3)}`,
    `  options: ${v.options.map((o) => `${o.instrument} ${o.qty > 0 ? '+' : ''}${o.qty}`).join(', ') || 'none'}`,
    formatPnl(v.pnl),
    formatRisk(v.risk),
    `  last transition: ${v.lastTransition ? `#${v.lastTransition.seq} ${v.lastTransition.from} -> ${v.lastTransition.to} on ${v.lastTransition.event}: ${v.lastTransition.reason}` : 'none'}`,
    `  hedge orders not final: ${v.openHedgeOrders.map((o) => `${o.clientOrderId} ${o.side} ${o.sizeBtc} (${o.status})`).join(', ') || 'none'}`,
  ];
  for (const d of v.pendingDecisions) {
    const seqs = d.seqs.length === 0 ? '' : ` #${d.seqs[0]}${d.seqs.length > 1 ? `-${d.seqs.at(-1)}` : ''}${d.toState === null ? '' : ` -> ${d.toState}`}`;
    const orders = d.orders.map((o) => `${o.clientOrderId} ${o.side} ${o.sizeBtc} (${o.status})`).join(', ') || 'no order';
    lines.push(`  decided, not yet in the tables (lane log; the next run writes it in first and looks its orders up at the venue):${seqs}, ${orders}`);
  }
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('status')
    .description("each vault's state, delta, positions, last transition and open hedge orders")
    .requiredOption('--db <file>', 'SQLite journal')
    .option('--config <file>', 'the run\'s config (its venue sets the funding model; default: the embedded demo, the simulated venue)')
    .option('--json', 'machine-readable output (stable; no wall-clock fields)')
    .action(async (o: { db: string; config?: string; json?: boolean }) => {
      const cfg = o.config !== undefined ? loadConfigFile(o.config) : validateConfig(demoConfig(), '(embedded demo)');
      const store = await openJournal(o.db, { create: false });
      try {
        const vaults = await collectStatus(store, fundingTermsOfConfig(cfg.venue));
        process.stdout.write(o.json ? `${JSON.stringify({ vaults }, null, 2)}\n` : `${vaults.map(formatStatus).join('\n\n')}\n`);
      } finally {
        await store.close();
      }
    });
}
