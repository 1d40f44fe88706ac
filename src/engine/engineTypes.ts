// Small shared types of the engine runtime.
import type { VaultContext, VaultStateName } from '../../machines/vault.types.ts';

/** Minimal logger surface (pino-compatible). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

/** Where "now" comes from: the wall clock live, the newest event time in a replay. */
export interface EngineClock {
  now(): number;
}

/** What the engine tells its observers after each commit. */
export type EngineEvent =
  | { kind: 'committed'; vaultId: string; state: VaultStateName; context: VaultContext; seq: number }
  | { kind: 'transition'; vaultId: string; seq: number; at: number; from: string; to: string; event: string; reason: string }
  | { kind: 'hedge'; vaultId: string; clientOrderId: string; at: number; side: 'buy' | 'sell'; sizeBtc: number; filledBtc: number; avgPriceUsd: number; feeUsd: number; status: string; triggerPriceUsd: number; latencyMs: number | null }
  | { kind: 'rejected'; source: string; reason: string }
  | { kind: 'commit'; rows: number; latencyMs: number };
