// persistedJson: the fast path's text is XState's, and it steps aside where its shortcuts do not hold.
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { vaultMachine } from '../../../machines/vault.machine.ts';
import { persistedJson, type MachineSnapshotLike } from '../../../src/engine/persistedJson.ts';
import { VaultRuntime } from '../../../src/engine/vaultRuntime.ts';
import { straddleVault, T0 } from '../../fixtures/vaults.ts';

const snap = (over: Partial<MachineSnapshotLike>): MachineSnapshotLike => ({
  status: 'active', value: 'neutral', historyValue: {}, context: { a: 1, config: { x: 1 }, book: [{ q: -10 }] }, children: {}, ...over,
});

describe('persistedJson', () => {
  it('equals JSON.stringify(getPersistedSnapshot()) for a vault through a hedge', () => {
    const rt = VaultRuntime.create(straddleVault({ bands: { kind: 'fixed', quoteBtc: 0.3, hedgeBtc: 0.6, reentryBtc: 0.1, hardBtc: 5 } }));
    for (const [i, priceUsd] of [23_000, 24_500, 21_000.25].entries()) {
      rt.apply({ type: 'price.tick', at: T0 + (i + 1) * 1000, priceUsd });
      expect(rt.persistedJson()).toBe(JSON.stringify(rt.persisted()));
    }
    expect(rt.state).toBe('hedging');
  });

  it('freezes the parts it memoises, so a later in-place change fails instead of going stale', () => {
    const s = snap({});
    const ctx = s.context as { config: { x: number }; book: { q: number }[] };
    expect(persistedJson(s, () => { throw new Error('slow path'); })).toBe('{"status":"active","value":"neutral","historyValue":{},"context":{"a":1,"config":{"x":1},"book":[{"q":-10}]},"children":{}}');
    expect(Object.isFrozen(ctx.config) && Object.isFrozen(ctx.book) && Object.isFrozen(ctx.book[0])).toBe(true);
    expect(() => { (ctx.book[0] as { q: number }).q = 5; }).toThrow(TypeError);
  });

  it("takes XState's path for children, output, error, a status other than active, or a string holding its placeholder", () => {
    const slow = { marker: 'slow' };
    const cases: MachineSnapshotLike[] = [
      snap({ children: { child: {} } }), snap({ status: 'done', output: 1 }), snap({ error: 'x' }),
      snap({ context: { note: '\u0000omm-hedger:config\u0000', config: { x: 1 } } }),
    ];
    for (const c of cases) expect(persistedJson(c, () => slow)).toBe('{"marker":"slow"}');
  });

  it('a restored actor gives the same text as the one it was saved from', () => {
    const rt = VaultRuntime.create(straddleVault());
    rt.apply({ type: 'price.tick', at: T0 + 1000, priceUsd: 23_456.75 });
    const text = rt.persistedJson();
    const back = createActor(vaultMachine, { snapshot: JSON.parse(text) as never } as never).start();
    expect(JSON.stringify(back.getPersistedSnapshot())).toBe(text);
  });
});
