// End to end in a real browser: Debian's headless Chromium (driven by playwright-core) opens
// the dashboard of a running server, sees a vault change state and a hedge appear as the
// engine emits updates, checks that nothing is clipped at 1,400 x 900 and that a transition's
// full reason is one hover away, and saves a screenshot to test-artifacts/dashboard.png.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../src/server/createServer.ts';
import type { EngineView, VaultView } from '../../src/server/engineView.ts';
import { machineGraph } from '../../machines/vault.graph.ts';
import { EngineViewAdapter } from '../../src/engine/engineView.ts';
import { QuotePublisher } from '../../src/engine/quotePublisher.ts';
import { replay } from '../../src/engine/replayDriver.ts';
import { ScriptedOptionsBook } from '../fixtures/scriptedOptionsBook.ts';
import { memoryStore, priceSlice, SOURCE, simVenue, startEngine, TAKERS } from '../fixtures/engineHarness.ts';
import { shortCallVault, straddleVault } from '../fixtures/vaults.ts';

/** What the test needs from an engine: its view, the vault to watch, and a way to let it run. */
interface EngineUnderTest {
  engine: EngineView;
  /** The vault whose state change and hedge the browser must see. */
  vaultId: string;
  /** Lets market data flow (real engine: start the replay at a watchable speed). */
  start(): void;
  /** Stops market data (the engine stays up, so the page and the API keep answering). */
  pause(): Promise<void>;
  stop(): Promise<void>;
}

// The real engine: the committed-state loop on the real sqlite3 journal and the in-process
// simulated venue, replaying the shared BTC file at a watchable pace (one minute every 40 ms).
async function createEngineUnderTest(): Promise<EngineUnderTest> {
  const records = priceSlice(2_000);
  const store = await memoryStore();
  const venue = await simVenue(records);
  const vaults = [
    straddleVault({ bands: { kind: 'fixed', quoteBtc: 0.3, hedgeBtc: 0.8, reentryBtc: 0.15, hardBtc: 3 }, cooldownMs: 10 * 60_000 }, 'vault-a'),
    shortCallVault({ cooldownMs: 30 * 60_000 }, 'vault-b'),
  ];
  const run = await startEngine(store, venue, vaults);
  // The quote publisher on a book that rests what it is asked (an options venue's card part), its MMP frozen.
  const book = new ScriptedOptionsBook({ autoAnswer: true });
  const publisher = new QuotePublisher({ book, engine: run.engine, mmp: null, onError: (e) => { throw e; } });
  await publisher.start();
  book.triggers.next({ at: Date.now(), frozenUntilMs: Date.now() + 3_600_000, indexName: 'btc_usd' });
  const view = new EngineViewAdapter(run.engine, {
    venueQuotes: publisher,
    machineGraph, feedAgeMs: () => ({ [SOURCE]: 0 }), feedsFresh: () => true, recoveryDone: () => true,
    now: () => run.engine.vault('vault-a')?.context.lastAt ?? 0,
    store, funding: { ratePerHour: venue.config.fundingRatePerHour, intervalMs: venue.config.fundingIntervalMs },
  });
  await view.load();
  // Some history before the page opens: the first minute only (vault-a stays calm until the replay starts).
  let stop = false;
  let replaying: Promise<unknown> = Promise.resolve();
  return {
    engine: view,
    vaultId: 'vault-a',
    start() {
      replaying = replay({
        engine: run.engine, records, source: SOURCE, seed: 11, takers: TAKERS, staleAfterMs: 600_000,
        commitEveryRows: 1, pace: () => 40, shouldStop: () => stop,
      });
    },
    async pause() {
      stop = true;
      await replaying.catch(() => undefined);
    },
    async stop() {
      stop = true;
      await replaying.catch(() => undefined);
      view.close();
      await publisher.stop();
      await run.engine.stop();
      await store.close();
    },
  };
}

/**
 * What the page clips or pushes out of place: a horizontal page scroll, a box wider than the
 * card or panel it sits in, or a scroll box that hides columns (text cut with an ellipsis on
 * purpose is fine: its full text is in a title). Runs in the page.
 */
