// The quote publisher on a scripted book: one operation at a time, bursts coalesced to the
// newest committed set, halts and stale feeds pull everything, passing failures retried after
// a pause, stop pulls the quotes last. The book answers when the test says so (no sleeps).
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { VaultContext, VaultStateName } from '../../../machines/vault.types.ts';
import type { Quote } from '../../../src/domain/quote.ts';
import type { EngineEvent } from '../../../src/engine/engineTypes.ts';
import { QuotePublisher, type MmpTriggered, type QuotePublisherOptions } from '../../../src/engine/quotePublisher.ts';
import { VaultRuntime } from '../../../src/engine/vaultRuntime.ts';
import { VenueTimeoutError } from '../../../src/venues/hedgeVenue.ts';
import { ScriptedOptionsBook } from '../../fixtures/scriptedOptionsBook.ts';
import { shortCallVault } from '../../fixtures/vaults.ts';

const S = 'BTC-31MAR23-23000-C';
const base = (() => { const rt = VaultRuntime.create(shortCallVault()); const c = rt.context; rt.stop(); return c; })();

/** A vault context whose quotes are "version n": bid size n contracts (see quotesOf). */
function ctx(vaultId: string, n: number, over: Partial<VaultContext> = {}): VaultContext {
  return { ...base, vaultId, spotUsd: 25_000, lastAt: 1_000 + n, fills: n, ...over };
}
const quotesOf = (_s: VaultStateName, c: VaultContext): Quote[] =>
  [{ instrument: S, bidPriceUsd: 900, bidSizeContracts: c.fills, askPriceUsd: 1_000, askSizeContracts: 1, fairUsd: 950 }];

class FakeEngine {
  readonly events = new Subject<EngineEvent>();
  readonly committed = new Map<string, { state: VaultStateName; context: VaultContext }>();
  constructor(ids: string[]) { for (const id of ids) this.committed.set(id, { state: 'neutral', context: ctx(id, 1) }); }
  updates() { return this.events.asObservable(); }
  vaultIds() { return [...this.committed.keys()]; }
  committedOf(id: string) { return this.committed.get(id); }
  commit(id: string, n: number, state: VaultStateName = 'neutral', over: Partial<VaultContext> = {}): void {
    const context = ctx(id, n, over);
    this.committed.set(id, { state, context });
    this.events.next({ kind: 'committed', vaultId: id, state, context, seq: n });
  }
}

let pub: QuotePublisher | null = null;
let lastBook: ScriptedOptionsBook | null = null;
const errors: unknown[] = [];
function publisher(book: ScriptedOptionsBook, engine: FakeEngine, over: Partial<QuotePublisherOptions> = {}): QuotePublisher {
  lastBook = book;
  pub = new QuotePublisher({ book, engine, mmp: null, onError: (e) => errors.push(e), quotesOf, resyncEveryMs: 0, ...over });
  return pub;
}
const bidSize = (c: { desired?: readonly { side: string; amountContracts: number }[] }): number | undefined => c.desired?.find((d) => d.side === 'bid')?.amountContracts;

