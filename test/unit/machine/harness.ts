// Test harness for the vault machine: exact-delta books, a live actor wrapper and event makers.
// A "ladder" book holds zero-vol calls (intrinsic delta: exactly qty above the strike, 0 at or
// below it), so the vault's net delta at price level i is exactly the dyadic value asked for.
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import { leafState, vaultMachine } from '../../../machines/vault.machine.ts';
import type { OptionLeg, VaultConfig, VaultContext, VaultEvent, VaultInput, VaultStateName } from '../../../machines/vault.types.ts';
import { EXPIRY_31MAR23, T0, testConfig } from '../../fixtures/vaults.ts';

export { T0 };
export type VaultSnapshot = SnapshotFrom<typeof vaultMachine>;
export type VaultActor = Actor<typeof vaultMachine>;

/** Price level i of a ladder vault: 19,500 + 1,000 i USD (strikes sit between the levels). */
export const ladderPrice = (i: number): number => 19_500 + 1_000 * i;

/**
 * A vault whose net delta at ladderPrice(i) is exactly deltas[i] BTC (until a hedge fill moves
 * the perp). Use dyadic values (0.25, 0.5, 3, ...) so the sums are exact in float64.
 */
export function ladderVault(deltas: readonly number[], over: Partial<VaultConfig> = {}, vaultId = 'v1'): VaultInput {
  const first = deltas[0];
  if (first === undefined) throw new Error('ladderVault needs at least one delta');
  const book: OptionLeg[] = [];
  for (let i = 1; i < deltas.length; i++) {
    const step = (deltas[i] as number) - (deltas[i - 1] as number);
    if (step === 0) continue;
    const strikeUsd = 19_000 + 1_000 * i;
    book.push({ instrument: `BTC-31MAR23-${strikeUsd}-C`, kind: 'call', strikeUsd, expiryMs: EXPIRY_31MAR23, qty: step, volPerYear: 0 });
  }
  return { vaultId, config: testConfig(over), book, perpBtc: first };
}

/** A live actor plus a clock: each helper stamps the event `stepMs` after the previous one. */
export class VaultDriver {
  readonly actor: VaultActor;
  now: number;

  constructor(input: VaultInput, start = T0, readonly stepMs = 1_000) {
    this.actor = createActor(vaultMachine, { input });
    this.actor.start();
    this.now = start;
  }

  get snap(): VaultSnapshot { return this.actor.getSnapshot(); }
  get ctx(): VaultContext { return this.snap.context; }
  get state(): VaultStateName { return leafState(this.snap.value); }
  get delta(): number { return this.ctx.greeks.netBtc; }

  send(event: VaultEvent): this {
    this.now = Math.max(this.now, event.at);
    this.actor.send(event);
    if (this.snap.status !== 'active') throw new Error(`actor stopped: ${String(this.snap.error)}`);
    return this;
  }

  private next(at?: number): number { return at ?? (this.now += this.stepMs); }

  tick(priceUsd: number, at?: number): this { return this.send({ type: 'price.tick', at: this.next(at), priceUsd }); }
  level(i: number, at?: number): this { return this.tick(ladderPrice(i), at); }
  /** The id of the hedge in flight (throws if none). */
  get orderId(): string {
    const o = this.ctx.inFlight;
    if (!o) throw new Error(`no hedge in flight (state ${this.state})`);
    return o.clientOrderId;
  }
  accepted(id = this.orderId): this { return this.send({ type: 'hedge.accepted', at: this.next(), clientOrderId: id }); }
  /** A cumulative fill report; by default the whole order at its limit price, final. */
  filled(opts: { filledBtc?: number; avgPriceUsd?: number; feeUsd?: number; final?: boolean; id?: string } = {}): this {
    const o = this.ctx.inFlight;
    return this.send({
      type: 'hedge.filled', at: this.next(), clientOrderId: opts.id ?? this.orderId,
      filledBtc: opts.filledBtc ?? o?.sizeBtc ?? 0, avgPriceUsd: opts.avgPriceUsd ?? this.ctx.spotUsd,
      feeUsd: opts.feeUsd ?? 0, final: opts.final ?? true,
    });
  }
  rejected(id = this.orderId): this { return this.send({ type: 'hedge.rejected', at: this.next(), clientOrderId: id, reason: 'test' }); }
  failed(id = this.orderId): this { return this.send({ type: 'hedge.failed', at: this.next(), clientOrderId: id, reason: 'test' }); }
  timer(at?: number): this { return this.send({ type: 'timer.fired', at: this.next(at) }); }
  /** timer.fired exactly at the current deadline. */
  timerAtDeadline(): this {
    const until = this.ctx.cooldownUntil;
    if (until === null) throw new Error('no deadline armed');
    return this.timer(until);
  }
  pause(reason?: string): this { return this.send({ type: 'control.pause', at: this.next(), ...(reason ? { reason } : {}) }); }
  resume(): this { return this.send({ type: 'control.resume', at: this.next() }); }
  flatten(): this { return this.send({ type: 'control.flatten', at: this.next() }); }
  stale(): this { return this.send({ type: 'feed.stale', at: this.next() }); }
  recovered(): this { return this.send({ type: 'feed.recovered', at: this.next() }); }
}

/** |a - b| <= tol. */
export const near = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol;
