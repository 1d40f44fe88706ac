// What a Deribit vault learns from its account besides trades, as journaled machine events:
// - vol.marked: the venue's mark IV per series (markprice.options.btc_usd, about once a second)
//   thinned by conflateVolMarks to at most one event a second carrying the series that moved;
// - account.marked (an inverse vault): equity, the perp's USD size and the options' BTC marks
//   from private/get_positions + get_account_summary, read once at start and every
//   accountEveryMs (the machine neither hedges nor quotes an inverse vault before the first);
// - mmp.triggered: market-maker protection froze quoting until a deadline.
// Each event is dispatched to the vault and committed like any other; the machine refuses what
// it cannot take (a bad vol, an account read older than a hedge), so nothing here decides.
import type { AccountMarked, VaultEvent } from '../../../machines/vault.types.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Logger } from '../../engine/engineTypes.ts';
import type { MmpTriggered as PublisherMmpTrigger } from '../../engine/quotePublisher.ts';
import { conflateVolMarks, initialVolMarkConflation, type VolMarkConflation } from '../../streams/conflateVolMarks.ts';
import type { BookPositions, OptionsBook } from '../../venues/optionsBook.ts';

export interface DeribitMarksOptions {
  engine: Engine;
  book: OptionsBook;
  vaultId: string;
  /** The vault's account is inverse (config.account): its account marks are read and journaled. */
  inverse: boolean;
  /** How often the account is read for account.marked, ms. */
  accountEveryMs: number;
  log: Logger;
  /** A failure that is not the venue's (a commit that failed): the run must stop. */
  onFatal: (err: unknown) => void;
}

export interface DeribitMarks {
  /** The quote publisher's MMP callback: journals mmp.triggered. */
  onMmpTrigger: (t: PublisherMmpTrigger) => void;
  stop(): Promise<void>;
}

/** The account.marked event of one positions read. */
export function accountMarkOf(p: BookPositions): AccountMarked {
  return {
    type: 'account.marked', at: p.at, equityBtc: p.equityBtc, perpUsd: p.perp?.sizeUsd ?? 0,
    marksBtc: p.options.map((o) => ({ instrument: o.instrument, markPriceBtc: o.markPriceBtc })),
  };
}

export async function followDeribitMarks(o: DeribitMarksOptions): Promise<DeribitMarks> {
  const { engine, book, vaultId, log } = o;
  let stopped = false;
  let commits: Promise<void> = Promise.resolve();
  const send = (ev: VaultEvent): void => {
    if (stopped) return;
    if (!engine.dispatch(vaultId, ev)) {
      log.debug({ vault: vaultId, event: ev.type }, 'venue mark left the vault unchanged or was refused by it');
      return;
    }
    commits = commits.then(() => engine.commit()).catch((err: unknown) => { stopped = true; o.onFatal(err); });
  };

  let conflation: VolMarkConflation = initialVolMarkConflation;
  const marksSub = book.marks().subscribe({
    next: (u) => {
      const legs = engine.vault(vaultId)?.context.book ?? [];
      const step = conflateVolMarks(conflation, u, legs);
      conflation = step.state;
      for (const r of step.refused) log.warn({ vault: vaultId, instrument: r.instrument, volPerYear: r.volPerYear, reason: r.reason }, 'venue mark IV refused');
      if (step.event) send(step.event);
    },
    error: (err: unknown) => log.error({ err: String(err) }, 'deribit marks stream failed: vols stay as journaled'),
  });

  let timer: NodeJS.Timeout | null = null;
  let reading: Promise<void> = Promise.resolve();
  const readAccount = async (): Promise<void> => {
    try {
      send(accountMarkOf(await book.positions()));
    } catch (err) {
      // The venue did not answer: the last journaled account mark stands until the next read.
      log.warn({ err: String(err) }, 'deribit account read failed: account mark not updated');
    }
  };
  if (o.inverse) {
    await readAccount();
    const tick = (): void => {
      if (stopped) return;
      reading = readAccount().finally(() => { if (!stopped) timer = setTimeout(tick, o.accountEveryMs); });
    };
    timer = setTimeout(tick, o.accountEveryMs);
  }

  return {
    onMmpTrigger: (t) => {
      // "Frozen until reset" has no deadline for the machine: the book refuses to quote while frozen anyway.
      if (t.frozenUntil === null) {
        log.warn({ vault: t.vaultId }, 'market-maker protection froze quoting until reset: reset it on the venue');
        return;
      }
      if (t.vaultId === vaultId) send({ type: 'mmp.triggered', at: t.at, frozenUntil: t.frozenUntil });
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      marksSub.unsubscribe();
      await reading;
      await commits;
    },
  };
}