function clippedAt1400(): string[] {
  const bad: string[] = [];
  const name = (e: Element): string => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? `.${e.className.trim().split(/\s+/).join('.')}` : ''}${(e as HTMLElement).dataset?.role ? `[${(e as HTMLElement).dataset.role}]` : ''}`;
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) bad.push(`page: ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
  for (const e of Array.from(document.querySelectorAll('body *'))) {
    if (e.closest('svg') !== null && e.tagName.toLowerCase() !== 'svg') continue;
    const cs = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    if (cs.display === 'none' || r.width === 0) continue;
    const box = e.parentElement?.closest('.vault, .panel, .top');
    if (box) {
      const b = box.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1) bad.push(`${name(e)} sticks out of ${name(box)}: ${Math.round(r.left)}..${Math.round(r.right)} vs ${Math.round(b.left)}..${Math.round(b.right)}`);
    }
    if (e.matches('svg.machine')) {
      for (const st of Array.from(e.querySelectorAll('.st rect'))) {
        const b = st.getBoundingClientRect();
        if (b.top < r.top - 1 || b.bottom > r.bottom + 1 || b.left < r.left - 1 || b.right > r.right + 1) bad.push(`state box ${st.parentElement?.getAttribute('data-state')} is cut by the machine diagram's edge`);
      }
    }
    const clips = cs.overflowX !== 'visible' && e !== root && e !== document.body;
    if (clips && cs.textOverflow !== 'ellipsis' && e.scrollWidth > e.clientWidth + 1) bad.push(`${name(e)} hides ${e.scrollWidth - e.clientWidth} px of its content`);
  }
  return bad;
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
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
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

    // PnL and the book's greeks, in trader's units, agree with what the API serves.
    const money = /^[+−]?[\d,]+ \$$/;
    await page.waitForFunction((id) => /^[+−]?[\d,]+ \$$/.test(document.querySelector(`article.vault[data-vault="${id}"] [data-role=pnl-total]`)?.textContent ?? ''), eut.vaultId, { timeout: 10_000 });
    const shownRisk = await card.evaluate((el) => Object.fromEntries(['pnl-option', 'pnl-hedge', 'pnl-fees', 'pnl-funding', 'pnl-total', 'gamma', 'vega', 'theta', 'pnl-since']
      .map((r) => [r, el.querySelector(`[data-role=${r}]`)?.textContent ?? ''])));
    for (const r of ['pnl-option', 'pnl-hedge', 'pnl-fees', 'pnl-funding', 'pnl-total', 'vega', 'theta']) expect(shownRisk[r], r).toMatch(money);
    expect(shownRisk.gamma).toMatch(/^[+−]?\d+\.\d{3} BTC$/);
    expect(shownRisk['pnl-since']).toMatch(/^PnL since \d\d-\d\d \d\d:\d\d:\d\d \(spot [\d,.]+\)$/);
    await eut.pause(); // freeze the numbers, then compare the card with the API
    await page.waitForTimeout(800);
    const api = (await (await fetch(`${server.url}/api/vaults`)).json() as { vaults: VaultView[] }).vaults.find((v) => v.vaultId === eut.vaultId)!;
    const num = (t: string): number => Number(t.replace(/[^\d.−+-]/g, '').replace('−', '-'));
    const frozen = await card.evaluate((el) => ['pnl-total', 'theta', 'gamma'].map((r) => el.querySelector(`[data-role=${r}]`)?.textContent ?? ''));
    expect(num(frozen[0]!)).toBeCloseTo(api.pnl!.totalUsd, -1);
    expect(num(frozen[1]!)).toBeCloseTo(api.risk!.thetaUsdPerDay, -1);
    expect(num(frozen[2]!)).toBeCloseTo(api.risk!.gammaBtcPerPct, 3);
    expect(await card.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator('#conn').getAttribute('class')).toContain('live');

    // The quotes on the venue, wanted beside resting, with the MMP state.
    const venue = card.locator('[data-role=venue]');
    expect(await venue.isVisible()).toBe(true);
    expect(await venue.locator('[data-role=venue-state]').textContent()).toMatch(/resting · MMP frozen until \d\d-\d\d \d\d:\d\d:\d\d · synced /);
    const venueRows = await venue.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)));
    // Two rows a series (bid, ask; the series name spans both), each wanted beside resting.
    expect(venueRows.filter((r) => r.length === 4).map((r) => r[0])).toEqual(api.quotes.map((x) => x.instrument));
    expect(venueRows).toHaveLength(2 * api.quotes.length);
    expect(venueRows.flatMap((r) => r.slice(-2)).filter((c) => /^\d+(\.\d+)? @ 0\.\d{4}$/.test(c ?? '')).length).toBeGreaterThan(0);

    await page.waitForTimeout(600); // let the charts take the last batch
    mkdirSync(ARTIFACT_DIR, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true, animations: 'disabled' });
    expect(await page.evaluate(clippedAt1400)).toEqual([]);

    // A transition's reason is cut to one line on the card; its full text is one hover away.
    // Updates keep arriving: the row is found by its key, not by its place in the list.
    const key = (await card.locator('[data-role=transitions] li[data-to="hedging"]').first().getAttribute('data-key')) ?? '';
    const entry = card.locator(`[data-role=transitions] li[data-key="${key}"]`);
    const seq = Number(key.split(':').at(-1));
    const history = await (await fetch(`${server.url}/api/vaults/${eut.vaultId}/history`)).json() as { transitions: { seq: number; event: string; reason: string }[] };
    const t = history.transitions.find((x) => x.seq === seq);
    expect(t?.reason.length).toBeGreaterThan(20);
    expect(await entry.getAttribute('title')).toBe(`${t?.event}: ${t?.reason}`);
    await entry.locator('.why').hover();
    expect(await page.evaluate(() => document.querySelector(':hover:not(html, body, main, section, article, ol, div)')?.closest('[title]')?.getAttribute('title'))).toBe(`${t?.event}: ${t?.reason}`);
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
    expect(pageErrors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
