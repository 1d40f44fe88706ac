// One vault's live machine: applies events to the pure XState actor and reports what changed,
// so the engine can journal it. The actor only assigns; nothing here performs an effect.
import { createActor, type Actor, type InspectionEvent, type Snapshot } from 'xstate';

/** An XState inspection callback (e.g. @statelyai/inspect's), attached to every vault actor. */
export type Inspect = (event: InspectionEvent) => void;
import { describeTransition } from '../../machines/describeTransition.ts';
import { leafState, vaultMachine } from '../../machines/vault.machine.ts';
import { persistedJson } from './persistedJson.ts';
import type { VaultContext, VaultEvent, VaultInput, VaultStateName } from '../../machines/vault.types.ts';

export interface Applied {
  vaultId: string;
  seq: number;
  event: VaultEvent;
  from: VaultStateName;
  to: VaultStateName;
  context: VaultContext;
  reason: string;
}

export class VaultRuntime {
  private readonly actor: Actor<typeof vaultMachine>;
  /** Seq of the last journaled event of this vault. */
  seq: number;

  private constructor(actor: Actor<typeof vaultMachine>, seq: number) {
    this.actor = actor;
    this.seq = seq;
    this.actor.start();
    const snap = this.actor.getSnapshot();
    if (snap.status === 'error') throw new Error(`vault snapshot failed to restore: ${String(snap.error)}`);
  }

  static create(input: VaultInput, inspect?: Inspect): VaultRuntime {
    return new VaultRuntime(createActor(vaultMachine, { input, ...(inspect ? { inspect } : {}) }), 0);
  }

  /** Restores from a persisted snapshot taken at journal seq `seq`. */
  static restore(persisted: unknown, seq: number, inspect?: Inspect): VaultRuntime {
    // The snapshot is our own JSON, written by persisted() below with the same MACHINE_VERSION.
    // createActor's types demand `input` even when restoring; a restored actor ignores it.
    const options = { snapshot: persisted as Snapshot<unknown>, ...(inspect ? { inspect } : {}) } as unknown as { input: VaultInput };
    return new VaultRuntime(createActor(vaultMachine, options), seq);
  }

  get vaultId(): string { return this.actor.getSnapshot().context.vaultId; }
  get state(): VaultStateName { return leafState(this.actor.getSnapshot().value); }
  get context(): VaultContext { return this.actor.getSnapshot().context; }

  /** Applies one event; returns what changed (to be journaled) or null if the event changed nothing. */
  apply(event: VaultEvent): Applied | null {
    const before = this.actor.getSnapshot();
    this.actor.send(event);
    const after = this.actor.getSnapshot();
    if (after === before) return null;
    if (after.status === 'error') throw new Error(`vault ${before.context.vaultId} machine error on ${event.type}: ${String(after.error)}`);
    const from = leafState(before.value);
    const to = leafState(after.value);
    this.seq += 1;
    return { vaultId: after.context.vaultId, seq: this.seq, event, from, to, context: after.context, reason: describeTransition(from, to, event, after.context) };
  }

  persisted(): unknown {
    return this.actor.getPersistedSnapshot();
  }

  /** JSON.stringify(persisted()), byte for byte, in about a third of the time (see persistedJson.ts). */
  persistedJson(): string {
    return persistedJson(this.actor.getSnapshot(), () => this.actor.getPersistedSnapshot());
  }

  stop(): void {
    this.actor.stop();
  }
}
