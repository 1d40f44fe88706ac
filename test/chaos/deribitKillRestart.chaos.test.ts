// Chaos on Deribit: the real `omm-hedger run` quoting and hedging on the Deribit double (in the
// test's process: only the engine is killed, the venue keeps its state), the index walking and
// seeded takers trading the vault's resting quotes every 150 ms. The engine is killed with
// SIGKILL again and again (14 kills: some the moment the double books a hedge, whose outcome
// the engine reports 150 ms later (--fault-effect-delay-ms); some in start-up, the moment it
// reads the trades made while it was away; the rest at random once it quotes), and restarted
// each time on the same journal. After each kill the vault's quotes vanish
// (cancel-on-disconnect), and a trade is made on the account while the engine is down (an
// order placed outside any session, as from the website, then taken). At the end, after a
// last clean life: the account's option trades are the journal's fills (each once), no label
// rested twice at once, no hedge label was sent twice, every hedge order is final, no quote
// rests, the double's perp (USD) equals the vault's, nothing halted, and `verify` passes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/cli/compose/openStore.ts';
import { hashUniform } from '../../src/domain/rng.ts';
import { runCli, startCli } from '../fixtures/cliProcess.ts';
import { writeDeribitRunConfig } from '../fixtures/deribit/deribitRunConfig.ts';
import { seriesOf } from '../fixtures/deribit/harness.ts';
import { DeribitDouble } from '../fixtures/deribit/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-chaos-deribit-'));
let d: DeribitDouble | undefined;
const timers: NodeJS.Timeout[] = [];
afterAll(async () => { for (const t of timers) clearInterval(t); await d?.close(); rmSync(dir, { recursive: true, force: true }); });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const VAULT = 'alpha';
const PERP = 'BTC-PERPETUAL';
const KILLS = 14;

/** Polls `cond` every `everyMs` until it holds; throws after `ms` naming `what`. */
async function until(what: string, cond: () => boolean | Promise<boolean>, ms: number, everyMs = 20): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Waits for `cond` while the engine lives; on failure stops it and throws with the end of its log (a halt names its reason there). */
async function whileUp(p: ReturnType<typeof startCli>, what: string, cond: () => boolean, everyMs = 20): Promise<void> {
  try {
    await until(what, () => {
      if (p.child.exitCode !== null) throw new Error(`engine exited ${p.child.exitCode}`);
      return cond();
    }, 60_000, everyMs);
  } catch (err) {
    p.child.kill('SIGKILL');
    const end = await p.done;
    throw new Error(`${(err as Error).message}; the engine's log ends:\n${(end.stdout + end.stderr).slice(-3_000)}`);
  }
}

interface DbFacts { fillIds: string[]; openOrders: number; orders: { clientOrderId: string; side: 'buy' | 'sell'; filledBtc: number; avgPriceUsd: number }[]; halts: number; genesisPerpUsd: number }
async function dbFacts(db: string): Promise<DbFacts> {
  const store = await openJournal(db, { create: false });
  try {
    const rows = await store.readJournal({ vaultId: VAULT });
    const genesis = rows.find((r) => r.eventType === 'vault.created')?.event as { venueImport?: { perpUsd: number } } | undefined;
    if (genesis?.venueImport === undefined) throw new Error('the genesis row holds no venue import');
    return {
      fillIds: (await store.fillsOf(VAULT)).map((f) => f.fillId),
      openOrders: (await store.openHedgeOrders()).length,
      orders: await store.hedgeOrders(VAULT),
      halts: rows.filter((r) => r.eventType === 'control.pause').length,
      genesisPerpUsd: genesis.venueImport.perpUsd,
    };
  } finally {
    await store.close();
  }
}

