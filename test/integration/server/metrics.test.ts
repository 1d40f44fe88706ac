// /metrics is valid Prometheus text from our own registry: per-vault gauges read at scrape
// time, counters/histograms fed by engine updates, process default metrics, all finite.
import { afterEach, describe, expect, it } from 'vitest';
import { register as globalRegistry } from 'prom-client';
import { startHttpServer, type RunningHttpServer } from '../../../src/server/createServer.ts';
import { createMetrics } from '../../../src/server/metrics.ts';
import { FakeEngine } from '../../fixtures/server/fakeEngine.ts';
import { familyOf, parsePromText, type PromSample } from '../../fixtures/server/promText.ts';

let server: RunningHttpServer | null = null;
afterEach(async () => { await server?.close(); server = null; });

const find = (samples: PromSample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('/metrics', () => {
  it('parses as Prometheus text with HELP/TYPE for every sample and only finite values', async () => {
    const engine = new FakeEngine({ vaultIds: ['v1', 'v2'] });
    server = await startHttpServer({ port: 0, engine, controlToken: undefined });
    for (let i = 0; i < 200; i++) engine.tick(60_000);
    engine.emit({ kind: 'rejected', source: 'file', reason: 'price.outlier' });
    engine.emit({ kind: 'commit', rows: 12, latencyMs: 3.5 });
    const r = await fetch(`${server.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, families } = parsePromText(await r.text());
    expect(samples.length).toBeGreaterThan(50);
    for (const s of samples) {
      const f = familyOf(s.name, families);
      expect(f, `family of ${s.name}`).toBeDefined();
      expect(f?.help, `HELP of ${s.name}`).toBeTruthy();
      expect(f?.type, `TYPE of ${s.name}`).toBeTruthy();
      // Histogram +Inf bucket bounds are labels, not values: every value must be finite.
      expect(Number.isFinite(s.value), `${s.name}${JSON.stringify(s.labels)} = ${s.value}`).toBe(true);
    }
    // Process default metrics are there.
    expect(find(samples, 'process_cpu_user_seconds_total')).toHaveLength(1);
    expect(find(samples, 'nodejs_heap_size_used_bytes')).toHaveLength(1);

    const v1 = engine.vaults()[0]!;
    expect(find(samples, 'omm_vault_delta_btc', { vault: 'v1' })[0]?.value).toBeCloseTo(v1.context.greeks.netBtc, 9);
    expect(find(samples, 'omm_vault_gamma_btc_per_usd', { vault: 'v1' })[0]?.value).toBe(v1.context.greeks.gamma);
    expect(find(samples, 'omm_vault_perp_position_btc', { vault: 'v1' })[0]?.value).toBeCloseTo(v1.context.perpBtc, 9);
    const states = find(samples, 'omm_vault_state', { vault: 'v1' });
    expect(states).toHaveLength(6);
    expect(states.filter((s) => s.value === 1).map((s) => s.labels.state)).toEqual([v1.state]);
    expect(find(samples, 'omm_vault_band_btc', { vault: 'v2', band: 'hedge' })[0]?.value).toBe(1.5);
    // PnL and book risk per vault, in the units their names state.
    expect(v1.pnl).not.toBeNull();
    expect(v1.risk).not.toBeNull();
    for (const [part, value] of [['option', v1.pnl!.optionUsd], ['hedge', v1.pnl!.hedgeUsd], ['total', v1.pnl!.totalUsd]] as const) {
      expect(find(samples, 'omm_vault_pnl_usd', { vault: 'v1', part })[0]?.value).toBeCloseTo(value, 6);
    }
    expect(find(samples, 'omm_vault_hedge_fees_usd', { vault: 'v1' })[0]?.value).toBeCloseTo(v1.pnl!.feesUsd, 6);
    expect(find(samples, 'omm_vault_funding_usd', { vault: 'v1' })[0]?.value).toBe(0);
    expect(find(samples, 'omm_vault_gamma_btc_per_pct_move', { vault: 'v1' })[0]?.value).toBeCloseTo(v1.risk!.gammaBtcPerPct, 9);
    expect(find(samples, 'omm_vault_vega_usd_per_vol_point', { vault: 'v1' })[0]?.value).toBeCloseTo(v1.risk!.vegaUsdPerVolPt, 6);
    expect(find(samples, 'omm_vault_theta_usd_per_day', { vault: 'v1' })[0]?.value).toBeCloseTo(v1.risk!.thetaUsdPerDay, 6);
    expect(v1.risk!.vegaUsdPerVolPt).toBeLessThan(0); // the toy book is short options
    expect(find(samples, 'omm_feed_age_seconds', { source: 'pyth' })[0]?.value).toBeCloseTo(0.85, 9);
    expect(find(samples, 'omm_ready')[0]?.value).toBe(1);
    expect(find(samples, 'omm_rejected_inputs_total', { source: 'file', reason: 'price.outlier' })[0]?.value).toBe(1);
    expect(find(samples, 'omm_rejected_inputs_engine', { reason: 'price.outlier' })[0]?.value).toBe(2);
    expect(find(samples, 'omm_journal_commit_seconds_count')[0]?.value).toBe(1);
    expect(find(samples, 'omm_journal_rows_total')[0]?.value).toBe(12);

    // Hedges: counts, fees and latency agree with what the engine emitted.
    for (const vid of ['v1', 'v2']) {
      const hs = engine.history(vid).hedges;
      expect(hs.length).toBeGreaterThan(0);
      expect(find(samples, 'omm_hedges_total', { vault: vid, status: 'filled' })[0]?.value).toBe(hs.length);
      expect(find(samples, 'omm_hedge_fees_usd_total', { vault: vid })[0]?.value).toBeCloseTo(hs.reduce((a, h) => a + h.feeUsd, 0), 6);
      expect(find(samples, 'omm_hedge_latency_seconds_count', { vault: vid })[0]?.value).toBe(hs.length);
      expect(find(samples, 'omm_hedge_latency_seconds_sum', { vault: vid })[0]?.value).toBeCloseTo(hs.reduce((a, h) => a + (h.latencyMs ?? 0), 0) / 1000, 6);
      expect(find(samples, 'omm_hedge_slippage_bps_count', { vault: vid })[0]?.value).toBe(hs.length);
      const outQuote = find(samples, 'omm_vault_time_outside_band_seconds_total', { vault: vid, band: 'quote' })[0]?.value ?? 0;
      const outHedge = find(samples, 'omm_vault_time_outside_band_seconds_total', { vault: vid, band: 'hedge' })[0]?.value ?? 0;
      expect(outQuote).toBeGreaterThan(0);
      expect(outQuote).toBeLessThanOrEqual(200 * 60);
      expect(outHedge).toBeLessThanOrEqual(outQuote);
    }
    // Our registry, not the global one.
    expect(await globalRegistry.metrics()).not.toContain('omm_vault_delta_btc');
  });

  it('counts cumulative hedge fees once per order and observes latency once', async () => {
    const engine = new FakeEngine({ vaultIds: ['v1'] });
    const m = createMetrics(engine, { defaultMetrics: false });
    const base = { vaultId: 'v1', clientOrderId: 'v1-1', at: 1, side: 'buy' as const, sizeBtc: 2, avgPriceUsd: 20_000 };
    engine.emit({ kind: 'hedge', entry: { ...base, filledBtc: 1, status: 'open', feeUsd: 4 } });
    engine.emit({ kind: 'hedge', entry: { ...base, filledBtc: 2, status: 'filled', feeUsd: 8, latencyMs: 250, slippageBps: 3 } });
    const { samples } = parsePromText(await m.render());
    expect(find(samples, 'omm_hedge_fees_usd_total', { vault: 'v1' })[0]?.value).toBe(8);
    expect(find(samples, 'omm_hedges_total', { vault: 'v1', status: 'open' })[0]?.value).toBe(1);
    expect(find(samples, 'omm_hedges_total', { vault: 'v1', status: 'filled' })[0]?.value).toBe(1);
    expect(find(samples, 'omm_hedge_latency_seconds_sum', { vault: 'v1' })[0]?.value).toBe(0.25);
    expect(find(samples, 'omm_hedge_slippage_bps_bucket', { vault: 'v1', le: '5' })[0]?.value).toBe(1);
    expect(find(samples, 'omm_hedge_slippage_bps_bucket', { vault: 'v1', le: '2' })[0]?.value).toBe(0);
    m.stop();
    engine.emit({ kind: 'hedge', entry: { ...base, clientOrderId: 'v1-2', filledBtc: 2, status: 'filled', feeUsd: 8 } });
    const after = parsePromText(await m.render()).samples;
    expect(find(after, 'omm_hedges_total', { vault: 'v1', status: 'filled' })[0]?.value).toBe(1);
  });

  it('rejects malformed exposition in the test parser (the parser is not a rubber stamp)', () => {
    expect(() => parsePromText('foo{a="1" 2')).toThrow();
    expect(() => parsePromText('foo 1 2 3')).toThrow();
    expect(() => parsePromText('# TYPE foo bogus')).toThrow();
    expect(parsePromText('# HELP a x\n# TYPE a gauge\na{b="c\\"d"} 1.5e3').samples).toEqual([{ name: 'a', labels: { b: 'c"d' }, value: 1500 }]);
  });
});
