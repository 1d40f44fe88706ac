// `omm-hedger run`: the long-lived service. Checks what can be checked before the database is
// touched, opens the journal, recovers and reconciles every vault, serves HTTP, feeds prices
// through the engine and shuts down gracefully. What only some runs need (a live feed, the
// HTTP server, the inspector) is imported when needed, after recovery where it can wait, so a
// restarted hedger is back to its committed state sooner.
import type { QuotePublisher } from '../../engine/quotePublisher.ts';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Engine } from '../../engine/engine.ts';
import type { Logger } from '../../engine/engineTypes.ts';
import { openEngine, reconcile } from '../../engine/openEngine.ts';
import { haltAll, mismatchReason, watchPosition } from '../../engine/positionWatch.ts';
import { markStaleAtStart, runLive } from '../../engine/liveDriver.ts';
import { replay } from '../../engine/replayDriver.ts';
import type { RunningHttpServer } from '../../server/createServer.ts';
import type { RunConfig } from '../config/configSchema.ts';
import { toVaultInputs } from '../config/toVaultInputs.ts';
import { buildVenue, type BuiltVenue } from './buildVenue.ts';
import type { LiveFeed, LivePrices } from './livePrices.ts';
import { openJournal } from './openStore.ts';
import { checkPortFree, portInUse } from './portCheck.ts';
import { acquireDbLock } from './processLock.ts';
import { isReplay, loadPriceRecords, validPoints } from './priceRecords.ts';

export interface RunFlags {
  create: boolean;
  http: boolean;
  untilEnd: boolean;
  /** Print the dashboard URL and the recovery summary to stdout. */
  announce: boolean;
  /** Fault injection for chaos tests: wall-clock pause around each hedge effect, ms. */
  effectDelayMs?: number;
  /** Connect the Stately inspector (WebSocket relay on this local port, 0 = any free one; the page needs internet). */
  inspectPort?: number;
  /** `run --live`: a venue configured for mainnet may trade. */
  live?: boolean;
}

