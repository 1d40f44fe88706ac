// One vault's live machine: applies events to the pure XState actor and reports what changed,
// so the engine can journal it. The actor only assigns; nothing here performs an effect.
import { createActor, type Actor, type InspectionEvent } from 'xstate';

/** An XState inspection callback (e.g. @statelyai/inspect's), attached to every vault actor. */
export type Inspect = (event: InspectionEvent) => void;
import { describeTransition } from '../../machines/describeTransition.ts';
import { machineFor } from '../../machines/machineVersions.ts';
import { migrateSnapshot } from '../../machines/migrations/snapshotMigrations.ts';
import { leafState, MACHINE_VERSION, type VaultMachine } from '../../machines/vault.machine.ts';
import { persistedJson } from './persistedJson.ts';
import type { VaultContext, VaultEvent, VaultInput, VaultStateName } from '../../machines/vault.types.ts';

export interface RuntimeOptions {
  /** Machine version whose rules apply (default: the current MACHINE_VERSION). */
  version?: number;
  /** The versions to take the rules from (default MACHINE_VERSIONS; tests pass their own). */
  versions?: ReadonlyMap<number, VaultMachine>;
  inspect?: Inspect;
}

export interface Applied {
  vaultId: string;
  seq: number;
  /** The machine version that decided it. */
  machineVersion: number;
  event: VaultEvent;
  from: VaultStateName;
  to: VaultStateName;
  context: VaultContext;
  reason: string;
}

export class VaultRuntime {
  private readonly actor: Actor<VaultMachine>;
  /** Seq of the last journaled event of this vault. */
  seq: number;

  private constructor(
    machine: VaultMachine, actorOptions: { input?: VaultInput; snapshot?: unknown }, seq: number,
    /** Machine version whose rules this runtime applies (journaled with every row it decides). */
    readonly version: number,
    private readonly options: RuntimeOptions,
  ) {
    // createActor's types demand `input` even when restoring; a restored actor ignores it.
    const opts = { ...actorOptions, ...(options.inspect ? { inspect: options.inspect } : {}) } as { input: VaultInput };
    this.actor = createActor(machine, opts);
    this.seq = seq;
    this.actor.start();
    const snap = this.actor.getSnapshot();
    if (snap.status === 'error') throw new Error(`vault snapshot failed to restore: ${String(snap.error)}`);
  }

  static create(input: VaultInput, options: RuntimeOptions = {}): VaultRuntime {
    const version = options.version ?? MACHINE_VERSION;
    return new VaultRuntime(machineFor(version, `vault ${input.vaultId}`, options.versions), { input }, 0, version, options);
  }

  /** Restores from a persisted snapshot taken at journal seq `seq` by the given machine version. */
  static restore(persisted: unknown, seq: number, options: RuntimeOptions = {}): VaultRuntime {
    const version = options.version ?? MACHINE_VERSION;
    return new VaultRuntime(machineFor(version, `a vault snapshot at seq ${seq}`, options.versions), { snapshot: persisted }, seq, version, options);
  }

  /**
   * The same vault under machine version `to` (>= this one): its persisted snapshot migrated
   * step by step (machines/migrations/) and restored by that version's rules. Stops this one.
   */
  upgradeTo(to: number): VaultRuntime {
    if (to === this.version) return this;
    const migrated = migrateSnapshot(this.actor.getPersistedSnapshot(), this.version, to);
    this.stop();
    return VaultRuntime.restore(migrated, this.seq, { ...this.options, version: to });
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
    return { vaultId: after.context.vaultId, seq: this.seq, machineVersion: this.version, event, from, to, context: after.context, reason: describeTransition(from, to, event, after.context) };
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
