import { describe, expect, it } from 'vitest';
import { DecisionHold } from '../../../src/engine/decisionHold.ts';

describe('DecisionHold', () => {
  it('queues results and a flush only while on, hands them back once, in arrival order', () => {
    const h = new DecisionHold();
    expect(h.queueResult('a', [{ type: 'timer.fired', at: 1 }])).toBe(false);
    expect(h.deferFlush()).toBe(false);
    h.start(1_000, () => undefined);
    expect(h.active).toBe(true);
    expect(h.queueResult('a', [{ type: 'timer.fired', at: 2 }])).toBe(true);
    expect(h.queueResult('b', [{ type: 'timer.fired', at: 3 }])).toBe(true);
    expect(h.deferFlush()).toBe(true);
    expect(h.end()).toEqual({ results: [{ vaultId: 'a', events: [{ type: 'timer.fired', at: 2 }] }, { vaultId: 'b', events: [{ type: 'timer.fired', at: 3 }] }], flush: true });
    expect(h.end()).toBeNull();
    expect(h.active).toBe(false);
  });

  it('calls onTimeout after maxHoldMs; a second start while on keeps the first', async () => {
    const h = new DecisionHold();
    let fired = 0;
    h.start(10, () => { fired += 1; h.end(); });
    h.start(1, () => { fired += 100; });
    await new Promise((r) => setTimeout(r, 40));
    expect(fired).toBe(1);
    expect(h.active).toBe(false);
  });
});
