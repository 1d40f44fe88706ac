// Quotes on an options venue through the HTTP face: /api/quotes and /api/vaults give each
// vault's wanted (committed) quotes beside the resting ones and the MMP state; /metrics counts
// the book's orders, skips and 10028 backoffs, with units in the names. Without an options book
// none of it appears.
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../../src/server/createServer.ts';
import type { QuoteCountersView, VaultView, VenueQuotesView } from '../../../src/server/engineView.ts';
import { FakeEngine } from '../../fixtures/server/fakeEngine.ts';
import { getJson } from '../../fixtures/server/httpClient.ts';
import { parsePromText } from '../../fixtures/server/promText.ts';

const S = 'BTC-31MAR23-24000-C';
const QUOTES: VenueQuotesView = {
  wanted: [{ instrument: S, side: 'bid', priceBtc: 0.03512, amountContracts: 1.6 }, { instrument: S, side: 'ask', priceBtc: 0.0371, amountContracts: 2 }],
  resting: [{ instrument: S, side: 'bid', priceBtc: 0.035, amountContracts: 1.6 }],
  pulled: false, mmpFrozenUntil: 1_700_000_030_000, syncedAt: 1_700_000_000_000, skipped: { 'mmp-frozen': 1 },
};
const COUNTERS: QuoteCountersView = {
  placed: 7, amended: 3, cancelled: 5, postOnlyRepriced: 1, rateLimited: 2, creditRefusals: 4, mmpTriggers: 1, syncs: 12, cancelAlls: 2,
  skipped: { 'mmp-frozen': 4, 'rate-limited': 2 },
};

class QuotingEngine extends FakeEngine {
  override vaults(): VaultView[] { return super.vaults().map((v) => ({ ...v, venueQuotes: v.vaultId === 'v1' ? QUOTES : null })); }
  quoteCounters(): QuoteCountersView { return COUNTERS; }
}

let server: RunningHttpServer | null = null;
afterEach(async () => { await server?.close(); server = null; });

describe('venue quotes over HTTP', () => {
  it('/api/quotes and /api/vaults show wanted beside resting quotes and the MMP state', async () => {
    server = await startHttpServer({ port: 0, engine: new QuotingEngine({ vaultIds: ['v1', 'v2'] }), controlToken: undefined, defaultMetrics: false });
    const q = await getJson(`${server.url}/api/quotes`);
    expect(q.status).toBe(200);
    expect(q.body).toEqual({ counters: COUNTERS, vaults: [{ vaultId: 'v1', ...QUOTES }] });
    const v = await getJson(`${server.url}/api/vaults`);
    expect((v.body.vaults as VaultView[]).map((x) => [x.vaultId, x.venueQuotes?.resting.length ?? null])).toEqual([['v1', 1], ['v2', null]]);
  });

  it('/metrics counts orders by action, skips by reason and 10028 backoffs, and gives per-vault sizes and MMP', async () => {
    server = await startHttpServer({ port: 0, engine: new QuotingEngine({ vaultIds: ['v1'] }), controlToken: undefined, defaultMetrics: false });
    const res = await fetch(`${server.url}/metrics`);
    const samples = parsePromText(await res.text()).samples;
    const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, x]) => s.labels[k] === x))?.value;
    expect([value('omm_quote_orders_total', { action: 'placed' }), value('omm_quote_orders_total', { action: 'amended' }), value('omm_quote_orders_total', { action: 'cancelled' })]).toEqual([7, 3, 5]);
    expect(value('omm_quote_sides_skipped_total', { reason: 'mmp-frozen' })).toBe(4);
    expect(value('omm_quote_rate_limit_backoffs_total')).toBe(2);
    expect(value('omm_quote_credit_refusals_total')).toBe(4);
    expect(value('omm_quote_cancel_alls_total')).toBe(2);
    expect(value('omm_vault_quote_contracts', { vault: 'v1', side: 'bid', where: 'wanted' })).toBeCloseTo(1.6, 9);
    expect(value('omm_vault_quote_contracts', { vault: 'v1', side: 'ask', where: 'resting' })).toBe(0);
    expect(value('omm_vault_mmp_frozen', { vault: 'v1' })).toBe(1);
    expect(value('omm_vault_mmp_frozen_until_timestamp_seconds', { vault: 'v1' })).toBe(1_700_000_030);
    expect(value('omm_vault_quotes_pulled', { vault: 'v1' })).toBe(0);
  });

  it('without an options book: no quote metrics, /api/quotes says so', async () => {
    server = await startHttpServer({ port: 0, engine: new FakeEngine({ vaultIds: ['v1'] }), controlToken: undefined, defaultMetrics: false });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).not.toMatch(/omm_quote_|omm_vault_quote|omm_vault_mmp/);
    expect((await getJson(`${server.url}/api/quotes`)).body).toEqual({ counters: null, vaults: [] });
  });
});