export async function runService(cfg: RunConfig, flags: RunFlags, log: Logger): Promise<number> {
  // Signals are handled before the journal is even opened (so before its lock file exists): a
  // SIGTERM that lands during recovery or reconciliation finishes startup, skips the run and
  // shuts down like any other stop.
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal: sig }, 'second signal: exiting now (recovery will finish the job)');
      process.exit(130);
    }
    stopping = true;
    log.info({ signal: sig }, 'stopping: intake closed, letting in-flight hedges resolve');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const untilStopped = (): Promise<void> => new Promise<void>((r) => { const t = setInterval(() => { if (stopping) { clearInterval(t); r(); } }, 200); });

  // 1. Before the database is opened or made: the price file read and validated (or the live
  // feed's settings), the HTTP port free.
  const replayed = isReplay(cfg.prices) ? loadPriceRecords(cfg.prices) : null;
  const openLive = async (venue?: BuiltVenue): Promise<LiveFeed> =>
    (await import('./livePrices.ts')).livePriceSource(cfg.prices as LivePrices, (msg) => log.info({ feed: cfg.prices.kind }, msg), venue);
  // The venue's own mark price (prices.kind: venue) and Deribit's index open once the venue is built, below.
  const feedOnVenue = cfg.prices.kind === 'venue' || cfg.prices.kind === 'deribit-index';
  let live = isReplay(cfg.prices) || feedOnVenue ? null : await openLive();
  const httpOn = flags.http && cfg.http.enabled;
  if (httpOn) await checkPortFree(cfg.http.host, cfg.http.port);

  // 2. The journal, its lock, the venue, recovery.
  const dbPath = cfg.db.path;
  if (dbPath !== ':memory:' && flags.create) mkdirSync(dirname(resolve(dbPath)), { recursive: true });
  const firstRun = dbPath !== ':memory:' && !existsSync(dbPath);
  const store = await openJournal(dbPath, { create: flags.create, synchronous: cfg.db.synchronous });
  let lock: { release: () => void } | null = null;
  let opened: BuiltVenue | null = null;
  let inspector: Awaited<ReturnType<typeof startInspector>> | null = null;
  let lastEventAt = 0;
  let lastTickWall = 0;
  let started: Awaited<ReturnType<typeof openEngine>>;
  // Until close() below owns them, a failed start closes what it opened (venue, inspector, journal, lock) before it throws.
  try {
    lock = acquireDbLock(dbPath);
    const venueState = cfg.venue.kind === 'sim' && dbPath !== ':memory:' ? `${dbPath.replace(/\.db$/, '')}.sim-venue.db` : null;
    const liveLabel = isReplay(cfg.prices) ? '' : `prices:${cfg.prices.kind}`;
    const oldestOpenHedge = Math.min(...(await store.openHedgeOrders()).map((o) => o.createdAt));
    // A replayed path is also the simulated venue's reference; a live feed pushes its ticks to it.
    opened = await buildVenue(cfg.venue, replayed ? validPoints(replayed.records) : 'pushed', {
      seed: cfg.seed, statePath: venueState, pricesLabel: replayed?.source ?? liveLabel, live: flags.live === true,
      ...(Number.isFinite(oldestOpenHedge) ? { hedgeHistoryFromMs: oldestOpenHedge } : {}),
      onVenueEvent: (e) => log.debug({ venueEvent: e }, 'venue session'),
      ...(cfg.venue.kind === 'deribit' ? { quoting: (await import('../config/quotingOf.ts')).quotingOf(cfg) } : {}),
    });
    if (!replayed && feedOnVenue) live = await openLive(opened);
    // A Deribit vault new to the journal starts from the account's positions (its genesis row).
    const inputs = opened.optionsBook
      ? await (await import('./deribitBook.ts')).importNewVaults(store, opened.optionsBook, toVaultInputs(cfg), log)
      : toVaultInputs(cfg);
    inspector = flags.inspectPort !== undefined ? await startInspector(flags.inspectPort, log) : null;
    const ins = inspector;
    started = await openEngine({
      store, venue: opened.venue, market: opened.market, log, mode: replayed ? 'lockstep' : 'live',
      clock: { now: () => (replayed ? lastEventAt : Date.now()) },
      ...(flags.effectDelayMs ? { effectDelayMs: flags.effectDelayMs } : {}),
      ...(ins ? { inspect: ins.inspect } : {}),
    }, inputs);
  } catch (err) {
    await opened?.close().catch((e: unknown) => log.error({ err: String(e) }, 'venue close failed after a failed start'));
    inspector?.stop();
    await store.close();
    lock?.release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw err;
  }
  const built: BuiltVenue = opened;
  const dbLock = lock;
  const { engine, report } = started;
  const source = replayed?.source ?? (live as NonNullable<typeof live>).source;
  log.info({ db: dbPath, firstRun, venue: built.describe, vaults: report.vaults, offsets: report.offsets, foldedDecisions: report.foldedDecisions }, 'recovered');
  for (const id of report.ignoredVaults) log.warn({ vault: id }, 'vault in the database but not in the config: left alone');
  // Time in this run is event time: controls and genesis rows carry the newest event time seen.
  for (const id of engine.vaultIds()) lastEventAt = Math.max(lastEventAt, engine.vault(id)?.context.lastAt ?? 0);
  if (live) {
    // After a long downtime the vaults' last price is too old to quote or hedge on: stale until
    // the feed's first tick, committed before the book or the venue hear anything.
    const staleAfterMs = Math.min(...cfg.vaults.map((v) => v.limits.maxPriceAgeMs));
    const staled = markStaleAtStart(engine, Date.now(), staleAfterMs);
    if (staled.length > 0) {
      await engine.commit();
      log.warn({ vaults: staled, afterMs: staleAfterMs }, 'last price older than the staleness limit: quotes pulled and no new hedges until the feed ticks');
    }
  }

  let server: RunningHttpServer | null = null;
  let closeView = (): void => undefined;
  let watch: { stop(): Promise<void> } | null = null;
  let trades: { stop(): Promise<void> } | null = null;
  let quoting: QuotePublisher | null = null;
  let marks: { stop(): Promise<void> } | null = null;
  const close = async (): Promise<void> => {
    // Quotes go first, while the session is up: nothing the engine no longer watches rests on the book.
    await quoting?.stop();
    await marks?.stop();
    await watch?.stop();
    await trades?.stop();
    await shutdown(engine, cfg.shutdownGraceMs, log);
    closeView();
    await server?.close();
    await built.close();
    await store.close();
    dbLock.release();
    inspector?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };

  let fatal: unknown = null;
  const onFatal = (what: string) => (err: unknown): void => { fatal = err; stopping = true; log.error({ err: String(err) }, `${what} failed: stopping`); };
  const optionsBook = built.optionsBook;
  if (optionsBook) {
    // Deribit: fills from the account (those made while away first), hedges finished, then the
    // whole book (options and the USD perp) compared, now and every reconcileEveryMs.
    try {
      if (built.perpContractUsd === undefined) throw new Error('a venue with an options book must say its perp contract size');
      ({ trades, watch } = await (await import('./deribitStart.ts')).startDeribitVault({
        engine, store, book: optionsBook, venue: built.venue, market: built.market, contractUsd: built.perpContractUsd,
        everyMs: cfg.reconcileEveryMs, eventTime: () => lastEventAt, log, onFatal,
      }));
      // The venue's vols, account marks (an inverse vault) and MMP triggers as journaled events.
      const vaultId = engine.vaultIds()[0] as string;
      const followed = await (await import('./deribitMarks.ts')).followDeribitMarks({
        engine, book: optionsBook, vaultId, inverse: engine.vault(vaultId)?.context.config.account.kind === 'inverse',
        accountEveryMs: cfg.reconcileEveryMs, log, onFatal: onFatal('deribit marks'),
      });
      marks = followed;
      // Quotes are effects of committed state, published once recovery and the book check are done.
      quoting = await (await import('./quoting.ts')).startQuoting({
        engine, book: optionsBook, cfg, log, onFatal: onFatal('quoting'), onMmpTrigger: followed.onMmpTrigger,
      });
    } catch (err) {
      await close();
      throw err;
    }
  } else {
    const rec = await reconcile(engine, built.market, built.venue);
    if (!rec.ok) {
      log.error(rec, 'venue position does not match the vaults: halting every vault until an operator resumes');
      await haltAll(engine, mismatchReason(rec), lastEventAt);
    }
    // Live, the position is checked again every reconcileEveryMs (a replay checks at its end, on restart).
    watch = replayed ? null : watchPosition(engine, built.venue, built.market, {
      everyMs: cfg.reconcileEveryMs, eventTime: () => lastEventAt, log, onFatal: onFatal('position check'),
    });
  }

  // 3. The HTTP face, only after recovery and reconciliation: it never serves a recovering engine.
  if (httpOn) {
    const [{ startHttpServer }, { EngineViewAdapter }, { machineGraph }, { fillInboxRoute }, { fundingTermsOfVenue }] = await Promise.all([
      import('../../server/createServer.ts'), import('../../engine/engineView.ts'), import('../../../machines/vault.graph.ts'), import('./externalFills.ts'),
      import('./fundingTerms.ts'),
    ]);
    const view = new EngineViewAdapter(engine, {
      machineGraph,
      feedAgeMs: () => ({ [source]: lastTickWall ? Date.now() - lastTickWall : -1 }),
      feedsFresh: () => engine.vaultIds().every((id) => !engine.vault(id)?.context.feedStale) && lastTickWall > 0,
      recoveryDone: () => true,
      now: () => lastEventAt,
      store, funding: fundingTermsOfVenue(built.venue),
      ...(built.counters ? { venueCounters: built.counters } : {}),
      ...(quoting ? { venueQuotes: quoting } : {}),
    });
    closeView = () => view.close();
    // The dashboard restarts from the journal: chart points, transitions, hedges, PnL facts.
    await view.load();
    const token = process.env.OMM_CONTROL_TOKEN ?? cfg.http.controlToken;
    try {
      server = await startHttpServer({
        host: cfg.http.host, port: cfg.http.port, engine: view, controlToken: token,
        // The fill inbox shares the control token: both change what the vaults hold.
        extraRoutes: token ? [fillInboxRoute(engine, token)] : [],
        onError: (err) => log.error({ err: String(err) }, 'http handler error'),
      });
    } catch (err) {
      await close();
      throw portInUse(err, cfg.http.host, cfg.http.port) ?? err;
    }
    if (flags.announce) process.stdout.write(`omm-hedger: dashboard on ${server.url}/ (control API ${token ? 'enabled' : 'disabled: set OMM_CONTROL_TOKEN'})\n`);
    log.info({ url: server.url }, 'http listening');
  }

  // 4. Intake: fills from a file, prices replayed or live.
  const fillFile = cfg.fillsFile ? (await import('./externalFills.ts')).followFillFile(engine, cfg.fillsFile, log) : null;
  if (replayed && isReplay(cfg.prices)) {
    const speed = cfg.prices.speed;
    const result = await replay({
      engine, records: replayed.records, source, seed: cfg.seed, takers: cfg.takers,
      staleAfterMs: Math.min(...cfg.vaults.map((v) => v.limits.maxPriceAgeMs)),
      commitEveryRows: speed === 'max' ? 2_000 : 1,
      ...(speed === 'max' ? {} : { pace: (gapMs: number) => Math.min(gapMs / speed, 2_000) }),
      onPrice: (at) => { lastEventAt = Math.max(lastEventAt, at); lastTickWall = Date.now(); },
      shouldStop: () => stopping,
    });
    log.info({ processed: result.processed, skipped: result.skipped, rejected: result.rejected }, stopping ? 'replay stopped' : 'replay finished');
  } else if (live) {
    const handle = runLive({
      engine, ticks: live.ticks, source, now: () => Date.now(), log,
      staleAfterMs: Math.min(...cfg.vaults.map((v) => v.limits.maxPriceAgeMs)),
      onTick: (t) => { lastTickWall = Date.now(); lastEventAt = t.at; built.pushPrice?.(t.at, t.priceUsd); },
    });
    await Promise.race([handle.done, untilStopped()]);
    handle.stop();
  }

  if (!flags.untilEnd && !stopping && server) {
    if (flags.announce) process.stdout.write('omm-hedger: price file finished; dashboard stays up until Ctrl-C\n');
    await untilStopped();
  }
  fillFile?.unsubscribe();
  await close();
  return engine.failed || fatal !== null ? 1 : 0;
}

/** @statelyai/inspect's WebSocket inspector through our loopback relay (src/server/statelyInspect.ts); the inspector UI it embeds loads from stately.ai. */
async function startInspector(port: number, log: Logger): Promise<{ inspect: NonNullable<Parameters<typeof openEngine>[0]['inspect']>; stop: () => void }> {
  const { startStatelyInspect } = await import('../../server/statelyInspect.ts');
  const relay = await startStatelyInspect({ port });
  log.warn({ url: relay.url }, `Stately inspector: open ${relay.url} (the inspector UI loads from stately.ai: needs internet)`);
  return { inspect: (e) => relay.inspect.next?.(e), stop: () => { relay.stop().catch(() => undefined); } };
}

async function shutdown(engine: Engine, graceMs: number, log: Logger): Promise<void> {
  await engine.stop(graceMs);
  log.info({}, 'engine stopped; journal committed');
}
