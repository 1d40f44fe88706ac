// Composition of quoting on an options book (venue.kind deribit): the quote publisher follows
// the engine's commits and keeps the book's resting quotes equal to the committed ones.
//
// In runService, after reconcile() (recovery done, hedges settled) and before the HTTP view
// is built (it reads the publisher):
//   const quoting = await startQuoting({ engine, book, cfg, log, onMmpTrigger, onFatal });
//   new EngineViewAdapter(engine, { ..., venueQuotes: quoting });
// and on stop, first of all (quotes go before anything else winds down, and before the
// session closes):
//   await quoting.stop();
// The book itself is opened with quotingOf(cfg)'s amendTicks and amendSizeShare
// (DeribitOptionsBook.open(session, { amendTicks, amendSizeShare })).
import type { Engine } from '../../engine/engine.ts';
import type { Logger } from '../../engine/engineTypes.ts';
import { QuotePublisher, type MmpTriggered } from '../../engine/quotePublisher.ts';
import type { OptionsBook } from '../../venues/optionsBook.ts';
import type { RunConfig } from '../config/configSchema.ts';
import { quotingOf } from '../config/quotingOf.ts';

export interface StartQuotingOptions {
  engine: Engine;
  book: OptionsBook;
  cfg: RunConfig;
  log: Logger;
  /** Each MMP trigger, once per vault on the book: journal it (the machine's mmp.triggered). */
  onMmpTrigger?: (t: MmpTriggered) => void;
  /** The publisher met a failure outside the venue's typed errors: stop the service. */
  onFatal: (err: unknown) => void;
  /** Vaults quoting on this book (default: every vault). */
  vaultIds?: readonly string[];
}

/** Sets MMP from the config, then publishes every vault's committed quotes (once now, then after each commit that moves them). */
export async function startQuoting(o: StartQuotingOptions): Promise<QuotePublisher> {
  const { mmp } = quotingOf(o.cfg);
  const publisher = new QuotePublisher({
    book: o.book, engine: o.engine, mmp, log: o.log, onError: (err) => {
      o.log.error({ err: String(err) }, 'quote publisher failed: stopping');
      o.onFatal(err);
    },
    ...(o.vaultIds ? { vaultIds: o.vaultIds } : {}),
    ...(o.onMmpTrigger ? { onMmpTrigger: (t: MmpTriggered) => {
      o.log.warn({ vault: t.vaultId, frozenUntil: t.frozenUntil }, 'market-maker protection triggered: quoting frozen');
      o.onMmpTrigger?.(t);
    } } : {}),
  });
  await publisher.start();
  o.log.info({ book: o.book.name, mmp }, 'quoting: committed quotes published to the options book');
  return publisher;
}
