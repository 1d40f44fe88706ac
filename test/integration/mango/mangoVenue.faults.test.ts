// Faults with the real MangoClient: a cluster that never confirms (timeout, outcome unknown,
// no blind re-send), WebSocket loss (signatureSubscribe falls back to polling), an RPC node
// that is unreachable at connect or mid-session.
import { afterEach, describe, expect, it } from 'vitest';
import { MangoVenue } from '../../../src/venues/mango/mangoVenue.ts';
import { VenueTimeoutError, VenueUnavailableError } from '../../../src/venues/hedgeVenue.ts';
import { startMangoHarness, type MangoHarness } from '../../fixtures/mango/mangoHarness.ts';

const at = Date.parse('2023-03-01T00:00:00Z');
const buy = (id: string) => ({ clientOrderId: id, market: 'BTC-PERP', side: 'buy' as const, sizeBtc: 0.2, limitPriceUsd: 25_100, reduceOnly: false, at });

describe('MangoVenue faults (offline, real MangoClient)', () => {
  let h: MangoHarness | undefined;
  let venue: MangoVenue | undefined;
  afterEach(async () => {
    await venue?.close();
    await h?.close();
    venue = undefined;
    h = undefined;
  });

  it('timeout: the cluster never confirms -> VenueTimeoutError; lookup shows it never landed; no blind re-send', async () => {
    // 160 blocks/s: the blockhash (150 blocks) dies in ~0.9 s, the client's 152-block grace by ~1.9 s.
    h = await startMangoHarness({ blocksPerSecond: 160, config: { timeoutMs: 1_000 } });
    venue = await MangoVenue.connect(h.config);
    h.model.holdAll = true;
    const t0 = Date.now();
    await expect(venue.placeIoc(buy('v-1'))).rejects.toBeInstanceOf(VenueTimeoutError);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(h.rpc.sent).toHaveLength(1);
    expect(await venue.lookup('v-1')).toMatchObject({ status: 'cancelled', filledBtc: 0 });
    // Placing the same id again returns what is known; nothing new goes out.
    expect(await venue.placeIoc(buy('v-1'))).toMatchObject({ status: 'cancelled', filledBtc: 0 });
    expect(h.rpc.sent).toHaveLength(1);
    expect((await venue.position('BTC-PERP')).sizeBtc).toBe(0);
  });

  it('timeout while still in flight: lookup says open until the transaction lands, then filled', async () => {
    // Slow blocks: the blockhash stays valid, so the outcome is genuinely pending.
    h = await startMangoHarness({ blocksPerSecond: 2.5, config: { timeoutMs: 500 }, });
    venue = await MangoVenue.connect(h.config, { graceMs: 700 });
    h.model.holdAll = true;
    await expect(venue.placeIoc(buy('v-2'))).rejects.toBeInstanceOf(VenueTimeoutError);
    expect(await venue.lookup('v-2')).toMatchObject({ status: 'open', filledBtc: 0 });
    // The held transaction now executes (late landing).
    h.model.holdAll = false;
    const held = h.rpc.sent[0]!;
    const outcome = h.model.processor(held.tx, held.signature);
    if (outcome === 'hold') throw new Error('model still holding');
    h.rpc.land(held.signature, outcome);
    expect(await venue.lookup('v-2')).toMatchObject({ status: 'filled', filledBtc: 0.2 });
    expect(h.rpc.sent).toHaveLength(1);
  });

  it('WebSocket loss: with no PubSub the client confirms by polling getSignatureStatuses', async () => {
    h = await startMangoHarness();
    h.rpc.wsMode = 'down';
    venue = await MangoVenue.connect(h.config);
    const st = await venue.placeIoc(buy('v-3'));
    expect(st).toMatchObject({ status: 'filled', filledBtc: 0.2 });
    expect(h.rpc.count('ws:signatureSubscribe')).toBe(0);
    expect(h.rpc.count('getSignatureStatuses')).toBeGreaterThanOrEqual(1);
  });

  it('WebSocket dropped mid-session: later orders still confirm', async () => {
    h = await startMangoHarness();
    venue = await MangoVenue.connect(h.config);
    expect((await venue.placeIoc(buy('v-4'))).status).toBe('filled');
    expect(h.rpc.count('ws:signatureSubscribe')).toBe(1);
    h.rpc.wsMode = 'down';
    h.rpc.dropWebSockets();
    expect((await venue.placeIoc(buy('v-5'))).status).toBe('filled');
    expect((await venue.position('BTC-PERP')).sizeBtc).toBeCloseTo(0.4, 12);
  });

  it('unreachable RPC: connect and orders fail as VenueUnavailableError, nothing is sent', async () => {
    h = await startMangoHarness();
    venue = await MangoVenue.connect(h.config);
    h.rpc.outage = true;
    await expect(venue.placeIoc(buy('v-6'))).rejects.toBeInstanceOf(VenueUnavailableError);
    await expect(venue.position('BTC-PERP')).rejects.toBeInstanceOf(VenueUnavailableError);
    h.rpc.outage = false;
    expect(h.rpc.sent).toHaveLength(0);
    expect(await venue.lookup('v-6')).toEqual({ status: 'unknown' });
    await h.rpc.close(); // the node goes away for good
    const err = await MangoVenue.connect(h.config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueUnavailableError);
    expect((err as Error).message).toMatch(/ECONNREFUSED|fetch failed/);
  });
});
