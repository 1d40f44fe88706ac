// The seeded fault and latency schedule: every draw is hashUniform(seed, purpose, clientOrderId),
// a pure function with no generator state, so a restarted venue (or engine) sees the same
// faults and latencies for the same ids. Scripted ids (tests, operators) override the draw.
import { hashUniform } from '../../domain/rng.ts';
import type { FaultConfig, OutageWindow } from './simVenueConfig.ts';

export type OrderFault = 'reject' | 'timeout' | null;

export class FaultSchedule {
  private readonly outages: OutageWindow[];
  private readonly scriptedRejects = new Set<string>();
  private readonly scriptedTimeouts = new Set<string>();

  constructor(
    private readonly seed: number,
    private readonly faults: FaultConfig,
    private readonly latencyMs: number,
    private readonly latencyJitterMs: number,
  ) {
    this.outages = [...faults.outages];
  }

  /** Event-time outage: is the venue unreachable for a request at `atMs`? */
  isOutage(atMs: number): boolean {
    return this.outages.some((w) => atMs >= w.fromMs && atMs <= w.toMs);
  }

  /** The fault injected on this order, if any (reject is checked first). */
  faultFor(clientOrderId: string): OrderFault {
    if (this.scriptedRejects.has(clientOrderId)) return 'reject';
    if (this.scriptedTimeouts.has(clientOrderId)) return 'timeout';
    if (this.faults.rejectProb > 0 && hashUniform(this.seed, 'reject', clientOrderId) < this.faults.rejectProb) return 'reject';
    if (this.faults.timeoutProb > 0 && hashUniform(this.seed, 'timeout', clientOrderId) < this.faults.timeoutProb) return 'timeout';
    return null;
  }

  /** Latency of this order, whole ms of event time. */
  latencyFor(clientOrderId: string): number {
    return this.latencyMs + Math.floor(hashUniform(this.seed, 'latency', clientOrderId) * this.latencyJitterMs);
  }

  /** Test and operator controls: script a fault for one id, or add an outage window. */
  scriptReject(clientOrderId: string): void {
    this.scriptedRejects.add(clientOrderId);
  }

  scriptTimeout(clientOrderId: string): void {
    this.scriptedTimeouts.add(clientOrderId);
  }

  addOutage(window: OutageWindow): void {
    if (!(Number.isFinite(window.fromMs) && Number.isFinite(window.toMs) && window.fromMs <= window.toMs)) {
      throw new RangeError(`bad outage window ${window.fromMs}-${window.toMs}`);
    }
    this.outages.push(window);
  }
}
