// `omm-hedger run` on a Deribit account, here the loopback double: venue.kind deribit, the
// index as the live feed (prices.kind deribit-index, moved by the test through a price file).
// First start: the vault's book is imported from the account (the genesis row holds the venue's
// positions); the vault hedges on BTC-PERPETUAL; a trade on the account while it runs is
// journaled once; stopped, the account's quotes are pulled; a trade made while it is down is
// journaled once after the restart (that run then SIGKILLed); the double's perp equals the
// vault's (USD, within a contract); a position changed behind its back halts the vault with
// both books in the reason, at the restart and (after the operator resumes it) while it runs.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../../src/cli/compose/openStore.ts';
import { readCsvPrices } from '../../../src/streams/readCsvPrices.ts';
import { runCli, startCli } from '../../fixtures/cliProcess.ts';
import { writeDeribitRunConfig } from '../../fixtures/deribit/deribitRunConfig.ts';
import { seriesOf } from '../../fixtures/deribit/harness.ts';
import { DeribitDouble } from '../../fixtures/deribit/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'omm-run-deribit-'));
let d: DeribitDouble | undefined;
let ticker: NodeJS.Timeout | undefined;
afterAll(async () => { clearInterval(ticker); await d?.close(); rmSync(dir, { recursive: true, force: true }); });
const TOKEN = 'deribit-test-token';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface VaultJson { state: string; context: { fills: number; perpBtc: number; haltReason: string | null; book: { instrument: string; qty: number }[] } }

