// Drives a release's `omm-hedger` (its own worktree, see make-upgrade-fixtures.sh) to write the
// upgrade fixtures: a database after a clean stop, one SIGKILLed with a hedge in flight and a
// journal tail past a snapshot, and what the release reports on them and after continuing them.
// Plain Node (no TypeScript of this branch): the code under test must not touch the release's data.
// Files are stored gzipped (the test unzips copies); nothing wall-clock goes into the reports.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sqlite3 from 'sqlite3';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`makeFixtures: --${name} is required`);
  return process.argv[i + 1];
};
const REL = arg('release');
const SHA = arg('release-sha');
const MACHINE_VERSION = Number(arg('machine-version'));
const PRICES = arg('prices');
const WORK = arg('work');
const OUT = arg('out');

/** Minutes of the shipped file the release runs on, and how many more the continuation gets. */
const ROWS = 480;
const MORE_ROWS = 120;
/** Wall-clock pause around each hedge effect (the release's chaos flag): the window the kill lands in, ms. */
const EFFECT_DELAY_MS = 400;
/** The kill waits until the run is past this price record (offset), so the database has history. */
const KILL_AFTER_OFFSET = 240;

/** Two vaults on the in-process simulated venue (its state in <db>.sim-venue.db): one hedges often, one rarely. */
function config(pricesPath) {
  return {
    seed: 3,
    prices: { kind: 'csv', path: pricesPath, speed: 'max' },
    takers: { arrivalsPerMinute: 0.5, buyShare: 0.5, meanSizeContracts: 1 },
    log: { level: 'warn' },
    vaults: [
      {
        id: 'alpha', volPerYear: 0.6,
        book: [
          { instrument: 'BTC-31MAR23-23000-C', qty: -10 }, { instrument: 'BTC-31MAR23-23000-P', qty: -10 },
          { instrument: 'BTC-31MAR23-25000-C', qty: 0 }, { instrument: 'BTC-31MAR23-21000-P', qty: 0 },
        ],
        bands: { kind: 'fixed', quoteBtc: 0.3, hedgeBtc: 0.8, reentryBtc: 0.15, hardBtc: 3 },
        cooldownMs: 600_000,
      },
      {
        id: 'beta', volPerYear: 0.65,
        book: [{ instrument: 'BTC-17MAR23-24000-C', qty: -6 }, { instrument: 'BTC-17MAR23-22000-P', qty: -2 }, { instrument: 'BTC-17MAR23-26000-C', qty: 0 }],
        bands: { kind: 'whalleyWilmott', costBps: 5, riskAversion: 0.0005, quoteFraction: 0.5, reentryFraction: 0.25, hardMultiple: 2, minHedgeBtc: 0.5 },
        hedgeTarget: 'bandEdge', cooldownMs: 600_000,
      },
    ],
  };
}

