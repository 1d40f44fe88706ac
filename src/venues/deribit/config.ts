// Configuration of the Deribit adapter. The composition root reads the credentials file
// (mode 0600, `{ clientId, clientSecret }`) and passes the values here; the secret is held in
// a Secret that prints as [redacted] in logs, JSON and util.inspect.
import { z } from 'zod';
import { Secret } from './secret.ts';

export const DERIBIT_TESTNET = { apiUrl: 'https://test.deribit.com', wsUrl: 'wss://test.deribit.com/ws/api/v2' } as const;
export const DERIBIT_MAINNET = { apiUrl: 'https://www.deribit.com', wsUrl: 'wss://www.deribit.com/ws/api/v2' } as const;

const creditsSchema = z.object({
  /** Bucket size, credits (Deribit's default tier: 50,000 for matching-engine requests). */
  capacity: z.number().positive().default(50_000),
  /** Refill, credits per second (default tier: 10,000, i.e. 20 orders a second sustained). */
  refillPerSec: z.number().positive().default(10_000),
  /** Cost of one order-changing request (buy, sell, edit, cancel), credits. */
  orderCost: z.number().positive().default(500),
});

export const deribitConfigSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.union([z.string().min(1).transform((s) => new Secret(s)), z.instanceof(Secret)]),
  /** Testnet unless explicitly false (mainnet also needs `run --live` at the composition root). */
  testnet: z.boolean().default(true),
  /** Override Deribit's URLs for a gateway or the test double. */
  apiUrl: z.url().optional(),
  wsUrl: z.url().optional(),
  currency: z.string().default('BTC'),
  indexName: z.string().default('btc_usd'),
  perpInstrument: z.string().default('BTC-PERPETUAL'),
  /** Answer wait before a request's outcome is unknown (writes) or failed (reads), ms. */
  timeoutMs: z.number().int().positive().default(5_000),
  /** How long a request waits for a (re)connection before failing as unavailable, ms. */
  connectWaitMs: z.number().int().nonnegative().default(5_000),
  /** public/set_heartbeat interval, seconds (Deribit refuses less than 10). */
  heartbeatSec: z.number().positive().default(10),
  /** Refresh the access token this long before it expires, seconds (or at half its life if shorter). */
  tokenRefreshMarginSec: z.number().nonnegative().default(60),
  reconnect: z.object({
    minMs: z.number().int().positive().default(250),
    maxMs: z.number().int().positive().default(10_000),
  }).default({ minMs: 250, maxMs: 10_000 }),
  /** private/enable_cancel_on_disconnect (scope connection) on every session: a dead engine leaves no quote. */
  cancelOnDisconnect: z.boolean().default(true),
  credits: creditsSchema.default({ capacity: 50_000, refillPerSec: 10_000, orderCost: 500 }),
  /** After a 10028 too_many_requests, quotes wait this long before sending again (doubling, capped at 8x), ms. */
  rateLimitBackoffMs: z.number().int().positive().default(1_000),
});
export type DeribitConfig = z.infer<typeof deribitConfigSchema>;
export type DeribitConfigInput = z.input<typeof deribitConfigSchema>;

/** Validates the config; errors name the field, never a value (the secret is one). */
export function parseDeribitConfig(input: unknown): DeribitConfig {
  const r = deribitConfigSchema.safeParse(input);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(`invalid deribit config: ${first ? `${first.path.join('.')}: ${first.code}` : 'unknown error'}`);
  }
  if (r.data.reconnect.maxMs < r.data.reconnect.minMs) throw new Error('invalid deribit config: reconnect.maxMs < reconnect.minMs');
  return r.data;
}

/** The WebSocket endpoint: the override, else testnet or mainnet. */
export function wsUrlOf(cfg: DeribitConfig): string {
  return cfg.wsUrl ?? (cfg.testnet ? DERIBIT_TESTNET.wsUrl : DERIBIT_MAINNET.wsUrl);
}