afterEach(async () => {
  const p = pub;
  pub = null;
  if (p && lastBook) {
    // stop() waits for the call under way and cancels once more: answer whatever is open.
    const stopping = p.stop();
    for (let done = false; !done;) {
      lastBook.answerAll();
      done = await Promise.race([stopping.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
    }
  }
  expect(errors.splice(0)).toEqual([]);
});

describe('QuotePublisher', () => {
  it('sends each vault\'s committed set at start, in BTC at the committed spot, with the event time', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a']);
    await publisher(book, engine).start();
    const c = await book.callCount(1);
    expect(c).toMatchObject({ kind: 'sync', vaultId: 'a', at: 1_001, desired: [
      { instrument: S, side: 'bid', priceBtc: 900 / 25_000, amountContracts: 1 }, { instrument: S, side: 'ask', priceBtc: 0.04, amountContracts: 1 },
    ] });
    c.resolve();
    await pub!.settle();
    expect(pub!.view('a')?.resting.map((r) => r.label)).toEqual([`a-${S}-bid`, `a-${S}-ask`]);
  });

  it('coalesces a burst: while the book is busy only the newest set waits, and one call runs at a time', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a']);
    await publisher(book, engine).start();
    const first = await book.callCount(1);
    for (let n = 2; n <= 6; n++) engine.commit('a', n); // all while the first sync is out
    expect(book.calls).toHaveLength(1);
    first.resolve();
    const second = await book.callCount(2);
    expect(bidSize(second)).toBe(6); // 2..5 were never sent
    engine.commit('a', 7);
    second.resolve();
    (await book.callCount(3)).resolve();
    await pub!.settle();
    expect(book.calls.map(bidSize)).toEqual([1, 6, 7]);
    expect(book.maxInFlight).toBe(1);
  });

  it('a commit that leaves the quotes as they were sends nothing', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a']);
    await publisher(book, engine).start();
    (await book.callCount(1)).resolve();
    await pub!.settle();
    engine.commit('a', 1, 'overexposed', { spotUsd: 25_000, lastAt: 5_000 }); // same BTC set
    engine.commit('a', 2);
    (await book.callCount(2)).resolve();
    await pub!.settle();
    expect(book.calls.map(bidSize)).toEqual([1, 2]);
  });

  it('a halt or a stale feed pulls every quote; the other vault is synced again; quoting resumes when it clears', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a', 'b']);
    await publisher(book, engine).start();
    (await book.callCount(1)).resolve();
    (await book.callCount(2)).resolve();
    await pub!.settle();
    engine.commit('a', 3, 'halted');
    const pull = await book.callCount(3);
    expect(pull.kind).toBe('cancelAll');
    engine.commit('a', 4, 'halted'); // still halted: nothing more to pull
    pull.resolve(4);
    const resync = await book.callCount(4);
    expect(resync).toMatchObject({ kind: 'sync', vaultId: 'b' }); // b's quotes went with the cancel-all
    resync.resolve();
    await pub!.settle();
    expect(pub!.view('a')).toMatchObject({ pulled: true, resting: [] });
    engine.commit('a', 5, 'neutral');
    const back = await book.callCount(5);
    expect(back).toMatchObject({ kind: 'sync', vaultId: 'a' });
    expect(bidSize(back)).toBe(5);
    back.resolve();
    engine.commit('b', 6, 'neutral', { feedStale: true });
    (await book.callCount(6)).resolve();
    (await book.callCount(7)).resolve(); // a quotes again after b's pull
    await pub!.settle();
    expect(book.calls.map((c) => `${c.kind}:${c.vaultId ?? ''}`)).toEqual(['sync:a', 'sync:b', 'cancelAll:', 'sync:b', 'sync:a', 'cancelAll:', 'sync:a']);
    expect(pub!.view('b')).toMatchObject({ pulled: true, resting: [] });
  });

  it('a cancel-all the venue did not answer is tried again after retryMs, not at once', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a']);
    await publisher(book, engine, { retryMs: 20 }).start();
    (await book.callCount(1)).resolve();
    engine.commit('a', 2, 'halted');
    const t0 = Date.now();
    (await book.callCount(2)).reject(new VenueTimeoutError('no answer'));
    const again = await book.callCount(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
    expect(again.kind).toBe('cancelAll');
    again.resolve(2);
    await pub!.settle();
    expect(pub!.counters()).toMatchObject({ cancelAlls: 1, retries: 1 });
  });

  it('a side skipped for a passing reason is sent again after retryMs', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a']);
    await publisher(book, engine, { retryMs: 10 }).start();
    (await book.callCount(1)).resolve({ vaultId: 'a', at: 1, resting: [], actions: [
      { instrument: S, side: 'bid', label: 'x', kind: 'skipped', priceBtc: null, amountContracts: 0, repriced: false, reason: 'credit-budget' },
    ] });
    const again = await book.callCount(2);
    expect(again).toMatchObject({ kind: 'sync', vaultId: 'a' });
    again.resolve();
    await pub!.settle();
    expect(pub!.counters()).toMatchObject({ syncs: 2, retries: 1, skipped: { 'credit-budget': 1 } });
  });

  it('an unexpected failure is reported, and the publisher sends nothing more', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a']);
    const seen: unknown[] = [];
    await publisher(book, engine, { onError: (e) => seen.push(e) }).start();
    (await book.callCount(1)).reject(new Error('bug'));
    await pub!.settle();
    expect(seen.map(String)).toEqual(['Error: bug']);
    engine.commit('a', 2);
    const stopping = pub!.stop();
    pub = null;
    const last = await book.callCount(2);
    expect(last.kind).toBe('cancelAll'); // only the stop's pull came after the failure
    last.resolve(0);
    expect(await stopping).toBe(0);
  });

  it('stop waits for the call under way, then pulls everything; commits after it send nothing', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a']);
    await publisher(book, engine).start();
    const first = await book.callCount(1);
    const stopping = pub!.stop();
    pub = null;
    engine.commit('a', 2);
    first.resolve();
    const pull = await book.callCount(2);
    expect(pull.kind).toBe('cancelAll');
    pull.resolve(2);
    expect(await stopping).toBe(2);
    expect(book.calls).toHaveLength(2);
  });

  it('names each vault whose resting quotes changed: the synced one, every one after a cancel-all', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a', 'b']);
    const seen: string[] = [];
    const p = publisher(book, engine);
    p.changes().subscribe((id) => seen.push(id));
    await p.start();
    (await book.callCount(1)).resolve();
    (await book.callCount(2)).resolve();
    await p.settle();
    engine.commit('b', 3, 'halted');
    (await book.callCount(3)).resolve(2);
    (await book.callCount(4)).resolve(); // a again
    await p.settle();
    expect(seen).toEqual(['a', 'b', 'a', 'b', 'a']);
  });

  it('an MMP trigger (the venue pulled the quotes) syncs every vault again, even one whose sync straddled it', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a', 'b']);
    await publisher(book, engine).start();
    (await book.callCount(1)).resolve();
    const b = await book.callCount(2);
    book.triggers.next({ at: 1, frozenUntilMs: 2, indexName: 'btc_usd' }); // while b's sync is out
    b.resolve();
    (await book.callCount(3)).resolve();
    (await book.callCount(4)).resolve();
    await pub!.settle();
    expect(book.calls.map((c) => c.vaultId)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('syncs the committed set again every resyncEveryMs without a commit (the venue may have dropped it)', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a']);
    await publisher(book, engine, { resyncEveryMs: 20 }).start();
    (await book.callCount(1)).resolve();
    const again = await book.callCount(2);
    expect(again).toMatchObject({ kind: 'sync', vaultId: 'a', desired: book.calls[0]!.desired });
    again.resolve();
  });

  it('the resync leaves a pulled vault pulled (no cancel-all every period, which would pull the others too)', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a', 'b']);
    engine.committed.set('a', { state: 'halted', context: ctx('a', 1) });
    await publisher(book, engine, { resyncEveryMs: 20 }).start();
    (await book.callCount(1)).resolve(0); // a's pull
    (await book.callCount(2)).resolve(); // b
    (await book.callCount(3)).resolve(); // b again, a period later
    (await book.callCount(4)).resolve();
    expect(book.calls.map((c) => `${c.kind}:${c.vaultId ?? ''}`)).toEqual(['cancelAll:', 'sync:b', 'sync:b', 'sync:b']);
  });

  it('an engine that died on a failed commit leaves the quotes as committed; stop still pulls them', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a']);
    await publisher(book, engine).start();
    (await book.callCount(1)).resolve();
    engine.events.error(new Error('disk full'));
    const stopping = pub!.stop();
    pub = null;
    const pull = await book.callCount(2);
    expect(pull.kind).toBe('cancelAll');
    pull.resolve(2);
    expect(await stopping).toBe(2);
  });

  it('configures MMP at start and hands each trigger on for every vault of the book', async () => {
    const book = new ScriptedOptionsBook();
    const engine = new FakeEngine(['a', 'b']);
    const triggers: MmpTriggered[] = [];
    let now = 10_000;
    const mmp = { intervalSec: 5, frozenTimeSec: 30, quantityLimitContracts: 10 };
    await publisher(book, engine, { mmp, onMmpTrigger: (t) => triggers.push(t), now: () => now }).start();
    expect(book.mmpConfigs).toEqual([mmp]);
    book.triggers.next({ at: 10_000, frozenUntilMs: 40_000, indexName: 'btc_usd' });
    expect(triggers).toEqual([{ vaultId: 'a', at: 10_000, frozenUntil: 40_000 }, { vaultId: 'b', at: 10_000, frozenUntil: 40_000 }]);
    expect(pub!.view('a')?.mmpFrozenUntil).toBe(40_000);
    now = 40_000;
    expect(pub!.view('a')?.mmpFrozenUntil).toBeUndefined();
    (await book.callCount(1)).resolve();
    (await book.callCount(2)).resolve();
  });
});