describe('chaos: SIGKILL the engine quoting and hedging on the Deribit double', () => {
  it('pulls the quotes at every kill, books every trade once, places no label twice, and ends with the books equal', async () => {
    d = await DeribitDouble.start({ indexUsd: 30_000, takers: { seed: 11, baseProb: 0.5, sizeContracts: 1 } });
    const dd = d;
    const names = [...dd.state.instruments.keys()];
    const call = seriesOf(names, 1, 30_000, 'C');
    const put = seriesOf(names, 2, 27_000, 'P');
    dd.state.positions.set(call, { size: -5, avgPrice: 0.04 });
    dd.state.positions.set(put, { size: 2, avgPrice: 0.02 });
    dd.state.positions.set(PERP, { size: -2_000, avgPrice: 30_000 });
    const optionKind = (instrument: string): boolean => dd.state.instruments.get(instrument)?.kind === 'option';
    const quotes = () => dd.openOrders().filter((o) => o.label?.startsWith(`${VAULT}-`) === true && optionKind(o.instrument_name));

    // Tight bands and a short cooldown so that the takers' flow makes hedges; MMP out of the way
    // of that flow (a trigger would freeze quoting for seconds).
    const { config } = writeDeribitRunConfig(dir, dd, {
      vault: {
        id: VAULT, cooldownMs: 200, bands: { kind: 'fixed', quoteBtc: 0.2, hedgeBtc: 0.4, reentryBtc: 0.1, hardBtc: 50 },
        quote: { baseSizeContracts: 1, mmp: { enabled: true, quantityLimit: 10_000, intervalSec: 1, frozenTimeSec: 1 } },
      },
      top: { reconcileEveryMs: 500 },
    });
    const db = join(dir, 'chaos.db');
    const args = ['run', '--config', config, '--db', db, '--create', '--fault-effect-delay-ms', '150'];

    // The index walks (seeded 0.1% steps, kept within 29 000..31 000) and the takers step, every 150 ms.
    let px = 30_000;
    let step = 0;
    const walk = (): void => {
      px = Math.min(31_000, Math.max(29_000, px * (1 + (hashUniform(5, step++) < 0.5 ? -0.001 : 0.001))));
      dd.setIndex(Math.round(px * 100) / 100);
    };
    // The takers pause from each kill until its quotes are gone: then nothing but cancel-on-disconnect can pull them.
    let takersOn = true;
    timers.push(setInterval(walk, 150), setInterval(() => { if (takersOn) dd.stepTakers(); }, 150));

    const boot = Date.now();
    await runCli(['--version']);
    const bootMs = Date.now() - boot;
    let kills = 0, killedInFlight = 0, killedBeforeBackfillCommitted = 0, tradesWhileDown = 0, unbookedAtKill = 0, quotesLeftAfterKills = 0, maxVanishMs = 0;
    const awayTrades: string[] = [];
    const t0 = Date.now();
    for (let life = 0; life < KILLS; life++) {
      const p = startCli(args);
      const inBackfill = life % 4 === 3;
      if (inBackfill) {
        // Every fourth life dies in its start-up, the moment it reads the trades made while it was away.
        const reads = dd.calls('private/get_user_trades_by_currency');
        await whileUp(p, `life ${life}: the trade history read`, () => dd.calls('private/get_user_trades_by_currency') > reads, 2);
      } else {
        // Up: the vault's quotes rest on the book (recovered, trades backfilled, book checked, quoting).
        await whileUp(p, `life ${life}: the vault's quotes on the book`, () => quotes().length > 0);
      }
      if (inBackfill) {
        // Killed at once (below).
      } else if (life % 3 === 1) {
        // Every third life dies the moment the double books a hedge: the order is on the venue,
        // its outcome not yet journaled (the engine pauses 150 ms before reporting it).
        const perpOrders = (): number => [...dd.state.orders.values()].filter((o) => o.wire.instrument_name === PERP).length;
        const before = perpOrders();
        for (const end = Date.now() + 5_000; perpOrders() === before && Date.now() < end;) await sleep(5);
      } else {
        await sleep(200 + hashUniform(17, life) * 1_200);
      }
      takersOn = false;
      p.child.kill('SIGKILL');
      const end = await p.done;
      expect(end.signal, end.stderr).toBe('SIGKILL');
      kills++;
      const downFrom = Date.now();
      // (a) Cancel-on-disconnect: the double pulls the dead session's quotes (a bounded wait, then none left).
      await until(`kill ${kills}: the vault's quotes pulled`, () => quotes().length === 0, 5_000);
      maxVanishMs = Math.max(maxVanishMs, Date.now() - downFrom);
      quotesLeftAfterKills += quotes().length;
      const facts = await dbFacts(db);
      if (facts.openOrders > 0) killedInFlight++;
      const traded = dd.state.trades.filter((t) => optionKind(t.instrument_name)).length;
      unbookedAtKill += traded - facts.fillIds.length;
      if (inBackfill && traded > facts.fillIds.length) killedBeforeBackfillCommitted++;
      // A trade on the account while the engine is down: an order from outside any session, taken.
      const instrument = kills % 2 === 0 ? call : put;
      const side = hashUniform(23, kills) < 0.5 ? 'buy' : 'sell';
      const out = dd.book.outside(dd.book.instrument(instrument));
      const label = `web-${kills}`;
      dd.placeForAccount(side, { instrument_name: instrument, amount: 1, price: side === 'buy' ? out.bid : out.ask, label, post_only: true });
      awayTrades.push(dd.takeByLabel(label, 1).trade_id);
      tradesWhileDown += dd.state.trades.filter((t) => optionKind(t.instrument_name) && t.timestamp >= downFrom).length;
      takersOn = true;
    }
    const chaosMs = Date.now() - t0;
    for (const t of timers) clearInterval(t);

    // A last clean life on a still market: it backfills, finishes hedges left in flight, quotes,
    // passes three running book checks, and is stopped with SIGTERM (quotes pulled, exit 0).
    const last = startCli(args);
    await whileUp(last, 'the last life quoting', () => quotes().length > 0);
    const reads = dd.calls('private/get_positions');
    await whileUp(last, 'three book checks', () => dd.calls('private/get_positions') >= reads + 3);
    last.child.kill('SIGTERM');
    const fin = await last.done;
    expect(fin.code, fin.stderr).toBe(0);

    const facts = await dbFacts(db);
    const venueTrades = dd.state.trades.filter((t) => optionKind(t.instrument_name)).map((t) => t.trade_id);
    const quoteTrades = dd.state.trades.filter((t) => t.label?.startsWith(`${VAULT}-`) === true && optionKind(t.instrument_name)).length;
    // Every quote the engine ever placed: post-only, MMP, labelled <vault>-<series>-<side>.
    const quoteOrders = [...dd.state.orders.values()].map((o) => o.wire).filter((w) => w.label?.startsWith(`${VAULT}-`) === true && optionKind(w.instrument_name));
    const codCancels = quoteOrders.filter((w) => w.cancel_reason === 'cancel_on_disconnect').length;
    const badQuotes = quoteOrders.filter((w) => w.label !== `${VAULT}-${w.instrument_name}-${w.direction === 'buy' ? 'bid' : 'ask'}` || w.post_only !== true || w.mmp !== true);
    const hedgeIds = facts.orders.map((o) => o.clientOrderId);
    const perpLabels = [...dd.state.orders.values()].filter((o) => o.wire.instrument_name === PERP).map((o) => o.wire.label ?? `(unlabelled ${o.wire.order_id})`);
    const vaultPerpUsd = facts.genesisPerpUsd + facts.orders.reduce((s, o) => s + (o.side === 'buy' ? 1 : -1) * o.filledBtc * o.avgPriceUsd, 0);
    const venuePerpUsd = dd.state.positions.get(PERP)?.size ?? 0;
    console.log(JSON.stringify({
      kills, killedInFlight, killedBeforeBackfillCommitted, tradesWhileDown, unbookedAtKill, quotesLeftAfterKills, maxVanishMs, chaosMs, bootMs,
      msPerLifeOverBoot: Number((chaosMs / kills / bootMs).toFixed(2)), optionTrades: venueTrades.length, quoteTrades, quoteOrders: quoteOrders.length, codCancels, fills: facts.fillIds.length,
      hedges: facts.orders.length, labelCollisions: dd.state.labelCollisions.size, maxHedgeSends: Math.max(0, ...hedgeIds.map((id) => dd.attempts(id))),
      venuePerpUsd, vaultPerpUsd: Math.round(vaultPerpUsd * 100) / 100,
    }));
    expect(kills).toBeGreaterThanOrEqual(10);
    expect(killedInFlight).toBeGreaterThan(0);
    expect(killedBeforeBackfillCommitted).toBeGreaterThan(0);
    expect(quotesLeftAfterKills).toBe(0);
    expect(codCancels).toBeGreaterThanOrEqual(kills);
    expect(tradesWhileDown).toBeGreaterThanOrEqual(kills);
    // (b) Every option trade of the account is a fill of the journal, once (the trades made while down among them).
    expect(new Set(facts.fillIds).size).toBe(facts.fillIds.length);
    expect([...facts.fillIds].sort()).toEqual([...venueTrades].sort());
    expect(facts.fillIds).toEqual(expect.arrayContaining(awayTrades));
    expect(quoteTrades).toBeGreaterThan(10); // the takers traded the vault's quotes
    expect(quoteOrders.length).toBeGreaterThan(kills);
    expect(badQuotes).toEqual([]);
    // (c) No label rested twice at once; every hedge label was sent once as a new order, and every perp order is a journaled hedge.
    expect(Object.fromEntries(dd.state.labelCollisions)).toEqual({});
    expect(facts.orders.length).toBeGreaterThanOrEqual(5); // the takers' fills moved delta past the band: hedges
    expect(hedgeIds.filter((id) => dd.attempts(id) > 1)).toEqual([]);
    expect(perpLabels.filter((l) => !hedgeIds.includes(l))).toEqual([]);
    // (d) The books agree after the clean stop.
    expect(facts.openOrders).toBe(0);
    expect(quotes()).toEqual([]);
    expect(facts.halts).toBe(0);
    expect(Math.abs(venuePerpUsd - vaultPerpUsd)).toBeLessThanOrEqual(10);
    const verify = await runCli(['verify', '--db', db]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 300_000);
});
