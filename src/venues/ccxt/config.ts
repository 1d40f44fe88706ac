// Configuration of the ccxt adapter (Hyperliquid, Binance USDS-M perps). The credentials are
// passed in already read (the composition root loads the 0600 file); their shape is checked
// per exchange and no error ever quotes a value.
import { z } from 'zod';

/** The exchanges the adapter is tested against; any other ccxt id is refused, naming these. */
export const TESTED_EXCHANGES = ['hyperliquid', 'binanceusdm'] as const;
export type TestedExchange = (typeof TESTED_EXCHANGES)[number];

export const ccxtConfigSchema = z.object({
  exchange: z.enum(TESTED_EXCHANGES),
  /** ccxt unified symbol of the perp, e.g. BTC/USDC:USDC (Hyperliquid), BTC/USDT:USDT (Binance). */
  symbol: z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+:[A-Z0-9]+$/, 'a ccxt perp symbol such as BTC/USDC:USDC'),
  /** ccxt sandbox mode (the exchange's testnet). Mainnet needs `run --live` as well. */
  testnet: z.boolean().default(true),
  /** Replaces every REST base URL of the exchange (origin and path prefix kept per endpoint group). */
  apiUrl: z.url().optional(),
  /** ccxt request timeout, ms: past it a request's outcome is unknown. */
  timeoutMs: z.number().int().positive().default(10_000),
  /**
   * ccxt's rate limiter is always on; this overrides its spacing (ms per unit of request cost;
   * ccxt's default for the exchange when absent). Loopback test doubles and private gateways only.
   */
  rateLimitMs: z.number().positive().optional(),
  /** Hyperliquid: pay ccxt's builder fee (0.01% of every order). Off unless the user opts in. */
  builderFee: z.boolean().default(false),
  /** Wait before re-reading an order's trades that the history does not show yet, ms. */
  settlePollMs: z.number().int().positive().default(250),
  /** How long placeIoc waits for the trade history to show an answered order's fills, ms. */
  settleTimeoutMs: z.number().int().positive().default(10_000),
  /** While fills() is subscribed: how often the trade history is read, ms. */
  fillPollMs: z.number().int().positive().default(5_000),
  /** Rate-limit answers: first backoff, its cap, and how many before the call counts as unavailable. */
  backoffBaseMs: z.number().int().positive().default(500),
  backoffCapMs: z.number().int().positive().default(10_000),
  maxBackoffs: z.number().int().min(1).default(5),
}).strict();

export type CcxtConfig = z.infer<typeof ccxtConfigSchema>;
export type CcxtConfigInput = z.input<typeof ccxtConfigSchema>;

export function parseCcxtConfig(input: unknown): CcxtConfig {
  const r = ccxtConfigSchema.safeParse(input);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(`invalid ccxt venue config: ${first ? `${first.path.join('.')}: ${first.message}` : 'unknown error'}`);
  }
  return r.data;
}

/** Credentials per exchange, as ccxt takes them. */
export const hyperliquidCredentialsSchema = z.object({
  walletAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte address'),
  privateKey: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, 'a 32-byte hex key'),
}).strict();
export const binanceCredentialsSchema = z.object({
  apiKey: z.string().min(8),
  secret: z.string().min(8),
}).strict();
export type VenueCredentials = Record<string, string>;

/**
 * Checks the credentials' shape for the exchange. The error names the fields and what they
 * should look like, never their values (zod's messages would quote the input otherwise).
 */
export function checkCredentials(exchange: TestedExchange, raw: unknown): VenueCredentials {
  const schema = exchange === 'hyperliquid' ? hyperliquidCredentialsSchema : binanceCredentialsSchema;
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const fields = exchange === 'hyperliquid' ? '{walletAddress: 0x + 40 hex, privateKey: 64 hex}' : '{apiKey, secret}';
  const bad = [...new Set(r.error.issues.map((i) => i.path.join('.') || '(top level)'))].join(', ');
  throw new Error(`${exchange} credentials must be ${fields}; wrong or missing: ${bad}`);
}
