// HttpVenueClient maps transport failures to the port's typed errors, and its fill stream
// reconnects after a server restart without losing or repeating fills.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VenueRejectedError, VenueTimeoutError, VenueUnavailableError, type IocOrderRequest, type VenueFill } from '../../src/venues/hedgeVenue.ts';
import { HttpVenueClient } from '../../src/venues/sim/httpVenueClient.ts';
import { SimPerpVenue } from '../../src/venues/sim/simPerpVenue.ts';
import { startSimVenueServer } from '../../src/venues/sim/simVenueServer.ts';
import { readBody } from '../../src/server/httpJson.ts';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const order = (id: string): IocOrderRequest => ({ clientOrderId: id, market: 'BTC-PERP', side: 'buy', sizeBtc: 0.1, limitPriceUsd: 40_000, reduceOnly: false, at: T0 + 1_000 });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fakeServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(baseUrl: string, timeoutMs = 2_000): HttpVenueClient {
  const c = new HttpVenueClient({ baseUrl, timeoutMs, reconnectMs: 20 });
  cleanups.push(() => c.close());
  return c;
}

const answer = (status: number, body: unknown) => (req: IncomingMessage, res: ServerResponse): void => {
  req.resume();
  req.on('end', () => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
};

describe('HttpVenueClient error mapping', () => {
  it('connection refused -> VenueUnavailableError (nothing was placed)', async () => {
    const url = await fakeServer(() => undefined);
    await cleanups.pop()!(); // closed: the port now refuses
    const c = client(url);
    await expect(c.placeIoc(order('x'))).rejects.toBeInstanceOf(VenueUnavailableError);
    await expect(c.lookup('x')).rejects.toBeInstanceOf(VenueUnavailableError);
  });

  it('no answer in time -> VenueTimeoutError', async () => {
    const url = await fakeServer((req) => req.resume()); // never answers
    const c = client(url, 80);
    await expect(c.placeIoc(order('x'))).rejects.toBeInstanceOf(VenueTimeoutError);
    await expect(c.position('BTC-PERP')).rejects.toBeInstanceOf(VenueTimeoutError);
  });

  it('connection lost mid-placement -> VenueTimeoutError; mid-read -> VenueUnavailableError', async () => {
    const url = await fakeServer((req) => req.socket.destroy());
    const c = client(url);
    await expect(c.placeIoc(order('x'))).rejects.toBeInstanceOf(VenueTimeoutError);
    await expect(c.lookup('x')).rejects.toBeInstanceOf(VenueUnavailableError);
  });

  it('maps the status codes: 504 timeout, 503 unavailable, 500 on placement unknown, 400/422 rejected', async () => {
    expect(await client(await fakeServer(answer(400, { error: 'bad-request', message: 'bad order: sizeBtc' }))).placeIoc(order('x')))
      .toEqual({ status: 'rejected', reason: 'bad order: sizeBtc', updatedAt: T0 + 1_000 });
    await expect(client(await fakeServer(answer(504, { message: 't' }))).placeIoc(order('x'))).rejects.toBeInstanceOf(VenueTimeoutError);
    await expect(client(await fakeServer(answer(503, { message: 'u' }))).placeIoc(order('x'))).rejects.toBeInstanceOf(VenueUnavailableError);
    const five = client(await fakeServer(answer(500, { message: 'boom' })));
    await expect(five.placeIoc(order('x'))).rejects.toBeInstanceOf(VenueTimeoutError);
    await expect(five.lookup('x')).rejects.toBeInstanceOf(VenueUnavailableError);
    await expect(client(await fakeServer(answer(422, { message: 'unknown market X' }))).marketInfo('X')).rejects.toBeInstanceOf(VenueRejectedError);
    await expect(client(await fakeServer(answer(200, { status: 'filled' }))).placeIoc(order('x'))).rejects.toBeInstanceOf(VenueTimeoutError);
  });
});

describe('HttpVenueClient fill stream', () => {
  it('resumes after a server restart with the fills it missed, none twice', async () => {
    const venue = await SimPerpVenue.open({ prices: 'pushed' });
    cleanups.push(() => venue.close());
    await venue.pushPrice(T0, 30_000);
    let server = await startSimVenueServer(venue, { readBody, port: 0 });
    const port = server.port;
    const c = client(server.url);
    const got: VenueFill[] = [];
    const sub = c.fills().subscribe((f) => got.push(f));
    cleanups.push(() => Promise.resolve(sub.unsubscribe()));
    await c.placeIoc(order('a'));
    await waitFor(() => got.length === 1);
    await server.close();
    await venue.placeIoc({ ...order('b'), at: T0 + 2_000 }); // while the stream is down
    server = await startSimVenueServer(venue, { readBody, port });
    const restarted = server;
    cleanups.push(() => restarted.close());
    await c.placeIoc({ ...order('c'), at: T0 + 3_000 });
    await waitFor(() => got.length >= 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(got.map((f) => f.clientOrderId)).toEqual(['a', 'b', 'c']);
  });
});

async function waitFor(cond: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('sim venue server request bodies', () => {
  it('answers 400 to a body that is not JSON or is over 64 KiB, read by the shared body reader', async () => {
    const venue = await SimPerpVenue.open({ prices: 'pushed' });
    cleanups.push(() => venue.close());
    const server = await startSimVenueServer(venue, { readBody, port: 0 });
    cleanups.push(() => server.close());
    const post = async (body: string): Promise<{ status: number; json: unknown }> => {
      const res = await fetch(`${server.url}/price`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      return { status: res.status, json: await res.json() };
    };
    expect(await post('{"at":')).toEqual({ status: 400, json: { error: 'bad-request', message: 'body is not JSON' } });
    expect(await post(JSON.stringify({ at: T0, priceUsd: 1, pad: 'x'.repeat(70_000) }))).toEqual({ status: 400, json: { error: 'bad-request', message: 'unreadable body: payload too large: body exceeds 65536 bytes' } });
    expect(await post(JSON.stringify({ at: T0, priceUsd: 30_000 }))).toEqual({ status: 200, json: { ok: true } });
  });
});