function start(args) {
  const child = spawn(process.execPath, [join(REL, 'bin/omm-hedger.mjs'), ...args], { cwd: REL, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

async function cli(args) {
  const r = await start(args).done;
  if (r.code !== 0) throw new Error(`release omm-hedger ${args.join(' ')} exited ${r.code ?? r.signal}: ${r.stderr}`);
  return r.stdout;
}

/** One read-only query on a database file (never written here). */
function query(file, sql) {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => { if (err) reject(err); });
    db.all(sql, (err, rows) => db.close(() => (err ? reject(err) : resolve(rows))));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Vaults whose latest snapshot is behind their last journal row: the tail a restart replays. */
async function tails(db) {
  return query(db, `SELECT s.vault_id AS vaultId, s.seq AS snapshotSeq, (SELECT max(seq) FROM journal j WHERE j.vault_id = s.vault_id) AS lastSeq
    FROM snapshots s ORDER BY s.vault_id`);
}

async function openOrders(db) {
  return query(db, "SELECT client_order_id AS id, status FROM hedge_orders WHERE status IN ('pending', 'open') ORDER BY client_order_id");
}

/** The files of a database that matter once every process is gone (the -shm index is rebuilt). */
function dbFiles(dir) {
  return readdirSync(dir).filter((f) => /\.db(-wal)?$/.test(f) && statSync(join(dir, f)).size > 0).sort();
}

function copyDb(from, to) {
  mkdirSync(to, { recursive: true });
  for (const f of dbFiles(from)) copyFileSync(join(from, f), join(to, f));
}

/** The journal as `journal --all --json` prints it, without its wall-clock field, hashed. */
function journalDigest(jsonl) {
  const lines = jsonl.trim().split('\n').map((l) => {
    const { recordedAt: _w, machineVersion: _v, ...rest } = JSON.parse(l);
    return JSON.stringify(rest);
  });
  return { rows: lines.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

const runArgs = (cfg, db) => ['run', '--config', cfg, '--speed', 'max', '--until-end', '--db', db, '--no-http'];

rmSync(WORK, { recursive: true, force: true });
mkdirSync(join(WORK, 'prices'), { recursive: true });
mkdirSync(join(WORK, 'more'), { recursive: true });
const lines = readFileSync(PRICES, 'utf8').split('\n');
// Both files are named prices.csv: the journal keys source offsets by the file's name, so the
// longer one continues where the first stopped.
writeFileSync(join(WORK, 'prices/prices.csv'), `${lines.slice(0, ROWS + 1).join('\n')}\n`);
writeFileSync(join(WORK, 'more/prices.csv'), `${lines.slice(0, ROWS + MORE_ROWS + 1).join('\n')}\n`);
const cfg = join(WORK, 'config.json');
const cfgMore = join(WORK, 'config-more.json');
writeFileSync(cfg, JSON.stringify(config(join(WORK, 'prices/prices.csv')), null, 2));
writeFileSync(cfgMore, JSON.stringify(config(join(WORK, 'more/prices.csv')), null, 2));

// 1. A clean stop: the run ends with the file and stops as Ctrl-C would.
mkdirSync(join(WORK, 'clean'));
await cli([...runArgs(cfg, join(WORK, 'clean/omm.db')), '--create']);

// 2. SIGKILL once past KILL_AFTER_OFFSET, while a hedge is out (placed at the venue during the
// pause before its result is reported) and some vault has a journal tail past its snapshot.
mkdirSync(join(WORK, 'killed'));
const killedDb = join(WORK, 'killed/omm.db');
const p = start([...runArgs(cfg, killedDb), '--create', '--fault-effect-delay-ms', String(EFFECT_DELAY_MS)]);
let exited = false;
void p.done.then(() => { exited = true; });
let killed = false;
while (!exited && !killed) {
  await sleep(20);
  if (!existsSync(killedDb)) continue;
  try {
    const offset = (await query(killedDb, 'SELECT max("offset") AS o FROM source_offsets'))[0]?.o ?? -1;
    if (offset < KILL_AFTER_OFFSET || (await openOrders(killedDb)).length === 0) continue;
    if (!(await tails(killedDb)).some((t) => t.snapshotSeq < t.lastSeq)) continue;
    await sleep(EFFECT_DELAY_MS * 1.5);
    if ((await openOrders(killedDb)).length === 0) continue;
    p.child.kill('SIGKILL');
    killed = true;
  } catch (err) {
    // The database is being created (no tables yet) or written at this instant: look again.
    if (!/SQLITE_BUSY|SQLITE_CANTOPEN|no such table/.test(String(err))) throw err;
  }
}
const end = await p.done;
if (!killed || end.signal !== 'SIGKILL') throw new Error(`the run ended (${end.code}) before a kill point: raise ROWS or lower KILL_AFTER_OFFSET. ${end.stderr}`);

// 3. The fixture: the databases as the release left them, and what the release says of them.
rmSync(OUT, { recursive: true, force: true });
const facts = {};
for (const name of ['clean', 'killed']) {
  const dir = join(WORK, name);
  const out = join(OUT, name);
  mkdirSync(out, { recursive: true });
  for (const f of dbFiles(dir)) writeFileSync(join(out, `${f}.gz`), gzipSync(readFileSync(join(dir, f)), { level: 9 }));
  // Read on copies: opening a database checkpoints its WAL, which must not change the fixture.
  copyDb(dir, join(WORK, 'check', name));
  const tailRows = (await tails(join(WORK, 'check', name, 'omm.db'))).map((t) => ({ ...t, tail: t.lastSeq - t.snapshotSeq }));
  const inFlight = await openOrders(join(WORK, 'check', name, 'omm.db'));
  const status = JSON.parse(await cli(['status', '--db', join(WORK, 'check', name, 'omm.db'), '--json']));
  // The release continuing the database on more of the same prices.
  copyDb(dir, join(WORK, 'cont', name));
  const contDb = join(WORK, 'cont', name, 'omm.db');
  await cli(runArgs(cfgMore, contDb));
  const continued = {
    status: JSON.parse(await cli(['status', '--db', contDb, '--json'])),
    journal: journalDigest(await cli(['journal', '--db', contDb, '--all', '--json'])),
  };
  writeFileSync(join(out, 'status.json'), `${JSON.stringify(status, null, 2)}\n`);
  writeFileSync(join(out, 'continued.json'), `${JSON.stringify(continued, null, 2)}\n`);
  facts[name] = { files: dbFiles(dir), tails: tailRows, hedgeOrdersNotFinal: inFlight };
}
writeFileSync(join(OUT, 'config.json'), `${JSON.stringify(config('prices.csv'), null, 2)}\n`);
writeFileSync(join(OUT, 'manifest.json'), `${JSON.stringify({
  made: 'scripts/make-upgrade-fixtures.sh', release: SHA, machineVersion: MACHINE_VERSION,
  prices: { file: 'data/btcusdt-binanceus-1m-2023-03-01_21.csv', rows: ROWS, moreRows: MORE_ROWS, name: 'prices.csv' },
  run: 'run --config config.json (prices.path: the first `rows` minutes) --speed max --until-end --db omm.db --create --no-http',
  killed: { effectDelayMs: EFFECT_DELAY_MS, afterOffset: KILL_AFTER_OFFSET },
  cases: facts,
}, null, 2)}\n`);
