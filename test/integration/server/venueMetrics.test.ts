// The venue adapter's rate-limit backoffs reach /metrics through the engine view (the
// composition root hands the adapter's counters in; the server never sees the adapter).
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/server/metrics.ts';
import { FakeEngine } from '../../fixtures/server/fakeEngine.ts';
import { parsePromText } from '../../fixtures/server/promText.ts';

describe('/metrics: venue counters', () => {
  it('exports the rate-limit backoffs the adapter counted, as a counter read at scrape time', async () => {
    const engine = Object.assign(new FakeEngine({ vaultIds: ['v1'] }), { venueCounters: () => ({ rateLimitBackoffs: counted }) });
    let counted = 3;
    const m = createMetrics(engine, { defaultMetrics: false });
    const value = async (): Promise<number | undefined> => parsePromText(await m.render()).samples.find((s) => s.name === 'omm_venue_rate_limit_backoffs_total')?.value;
    expect(await value()).toBe(3);
    counted = 8;
    expect(await value()).toBe(8);
    m.stop();
  });

  it('reads 0 when the venue keeps no counters', async () => {
    const m = createMetrics(new FakeEngine({ vaultIds: ['v1'] }), { defaultMetrics: false });
    expect(parsePromText(await m.render()).samples.find((s) => s.name === 'omm_venue_rate_limit_backoffs_total')?.value).toBe(0);
    m.stop();
  });
});
