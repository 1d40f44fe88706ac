// `omm-hedger run`: the long-lived service. Opens the journal, recovers and reconciles every
// vault, serves HTTP, replays prices through the engine and shuts down gracefully.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { machineGraph } from '../../../machines/vault.graph.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Logger } from '../../engine/engineTypes.ts';
import { EngineViewAdapter } from '../../engine/engineView.ts';
import { openEngine, reconcile } from '../../engine/openEngine.ts';
import { haltAll, mismatchReason, watchPosition } from '../../engine/positionWatch.ts';
import { runLive } from '../../engine/liveDriver.ts';
import { replay } from '../../engine/replayDriver.ts';
import { startHttpServer, type RunningHttpServer } from '../../server/createServer.ts';
import type { RunConfig } from '../config/configSchema.ts';
import { toVaultInputs } from '../config/toVaultInputs.ts';
import { buildVenue } from './buildVenue.ts';
import { fillInboxRoute, followFillFile } from './externalFills.ts';
import { openJournal } from './openStore.ts';
import { acquireDbLock } from './processLock.ts';
import { livePriceSource } from './livePrices.ts';
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
  const dbPath = cfg.db.path;
  if (dbPath !== ':memory:' && flags.create) mkdirSync(dirname(resolve(dbPath)), { recursive: true });
  const firstRun = dbPath !== ':memory:' && !existsSync(dbPath);
  const store = await openJournal(dbPath, { create: flags.create, synchronous: cfg.db.synchronous });
  const lock = acquireDbLock(dbPath);
  const replayed = isReplay(cfg.prices) ? loadPriceRecords(cfg.prices) : null;
  const venueState = cfg.venue.kind === 'sim' && dbPath !== ':memory:' ? `${dbPath.replace(/\.db$/, '')}.sim-venue.db` : null;
  const liveLabel = isReplay(cfg.prices) ? '' : `prices:${cfg.prices.kind}`;
  // A replayed path is also the simulated venue's reference; a live feed pushes its ticks to it.
  const built = await buildVenue(cfg.venue, replayed ? validPoints(replayed.records) : 'pushed', { seed: cfg.seed, statePath: venueState, pricesLabel: replayed?.source ?? liveLabel, live: flags.live === true });
  // The venue comes first: its own mark price may be the live feed (prices.kind: venue).
  const live = isReplay(cfg.prices) ? null : await livePriceSource(cfg.prices, (msg) => log.info({ feed: cfg.prices.kind }, msg), built);
  const source = replayed?.source ?? (live as NonNullable<typeof live>).source;
  let lastEventAt = 0;
  let lastTickWall = 0;
  const inspector = flags.inspectPort !== undefined ? await startInspector(flags.inspectPort, log) : null;
  const { engine, report } = await openEngine({
    store, venue: built.venue, market: built.market, log, mode: replayed ? 'lockstep' : 'live',
    clock: { now: () => (replayed ? lastEventAt : Date.now()) },
    ...(flags.effectDelayMs ? { effectDelayMs: flags.effectDelayMs } : {}),
    ...(inspector ? { inspect: inspector.inspect } : {}),
  }, toVaultInputs(cfg));
  log.info({ db: dbPath, firstRun, venue: built.describe, vaults: report.vaults, offsets: report.offsets }, 'recovered');
  for (const id of report.ignoredVaults) log.warn({ vault: id }, 'vault in the database but not in the config: left alone');
  // Time in this run is event time: controls and genesis rows carry the newest event time seen.
  for (const id of engine.vaultIds()) lastEventAt = Math.max(lastEventAt, engine.vault(id)?.context.lastAt ?? 0);

  const rec = await reconcile(engine, built.market, built.venue);
  if (!rec.ok) {
    log.error(rec, 'venue position does not match the vaults: halting every vault until an operator resumes');
    await haltAll(engine, mismatchReason(rec), lastEventAt);
  }
  // Live, the position is checked again every reconcileEveryMs (a replay checks at its end, on restart).
  let fatal: unknown = null;
  const watch = replayed ? null : watchPosition(engine, built.venue, built.market, {
    everyMs: cfg.reconcileEveryMs, eventTime: () => lastEventAt, log,
    onFatal: (err) => { fatal = err; stopping = true; log.error({ err: String(err) }, 'position check failed: stopping'); },
  });
  // The HTTP face starts only after recovery and reconciliation, so it never serves a recovering engine.
  const recoveryDone = true;

  let server: RunningHttpServer | null = null;
  const view = new EngineViewAdapter(engine, {
    machineGraph,
    feedAgeMs: () => ({ [source]: lastTickWall ? Date.now() - lastTickWall : -1 }),
    feedsFresh: () => engine.vaultIds().every((id) => !engine.vault(id)?.context.feedStale) && lastTickWall > 0,
    recoveryDone: () => recoveryDone,
    now: () => lastEventAt,
    ...(built.counters ? { venueCounters: built.counters } : {}),
  });
  if (flags.http && cfg.http.enabled) {
    const token = process.env.OMM_CONTROL_TOKEN ?? cfg.http.controlToken;
    server = await startHttpServer({
      host: cfg.http.host, port: cfg.http.port, engine: view, controlToken: token,
      // The fill inbox shares the control token: both change what the vaults hold.
      extraRoutes: token ? [fillInboxRoute(engine, token)] : [],
      onError: (err) => log.error({ err: String(err) }, 'http handler error'),
    });
    if (flags.announce) process.stdout.write(`omm-hedger: dashboard on ${server.url}/ (control API ${token ? 'enabled' : 'disabled: set OMM_CONTROL_TOKEN'})\n`);
    log.info({ url: server.url }, 'http listening');
  }

  const fillFile = cfg.fillsFile ? followFillFile(engine, cfg.fillsFile, log) : null;

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
    await Promise.race([handle.done, new Promise<void>((r) => { const t = setInterval(() => { if (stopping) { clearInterval(t); r(); } }, 200); })]);
    handle.stop();
  }

  if (!flags.untilEnd && !stopping && server) {
    if (flags.announce) process.stdout.write('omm-hedger: price file finished; dashboard stays up until Ctrl-C\n');
    await new Promise<void>((r) => { const t = setInterval(() => { if (stopping) { clearInterval(t); r(); } }, 200); });
  }
  fillFile?.unsubscribe();
  await watch?.stop();
  await shutdown(engine, cfg.shutdownGraceMs, log);
  view.close();
  await server?.close();
  await built.close();
  await store.close();
  lock.release();
  inspector?.stop();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
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
