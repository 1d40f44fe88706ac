// End to end in a real browser: Debian's headless Chromium (driven by playwright-core) opens
// the dashboard of a running server, sees a vault change state and a hedge appear as the
// engine emits updates, and saves a screenshot to test-artifacts/dashboard.png.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../src/server/createServer.ts';
import type { EngineView } from '../../src/server/engineView.ts';
import { FakeEngine } from '../fixtures/server/fakeEngine.ts';

/** What the test needs from an engine: its view, the vault to watch, and a way to let it run. */
interface EngineUnderTest {
  engine: EngineView;
  /** The vault whose state change and hedge the browser must see. */
  vaultId: string;
  /** Lets market data flow (real engine: start the replay at a watchable speed). */
  start(): void;
  stop(): Promise<void>;
}

// The one place that picks the engine. The lead swaps this for the real engine on a short
// replay of the BTC price file; the assertions below only use the EngineView.
function createEngineUnderTest(): Promise<EngineUnderTest> {
  const fake = new FakeEngine({ vaultIds: ['vault-a', 'vault-b'], seed: 11 });
  for (let i = 0; i < 360; i++) fake.tick(60_000); // six hours of history before the page opens
  // Park vault-a in neutral with no delta so the live part shows neutral -> ... -> hedging.
  const a = fake.sim('vault-a');
  a.anchorUsd = fake.priceUsd - a.view.context.perpBtc / a.sensitivityBtcPerUsd;
  fake.transition(a, 'neutral', 'timer.fired', 'cooldown over');
  fake.tick(60_000, 0);
  let timer: NodeJS.Timeout | null = null;
  let dir = 1;
  return Promise.resolve({
    engine: fake,
    vaultId: 'vault-a',
    start() {
      let n = 0;
      // A steady 0.25% move per 120 ms tick: vault-a crosses its quote band, then its hedge band.
      timer = setInterval(() => { if (++n % 40 === 0) dir = -dir; fake.tick(60_000, 0.0025 * dir); }, 120);
    },
    stop() { if (timer) clearInterval(timer); fake.complete(); return Promise.resolve(); },
  });
}

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACT_DIR = 'test-artifacts';
const SCREENSHOT = `${ARTIFACT_DIR}/dashboard.png`;

describe.skipIf(!existsSync(CHROMIUM))('dashboard in headless Chromium', () => {
  let eut: EngineUnderTest;
  let server: RunningHttpServer;
  let browser: Browser;

  beforeAll(async () => {
    eut = await createEngineUnderTest();
    server = await startHttpServer({ port: 0, engine: eut.engine, controlToken: 'e2e-token', defaultMetrics: false });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await eut?.stop();
    await server?.close();
  });

  it('shows a vault change state and a hedge appear, live', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    // Everything the page loads must come from our server (no CDN, works offline).
    const foreign: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreign.push(r.url()); });

    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
    const card = page.locator(`article.vault[data-vault="${eut.vaultId}"]`);
    const badge = card.locator('[data-role=state]');
    const before = (await badge.textContent()) ?? '';
    const hedgesBefore = await card.locator('[data-role=hedges] tr[data-order]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.order));
    const transitionsBefore = await card.locator('[data-role=transitions] li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.key));
    expect(await card.locator('svg.machine .st.live').getAttribute('data-state')).toBe(before);

    eut.start();
    // The badge shows another state, the machine diagram follows it, and a transition into hedging lands.
    await page.waitForFunction(([id, s]) => document.querySelector(`article.vault[data-vault="${id}"] [data-role=state]`)?.textContent !== s,
      [eut.vaultId, before] as const, { timeout: 15_000 });
    await page.waitForFunction(([id, known]) => Array.from(document.querySelectorAll(`article.vault[data-vault="${id}"] [data-role=transitions] li[data-to="hedging"]`))
      .some((li) => !known.includes((li as HTMLElement).dataset.key ?? '')), [eut.vaultId, transitionsBefore] as const, { timeout: 15_000 });
    // A hedge row that was not there before.
    await page.waitForFunction(([id, known]) => Array.from(document.querySelectorAll(`article.vault[data-vault="${id}"] [data-role=hedges] tr[data-order]`))
      .some((r) => !known.includes((r as HTMLElement).dataset.order ?? '')), [eut.vaultId, hedgesBefore] as const, { timeout: 15_000 });

    // Badge and diagram read in one evaluate: updates keep arriving, so two reads could straddle one.
    const shown = await card.evaluate((el) => ({
      badge: el.querySelector('[data-role=state]')?.textContent ?? '',
      live: Array.from(el.querySelectorAll('svg.machine .st.live')).map((g) => g.getAttribute('data-state')),
    }));
    expect(shown.badge).not.toBe('');
    expect(shown.live).toEqual([shown.badge]);
    expect(await page.locator('#timeline li').count()).toBeGreaterThan(0);
    expect(await card.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator('#conn').getAttribute('class')).toContain('live');

    await page.waitForTimeout(600); // let the charts take the last batch
    mkdirSync(ARTIFACT_DIR, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true, animations: 'disabled' });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
    expect(pageErrors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
