// The Deribit session against the loopback double: auth and token refresh, heartbeats,
// cancel-on-disconnect, reconnect with resubscribe and the backfill hook, timeouts and
// outages, and secrets kept out of errors and events.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { firstValueFrom, take, toArray } from 'rxjs';
import { DeribitSession, type SessionEvent } from '../../../src/venues/deribit/deribitSession.ts';
import { DeribitRpcError, DeribitUnavailableError, DeribitUnknownOutcomeError } from '../../../src/venues/deribit/errors.ts';
import type { DeribitDouble } from '../../fixtures/deribit/server.ts';
import { configFor, startTestDouble, waitFor } from '../../fixtures/deribit/harness.ts';

let double: DeribitDouble | undefined;
let session: DeribitSession | undefined;

afterEach(async () => {
  await session?.close();
  await double?.close();
  session = undefined;
  double = undefined;
});

describe('DeribitSession', () => {
  it('authenticates with client credentials, sets the heartbeat and cancel-on-disconnect', async () => {
    double = await startTestDouble();
    session = await DeribitSession.connect(configFor(double));
    expect(double.state.authGrants.client_credentials).toBe(1);
    const [conn] = double.connections();
    expect(conn).toMatchObject({ authenticated: true, cod: true });
    expect(await session.request('private/get_positions', { currency: 'BTC' }, 'read')).toEqual([]);
  });

  it('refuses a bad secret with the venue error and never shows the secret', async () => {
    double = await startTestDouble();
    double.faults.leakSecretInAuthError = true;
    const events: SessionEvent[] = [];
    const cfg = configFor(double, { clientSecret: 'wrong-secret-XYZ987' });
    const err = await DeribitSession.connect(cfg, { onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeribitRpcError);
    expect((err as DeribitRpcError).code).toBe(13004);
    const texts = [String(err), (err as Error).stack ?? '', JSON.stringify(events), JSON.stringify(cfg), inspect(cfg), String(cfg.clientSecret)];
    for (const t of texts) expect(t).not.toContain('wrong-secret-XYZ987');
    expect(String(err)).toContain('[redacted]'); // the double echoed it; the session redacted it
    expect(double.state.authGrants.rejected).toBe(1);
  });

  it('shows neither the secret nor the tokens when inspected, serialised or in events', async () => {
    double = await startTestDouble({ tokenLifetimeSec: 0.3 });
    const events: SessionEvent[] = [];
    session = await DeribitSession.connect(configFor(double), { onEvent: (e) => events.push(e) });
    await waitFor('a token refresh', () => session!.counters.tokenRefreshes >= 1);
    const secrets = [double.clientSecret, ...double.state.tokens.keys()];
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const texts = [inspect(session, { depth: 10, showHidden: true }), JSON.stringify(session), JSON.stringify(events), JSON.stringify(session.cfg), inspect(session.cfg, { depth: 10 })];
    for (const t of texts) for (const sec of secrets) expect(t).not.toContain(sec);
  });

  it('refreshes the token before it expires and keeps private calls working', async () => {
    double = await startTestDouble({ tokenLifetimeSec: 0.4 });
    session = await DeribitSession.connect(configFor(double));
    await waitFor('two token refreshes', () => session!.counters.tokenRefreshes >= 2);
    expect(double.state.authGrants.refresh_token).toBeGreaterThanOrEqual(2);
    // 0.4 s tokens, well past the first token's life: still authorised on the same connection.
    expect(await session.request('private/get_open_orders_by_currency', { currency: 'BTC' }, 'read')).toEqual([]);
    expect(session.connectionId).toBe(1);
  });

  it('answers test_request on the same connection; a client that does not is dropped by the venue', async () => {
    double = await startTestDouble();
    session = await DeribitSession.connect(configFor(double, { heartbeatSec: 0.1 }));
    await waitFor('three answered test requests', () => (double!.connections()[0]?.testAnswers ?? 0) >= 3);
    expect(double.connections().map((c) => c.id)).toEqual([1]);

    const mute = new WebSocket(double.wsUrl);
    await new Promise((r) => mute.once('open', r));
    const closed = new Promise((r) => mute.once('close', r));
    mute.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'public/set_heartbeat', params: { interval: 0.05 } }));
    await closed; // test requests left unanswered
  });

  it('drops a connection that has gone silent and reconnects', async () => {
    double = await startTestDouble();
    const events: SessionEvent[] = [];
    session = await DeribitSession.connect(configFor(double, { heartbeatSec: 0.1 }), { onEvent: (e) => events.push(e) });
    const back = firstValueFrom(session.reconnected());
    double.freezeConnections();
    expect((await back).connectionId).toBe(2);
    expect(events.map((e) => e.type)).toContain('heartbeat-lost');
  });

  it('reconnects after a dropped socket: re-auths, resubscribes, then tells consumers to backfill', async () => {
    double = await startTestDouble();
    session = await DeribitSession.connect(configFor(double));
    await session.subscribe(['deribit_price_index.btc_usd']);
    const reconnected = firstValueFrom(session.reconnected());
    const droppedAt = Date.now();
    double.dropConnections();
    const r = await reconnected;
    expect(r.connectionId).toBe(2);
    expect(r.downSinceMs).toBeGreaterThanOrEqual(droppedAt - 5);
    expect(double.state.authGrants.client_credentials).toBe(2);
    const next = firstValueFrom(session.channel('deribit_price_index.btc_usd').pipe(take(1), toArray()));
    double.setIndex(31_000);
    expect(await next).toEqual([{ index_name: 'btc_usd', price: 31_000, timestamp: expect.any(Number) }]);
  });

  it('a lost answer to a write is an unknown outcome; to a read, unavailable', async () => {
    double = await startTestDouble();
    session = await DeribitSession.connect(configFor(double));
    double.faults.silentLabels.add('q-1');
    const inst = 'BTC-PERPETUAL';
    await expect(session.request('private/buy', { instrument_name: inst, amount: 10, type: 'limit', price: 30_100, label: 'q-1', time_in_force: 'immediate_or_cancel' }, 'write'))
      .rejects.toBeInstanceOf(DeribitUnknownOutcomeError);
    expect(double.state.trades).toHaveLength(1); // it was executed
    double.faults.silentMethods.add('private/get_positions');
    await expect(session.request('private/get_positions', { currency: 'BTC' }, 'read')).rejects.toBeInstanceOf(DeribitUnavailableError);
    expect(session.counters.requestTimeouts).toBe(2);
  });

  it('during an outage a request fails as unavailable with nothing sent; afterwards it goes through', async () => {
    double = await startTestDouble();
    session = await DeribitSession.connect(configFor(double, { connectWaitMs: 200 }));
    double.startOutage();
    await waitFor('the session to notice', () => !session!.ready);
    const before = double.calls('private/buy');
    await expect(session.request('private/buy', { instrument_name: 'BTC-PERPETUAL', amount: 10, price: 30_100, label: 'x' }, 'write'))
      .rejects.toBeInstanceOf(DeribitUnavailableError);
    expect(double.calls('private/buy')).toBe(before);
    double.endOutage();
    await waitFor('reconnection', () => session!.ready);
    expect(await session.request('public/get_index_price', { index_name: 'btc_usd' }, 'read')).toEqual({ index_price: 30_000, estimated_delivery_price: 30_000 });
  });
});
