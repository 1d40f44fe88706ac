// Runs inside a worktree of a release that had the lane log (see make-lane-log-fixtures.sh):
// live engines of that release on seeded random prices, each copied atomically (VACUUM INTO:
// what a SIGKILL at that moment leaves) at a random moment, until COUNT copies hold lane log
// entries (hedge decisions not yet moved into the tables). For each: the database and that
// release's view of it through its own store (test/fixtures/storeView.ts), both gzipped.
// Usage (from the release's directory): node bin/run-ts.mjs <this file> --root ROOT --out DIR
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Subject } from 'rxjs';
import sqlite3 from 'sqlite3';

const arg = (name: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`makeLaneLogFixtures: --${name} is required`);
  return v;
};
const ROOT = resolve(arg('root'));
const OUT = resolve(arg('out'));
const COUNT = 3;
const rel = (p: string): string => pathToFileURL(resolve(p)).href;

const { SqliteJournalStore } = await import(rel('storage/sqliteJournalStore.ts'));
const { createPrng } = await import(rel('src/domain/rng.ts'));
const { silentLogger } = await import(rel('src/engine/engineTypes.ts'));
const { runLive } = await import(rel('src/engine/liveDriver.ts'));
const { openEngine } = await import(rel('src/engine/openEngine.ts'));
const { instantVenue } = await import(rel('test/fixtures/instantVenue.ts'));
const { straddleVault, T0 } = await import(rel('test/fixtures/vaults.ts'));
const { storeView } = await import(pathToFileURL(join(ROOT, 'test/fixtures/storeView.ts')).href);

const query = <T>(file: string, sql: string): Promise<T[]> => new Promise((res, rej) => {
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  db.all<T>(sql, (err, rows) => db.close(() => (err ? rej(err) : res(rows))));
});

mkdirSync(OUT, { recursive: true });
const work = join(OUT, 'work');
mkdirSync(work, { recursive: true });
const cases: { name: string; vaultIds: string[]; laneEntries: number }[] = [];
for (let seed = 0; seed < 200 && cases.length < COUNT; seed++) {
  const rng = createPrng(5000 + seed);
  const n = 3 + Math.floor(rng.next() * 4);
  const vaults = Array.from({ length: n }, (_, i) => straddleVault({
    bands: { kind: 'fixed', quoteBtc: 0.2 + 0.1 * i, hedgeBtc: 0.5 + 0.25 * i, reentryBtc: 0.1, hardBtc: 30 }, cooldownMs: 0,
  }, `v${i}`));
  const path = join(work, `run-${seed}.db`);
  const store = await SqliteJournalStore.open({ path, create: 'if-missing' });
  let now = T0;
  const { engine } = await openEngine({ store, venue: instantVenue({ delayMs: 1 }), market: 'BTC-PERP', log: silentLogger, mode: 'live', clock: { now: () => now }, maxBatchDelayMs: Math.floor(rng.next() * 4) }, vaults);
  const ticks = new Subject();
  const live = runLive({ engine, ticks, source: 'feed', staleAfterMs: 3_600_000, now: () => now, log: silentLogger, expiryCheckMs: 3_600_000, sliceSize: 1 + Math.floor(rng.next() * 3) });
  const crashAt = 5 + Math.floor(rng.next() * 40);
  let price = 23_000;
  for (let i = 1; i <= crashAt; i++) {
    price *= 1 + (rng.next() - 0.5) * 0.03;
    now = T0 + i * 60_000;
    ticks.next({ ok: true, value: { at: now, priceUsd: price, source: 'feed', offset: i } });
    // Option fills now and then, so that lane entries carry fills too.
    if (rng.next() < 0.3) {
      engine.dispatchFill({ vaultId: `v${Math.floor(rng.next() * n)}`, type: 'fill.received', at: now, fillId: `f${seed}-${i}`, instrument: 'BTC-31MAR23-23000-C', side: rng.next() < 0.5 ? 'buy' : 'sell', qty: 3, priceUsd: 900 }, null);
    }
    const gap = rng.next();
    if (gap < 0.3) continue;
    if (gap < 0.6) await new Promise((r) => setImmediate(r));
    else await new Promise((r) => setTimeout(r, Math.floor(gap * 3)));
  }
  const name = `crash-${seed}`;
  const copy = join(work, `${name}.db`);
  await new Promise<void>((res, rej) => {
    const db = new sqlite3.Database(path);
    db.exec(`VACUUM INTO '${copy}'`, (err) => db.close(() => (err ? rej(err) : res())));
  });
  live.stop();
  await engine.stop(2_000);
  await store.close();
  const laneEntries = (await query<{ n: number }>(copy, 'SELECT count(*) AS n FROM lane_log'))[0]?.n ?? 0;
  if (laneEntries === 0) continue;
  // The release's own reads (they merge the lane log); a read-only look, nothing is moved.
  const reader = await SqliteJournalStore.open({ path: copy });
  const vaultIds = vaults.map((v: { vaultId: string }) => v.vaultId);
  const view = await storeView(reader, vaultIds);
  await reader.close();
  writeFileSync(join(OUT, `${name}.db.gz`), gzipSync(readFileSync(copy)));
  writeFileSync(join(OUT, `${name}.view.json.gz`), gzipSync(JSON.stringify(view)));
  cases.push({ name, vaultIds, laneEntries });
}
rmSync(work, { recursive: true, force: true });
if (cases.length < COUNT) throw new Error(`makeLaneLogFixtures: only ${cases.length} crash copies held lane log entries`);
writeFileSync(join(OUT, 'manifest.json'), `${JSON.stringify({ release: process.env.RELEASE_SHA ?? 'unknown', cases }, null, 2)}\n`);
