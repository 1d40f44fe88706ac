// One Deribit account as the engine uses it: one DeribitSession shared by the perp hedge
// venue (BTC-PERPETUAL) and the options book. Opened in order (mainnet gate, the 0600
// credentials file, session, hedge venue, book) and closed in reverse after pulling every
// option quote: cancel all, book, hedge venue, session. A failed open closes what it opened.
import type { RunConfig } from '../config/configSchema.ts';
import type { DeribitHedgeVenue } from '../../venues/deribit/deribitHedgeVenue.ts';
import type { DeribitOptionsBook } from '../../venues/deribit/deribitOptionsBook.ts';
import type { DeribitSession } from '../../venues/deribit/deribitSession.ts';
import { CliError } from '../cliError.ts';
import { loadCredentialsFile } from './credentialsFile.ts';
import { checkMainnetGate } from './mainnetGate.ts';

export type DeribitVenueConfig = Extract<RunConfig['venue'], { kind: 'deribit' }>;

export interface DeribitAccount {
  session: DeribitSession;
  hedge: DeribitHedgeVenue;
  book: DeribitOptionsBook;
  /** Pulls every option quote, then closes the book, the hedge venue and the session (the first failure is rethrown once all are closed). */
  close(): Promise<void>;
  /** Closes the book, the hedge venue and the session, leaving the account's quotes alone (a read-only check). */
  release(): Promise<void>;
}

export interface DeribitAccountOptions {
  /** `run --live` (true/false: the mainnet gate applies); null for a read-only check (no gate). */
  live: boolean | null;
  /** Creation time of the oldest hedge the journal has not seen finish (its trades are indexed from there), unix ms. */
  historyFromMs?: number;
  /** Session events (connects, reconnects, refreshes): never carry secrets. */
  onEvent?: (e: unknown) => void;
  /** When a resting quote is amended (quotingOf: quote.amendTicks, quote.amendSizeShare); the book's defaults otherwise. */
  quoting?: { amendTicks: number; amendSizeShare: number };
}

/** The URL the account talks to, for messages (never the credentials). */
export function describeDeribit(cfg: DeribitVenueConfig): string {
  return `deribit ${cfg.perpInstrument} + BTC options ${cfg.testnet ? 'testnet' : 'MAINNET'}${cfg.wsUrl ? ` at ${cfg.wsUrl}` : ''}`;
}

export async function openDeribitAccount(cfg: DeribitVenueConfig, o: DeribitAccountOptions): Promise<DeribitAccount> {
  if (o.live !== null) checkMainnetGate({ mainnet: !cfg.testnet, live: o.live, what: 'venue deribit' });
  const raw = loadCredentialsFile(cfg.credentials, 'deribit credentials file');
  const creds = (typeof raw === 'object' && raw !== null ? raw : {}) as { clientId?: unknown; clientSecret?: unknown };
  // Loaded only when configured (ws and the adapter's schemas).
  const [{ parseDeribitConfig }, { DeribitSession }, { DeribitHedgeVenue }, { DeribitOptionsBook }] = await Promise.all([
    import('../../venues/deribit/config.ts'), import('../../venues/deribit/deribitSession.ts'),
    import('../../venues/deribit/deribitHedgeVenue.ts'), import('../../venues/deribit/deribitOptionsBook.ts'),
  ]);
  let session: DeribitSession | null = null;
  let hedge: DeribitHedgeVenue | null = null;
  try {
    // Its errors name the field, never a value: the secret is one.
    const sessionCfg = parseDeribitConfig({
      clientId: creds.clientId, clientSecret: creds.clientSecret, testnet: cfg.testnet, timeoutMs: cfg.timeoutMs, perpInstrument: cfg.perpInstrument,
      ...(cfg.apiUrl ? { apiUrl: cfg.apiUrl } : {}), ...(cfg.wsUrl ? { wsUrl: cfg.wsUrl } : {}),
      ...(cfg.credits ? { credits: cfg.credits } : {}),
    });
    session = await DeribitSession.connect(sessionCfg, o.onEvent ? { onEvent: o.onEvent } : {});
    hedge = await DeribitHedgeVenue.open(session, o.historyFromMs !== undefined ? { historyFromMs: o.historyFromMs } : {});
    const book = await DeribitOptionsBook.open(session, o.quoting ? { amendTicks: o.quoting.amendTicks, amendSizeShare: o.quoting.amendSizeShare } : {});
    const [s, h] = [session, hedge];
    return {
      session: s, hedge: h, book,
      close: () => closeInOrder([() => book.cancelAllQuotes(), () => book.close(), () => h.close(), () => s.close()]),
      release: () => closeInOrder([() => book.close(), () => h.close(), () => s.close()]),
    };
  } catch (err) {
    const s = session;
    const h = hedge;
    await closeInOrder([...(h ? [() => h.close()] : []), ...(s ? [() => s.close()] : [])]).catch(() => undefined);
    throw new CliError(`deribit venue: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
}

/** Runs every step even if one fails (a session left open would keep its socket); rethrows the first failure. */
async function closeInOrder(steps: readonly (() => Promise<unknown>)[]): Promise<void> {
  let first: Error | null = null;
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      first ??= err instanceof Error ? err : new Error(String(err));
    }
  }
  if (first !== null) throw first;
}