/** Starts the run; resolves with its dashboard URL once it serves (recovered and reconciled). */
async function start(config: string, db: string): Promise<{ p: ReturnType<typeof startCli>; vault: () => Promise<VaultJson>; resume: () => Promise<void> }> {
  const p = startCli(['run', '--config', config, '--db', db, '--create']);
  await until('the dashboard', () => /dashboard on (http:\/\/\S+)\//.test(p.stdout()), 40_000);
  const base = /dashboard on (http:\/\/\S+)\//.exec(p.stdout())?.[1] as string;
  return {
    p, vault: async () => ((await (await fetch(`${base}/api/vaults`)).json()) as { vaults: VaultJson[] }).vaults[0] as VaultJson,
    resume: async () => { expect((await fetch(`${base}/control/resume`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{}' })).status).toBe(200); },
  };
}

/** Everything the runs printed: searched for the client secret at the end. */
const printed: string[] = [];
async function stop(p: ReturnType<typeof startCli>): Promise<void> {
  p.child.kill('SIGTERM');
  const end = await p.done;
  expect(end.code, end.stderr).toBe(0);
  printed.push(end.stdout, end.stderr);
}

/** A quote of the account resting on the book (as the quote publisher would leave it), then taken by a taker: one trade. */
function tradeOnAccount(dd: DeribitDouble, instrument: string, label: string, direction: 'buy' | 'sell', contracts: number): string {
  dd.placeForAccount(direction, { instrument_name: instrument, amount: contracts, type: 'limit', price: direction === 'sell' ? 0.25 : 0.0005, label, post_only: true });
  return dd.takeByLabel(label, contracts).trade_id;
}

type Row = { eventType: string; event: { fillId?: string; reason?: string; venueImport?: { perpUsd: number; options: { instrument: string; qty: number }[] } } };
async function journal(db: string): Promise<Row[]> {
  return (await runCli(['journal', '--db', db, '--all', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as Row);
}

describe('run with venue deribit (the double) and the deribit index', () => {
  it('imports the book, books trades once (live and while away), hedges on BTC-PERPETUAL, and halts on a changed position (restart and running)', async () => {
    d = await DeribitDouble.start({ indexUsd: 30_000 });
    const dd = d;
    const names = [...dd.state.instruments.keys()];
    const call = seriesOf(names, 1, 30_000, 'C');
    const put = seriesOf(names, 2, 27_000, 'P');
    dd.state.positions.set(call, { size: -5, avgPrice: 0.04 });
    dd.state.positions.set(put, { size: 2, avgPrice: 0.02 });
    dd.state.positions.set('BTC-PERPETUAL', { size: -2_000, avgPrice: 30_000 });
    // The index walks through a price file's closes (small steps), one every 150 ms, holding the last.
    const csv = join(dir, 'index.csv');
    writeFileSync(csv, `time,close\n${Array.from({ length: 400 }, (_, i) => `${1_700_000_000_000 + i * 60_000},${30_000 + 30 * Math.sin(i / 5)}`).join('\n')}\n`);
    const path = readCsvPrices(csv).flatMap((r) => (r.ok ? [r.value.priceUsd] : []));
    let i = 0;
    ticker = setInterval(() => dd.setIndex(path[Math.min(i++, path.length - 1)] as number), 150);
    const { config, clientSecret } = writeDeribitRunConfig(dir, dd, { top: { http: { enabled: true, host: '127.0.0.1', port: 0, controlToken: TOKEN }, log: { level: 'debug' } } });
    const db = join(dir, 'deribit.db');

    // 1. First start: imported; the short calls' delta is hedged on the perp.
    const first = await start(config, db);
    // An inverse vault (Deribit's default): its 10 BTC of equity is delta too, so the hedge sells perp.
    await until('a hedge on BTC-PERPETUAL', () => (dd.state.positions.get('BTC-PERPETUAL')?.size ?? 0) < -2_000);
    await until('the hedge booked', async () => (await first.vault()).state === 'cooldown' || (await first.vault()).context.perpBtc < -1);
    // 2. A trade on the account while the engine runs: journaled once.
    const liveTrade = tradeOnAccount(dd, call, 'alpha-live-ask', 'sell', 1);
    await until('the live trade booked', async () => (await first.vault()).context.fills === 1);
    // A quote of the account left resting: the stop pulls every option order of the account.
    dd.placeForAccount('sell', { instrument_name: call, amount: 1, type: 'limit', price: 0.3, label: 'alpha-rest-ask', post_only: true });
    const optionOrders = (): number => dd.openOrders().filter((o) => dd.state.instruments.get(o.instrument_name)?.kind === 'option').length;
    // The vault's own quotes rest too (the publisher: post-only, labelled <vault>-<series>-<side>).
    const quoteLabels = (): string[] => dd.openOrders().filter((o) => o.label?.startsWith(`alpha-${call}-`) || o.label?.startsWith(`alpha-${put}-`)).map((o) => o.label as string);
    await until('the vault quotes on the book', () => quoteLabels().length > 0);
    expect(new Set(quoteLabels()).size).toBe(quoteLabels().length);
    expect(optionOrders()).toBe(quoteLabels().length + 1);
    await stop(first.p);
    expect(optionOrders()).toBe(0);

    // 3. A trade while the engine is down: booked once after the restart; the books agree.
    const awayTrade = tradeOnAccount(dd, put, 'alpha-away-bid', 'buy', 0.5);
    const second = await start(config, db);
    await until('the away trade booked', async () => (await second.vault()).context.fills === 2);
    const v2 = await second.vault();
    expect(v2.state).not.toBe('halted');
    expect(v2.context.book.find((l) => l.instrument === call)?.qty).toBe(-6);
    expect(v2.context.book.find((l) => l.instrument === put)?.qty).toBe(2.5);
    // Two rounds of the running book check (reconcileEveryMs 1 s) pass without a halt.
    const reads = dd.calls('private/get_positions');
    await until('two book checks', () => dd.calls('private/get_positions') >= reads + 2);
    expect((await second.vault()).state).not.toBe('halted');
    // Killed, not stopped: the restarts below recover from the journal (and take over its lock).
    second.p.child.kill('SIGKILL');
    expect((await second.p.done).signal).toBe('SIGKILL');

    const rows = await journal(db);
    const genesis = rows.find((r) => r.eventType === 'vault.created');
    expect(genesis?.event.venueImport?.perpUsd).toBe(-2_000);
    expect(genesis?.event.venueImport?.options).toEqual(expect.arrayContaining([{ instrument: call, qty: -5 }, { instrument: put, qty: 2 }]));
    // The venue's account (equity, perp USD, option marks) and its mark IVs reached the vault as journaled events.
    expect(rows.filter((r) => r.eventType === 'account.marked').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.eventType === 'vol.marked').length).toBeGreaterThan(0);
    const fillIds = rows.filter((r) => r.eventType === 'fill.received').map((r) => r.event.fillId);
    expect(fillIds.sort()).toEqual([liveTrade, awayTrade].sort());
    expect(rows.filter((r) => r.eventType === 'control.pause')).toEqual([]);
    // The double's perp (USD) equals the vault's: the import plus every hedge fill's USD.
    const store = await openJournal(db, { create: false });
    const orders = await store.hedgeOrders('alpha');
    await store.close();
    expect(orders.length).toBeGreaterThan(0);
    const vaultPerpUsd = -2_000 + orders.reduce((s, o) => s + (o.side === 'buy' ? 1 : -1) * o.filledBtc * o.avgPriceUsd, 0);
    expect(Math.abs((dd.state.positions.get('BTC-PERPETUAL')?.size ?? NaN) - vaultPerpUsd)).toBeLessThan(10);
    expect((await runCli(['verify', '--db', db])).code).toBe(0);

    // 4. A position changed behind the engine's back: the restart halts the vault, both books in the reason.
    dd.state.positions.set(call, { size: -7, avgPrice: 0.04 });
    const third = await start(config, db);
    const v3 = await third.vault();
    expect(v3.state).toBe('halted');
    expect(v3.context.haltReason).toMatch(new RegExp(`venue book \\{.*${call} -7.*\\} vs vault book \\{.*${call} -6.*\\}`));

    // 5. Put right and resumed by the operator; then a position changed while it runs is caught
    //    by the running check (the same difference twice in a row), with both books in the reason.
    dd.state.positions.set(call, { size: -6, avgPrice: 0.04 });
    await third.resume();
    await until('resumed', async () => (await third.vault()).state !== 'halted');
    dd.state.positions.set(put, { size: 3, avgPrice: 0.02 });
    await until('halted by the running check', async () => (await third.vault()).state === 'halted', 10_000);
    expect((await third.vault()).context.haltReason).toMatch(new RegExp(`venue book \\{.*${put} 3\\b.*\\} vs vault book \\{.*${put} 2\\.5.*\\}`));
    await stop(third.p);
    // Three starts, each reading the trades since the last journaled fill: still each trade once.
    expect((await journal(db)).filter((r) => r.eventType === 'fill.received').map((r) => r.event.fillId).sort()).toEqual([liveTrade, awayTrade].sort());

    // The client secret is nowhere: not in what the runs printed (debug logs), nor in any file of the database.
    const files = readdirSync(dir).filter((f) => f.startsWith('deribit.db')).map((f) => readFileSync(join(dir, f)).toString('latin1'));
    expect(files.length).toBeGreaterThan(0);
    for (const t of [...printed, ...files]) expect(t.includes(clientSecret)).toBe(false);
  }, 120_000);
});
