// Shapes of validated inputs handed to the engine, and of rejected ones (stored in
// rejected_inputs). Units: times unix epoch ms (UTC); prices USD; qty contracts of 1 BTC.

export interface PriceTickInput {
  /** Event time, unix ms. */
  at: number;
  priceUsd: number;
  /** Confidence half-width, USD (Pyth); absent for sources without one. */
  confUsd?: number;
  source: string;
  /** Record index in the source (monotone): CSV data row, stream sequence number. */
  offset: number;
}

export interface FillInput {
  fillId: string;
  vaultId: string;
  instrument: string;
  /** The vault's side of the trade. */
  side: 'buy' | 'sell';
  /** Contracts of 1 BTC, > 0. */
  qty: number;
  priceUsd: number;
  /** Event time, unix ms. */
  at: number;
  source: string;
  /** Line/byte/request offset in the source; null where the source has none (simulated). */
  offset: number | null;
}

export interface RejectedInput {
  source: string;
  /** Short kebab-case code, e.g. 'nan-price', 'jump', 'malformed-json', 'unknown-vault'. */
  reason: string;
  /** Human-readable explanation. */
  detail: string;
  /** Raw input, truncated to MAX_PAYLOAD_CHARS. */
  payload: string;
  at: number | null;
  offset: number | null;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; rejected: RejectedInput };

/** Raw payloads kept with a rejection are cut to 2 KB so one huge line cannot bloat the store. */
export const MAX_PAYLOAD_CHARS = 2048;

export function truncatePayload(raw: unknown): string {
  let s: string;
  if (typeof raw === 'string') s = raw;
  else {
    try {
      s = JSON.stringify(raw) ?? String(raw);
    } catch {
      s = String(raw);
    }
  }
  return s.length > MAX_PAYLOAD_CHARS ? s.slice(0, MAX_PAYLOAD_CHARS) : s;
}

export function reject<T>(
  source: string, reason: string, detail: string, raw: unknown, at: number | null, offset: number | null,
): Validated<T> {
  return { ok: false, rejected: { source, reason, detail, payload: truncatePayload(raw), at, offset } };
}
