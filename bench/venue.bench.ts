// Simulated venue round trip over loopback: place an IOC and get its fill back (the HTTP
// answer carries the fill outcome), p50/p99 over ORDERS sequential orders, median of RUNS
// runs. Baselines measured in the same run: the in-process venue (no HTTP), and a bare HTTP
// echo over the same keep-alive client stack (what HTTP alone costs). Prints one JSON object.
//   node bin/run-ts.mjs bench/venue.bench.ts [--orders 2000] [--runs 5]
import { createServer, Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSimVenueStore } from '../storage/simVenueStore.ts';
import type { HedgeVenue, IocOrderRequest } from '../src/venues/hedgeVenue.ts';
import { HttpVenueClient } from '../src/venues/sim/httpVenueClient.ts';
import { SimPerpVenue } from '../src/venues/sim/simPerpVenue.ts';
import { startSimVenueServer } from '../src/venues/sim/simVenueServer.ts';
import { readBody } from '../src/server/httpJson.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const ORDERS = arg('--orders', 2_000);
const RUNS = arg('--runs', 5);
const WARMUP = 200;
const T0 = Date.parse('2024-01-01T00:00:00Z');

interface Percentiles { p50Us: number; p99Us: number; meanUs: number; bestRunP99Us?: number }

function percentiles(samplesNs: number[]): Percentiles {
  const s = [...samplesNs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]! / 1_000;
  return { p50Us: round(at(0.5)), p99Us: round(at(0.99)), meanUs: round(s.reduce((a, b) => a + b, 0) / s.length / 1_000) };
}
const round = (x: number): number => Math.round(x * 10) / 10;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

let idSeq = 0;
function nextOrder(): IocOrderRequest {
  idSeq += 1;
  const buy = idSeq % 2 === 0;
  return {
    clientOrderId: `bench-${idSeq}`, market: 'BTC-PERP', side: buy ? 'buy' : 'sell', sizeBtc: 0.05,
    limitPriceUsd: buy ? 31_000 : 29_000, reduceOnly: false, at: T0 + idSeq * 10,
  };
}

async function timeOrders(venue: HedgeVenue, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const req = nextOrder();
    const t = process.hrtime.bigint();
    const s = await venue.placeIoc(req);
    out.push(Number(process.hrtime.bigint() - t));
    if (s.status !== 'filled') throw new Error(`bench order not filled: ${JSON.stringify(s)}`);
  }
  return out;
}

async function openVenue(dbPath?: string): Promise<SimPerpVenue> {
  const store = dbPath === undefined ? undefined : await SqliteSimVenueStore.open({ path: dbPath });
  const venue = await SimPerpVenue.open({ prices: 'pushed', config: { seed: 3 }, ...(store ? { store } : {}) });
  await venue.pushPrice(T0, 30_000);
  return venue;
}

/** A bare keep-alive HTTP echo: same client stack, no venue work. */
async function echoSamples(n: number): Promise<number[]> {
  const body = JSON.stringify({ status: 'filled', filledBtc: 0.05, avgPriceUsd: 30_003, feeUsd: 0.75, updatedAt: T0 });
  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const once = (payload: string): Promise<void> => new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/orders', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve();
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
  for (let i = 0; i < WARMUP; i++) await once(JSON.stringify(nextOrder()));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const payload = JSON.stringify(nextOrder());
    const t = process.hrtime.bigint();
    await once(payload);
    out.push(Number(process.hrtime.bigint() - t));
  }
  agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  return out;
}

async function inProcessSamples(dbPath?: string): Promise<number[]> {
  const venue = await openVenue(dbPath);
  await timeOrders(venue, WARMUP);
  const out = await timeOrders(venue, ORDERS);
  await venue.close();
  return out;
}

async function httpSamples(dbPath?: string): Promise<number[]> {
  const venue = await openVenue(dbPath);
  const server = await startSimVenueServer(venue, { readBody, port: 0 });
  const client = new HttpVenueClient({ baseUrl: server.url });
  await timeOrders(client, WARMUP);
  const out = await timeOrders(client, ORDERS);
  await client.close();
  await server.close();
  await venue.close();
  return out;
}

/** Place an IOC and wait for its fill on the SSE fill stream (the engine's other fill path). */
async function fillStreamSamples(dbPath: string): Promise<number[]> {
  const venue = await openVenue(dbPath);
  const server = await startSimVenueServer(venue, { readBody, port: 0 });
  const client = new HttpVenueClient({ baseUrl: server.url });
  const waiters = new Map<string, () => void>();
  const sub = client.fills().subscribe((f) => waiters.get(f.clientOrderId)?.());
  const one = async (): Promise<number> => {
    const req = nextOrder();
    const t = process.hrtime.bigint();
    const streamed = new Promise<void>((r) => waiters.set(req.clientOrderId, r));
    await client.placeIoc(req);
    await streamed;
    waiters.delete(req.clientOrderId);
    return Number(process.hrtime.bigint() - t);
  };
  for (let i = 0; i < WARMUP; i++) await one();
  const out: number[] = [];
  for (let i = 0; i < ORDERS; i++) out.push(await one());
  sub.unsubscribe();
  await client.close();
  await server.close();
  await venue.close();
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'venue-bench-'));
const cases: Record<string, (run: number) => Promise<number[]>> = {
  inProcessMemory: () => inProcessSamples(),
  inProcessSqlite: (run) => inProcessSamples(join(dir, `inproc-${run}.db`)),
  httpEcho: () => echoSamples(ORDERS),
  httpSimMemory: () => httpSamples(),
  httpSimSqlite: (run) => httpSamples(join(dir, `http-${run}.db`)),
  httpSimSqliteViaFillStream: (run) => fillStreamSamples(join(dir, `sse-${run}.db`)),
};
const perRun: Record<string, Percentiles[]> = {};
try {
  for (let run = 0; run < RUNS; run++) {
    for (const [name, fn] of Object.entries(cases)) (perRun[name] ??= []).push(percentiles(await fn(run)));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const results: Record<string, Percentiles> = {};
for (const [name, runs] of Object.entries(perRun)) {
  results[name] = {
    p50Us: median(runs.map((r) => r.p50Us)), p99Us: median(runs.map((r) => r.p99Us)), meanUs: median(runs.map((r) => r.meanUs)),
    // The least-disturbed run: on a shared, loaded machine p99 mostly measures other processes.
    bestRunP99Us: Math.min(...runs.map((r) => r.p99Us)),
  };
}
const r = (a: string, b: string, k: 'p50Us' | 'p99Us'): number => Math.round((results[a]![k] / results[b]![k]) * 100) / 100;
process.stdout.write(`${JSON.stringify({
  bench: 'venue',
  what: 'sequential placeIoc round trip over loopback HTTP (answer carries the fill); medians over runs',
  orders: ORDERS, runs: RUNS, warmup: WARMUP, node: process.version,
  machine: { cpus: cpus().length, loadAvg1m: Math.round(loadavg()[0]! * 10) / 10 },
  results,
  ratios: {
    httpSimSqliteOverEchoP50: r('httpSimSqlite', 'httpEcho', 'p50Us'),
    httpSimSqliteOverEchoP99: r('httpSimSqlite', 'httpEcho', 'p99Us'),
    httpSimMemoryOverEchoP99: r('httpSimMemory', 'httpEcho', 'p99Us'),
  },
  targetP99Us: 1000,
  meetsTarget: results.httpSimSqlite!.p99Us <= 1000,
  meetsTargetBestRun: results.httpSimSqlite!.bestRunP99Us! <= 1000,
})}\n`);
