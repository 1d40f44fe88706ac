// The run configuration's venue section (validated with zod): where hedges go (sim, sim-http,
// mango, ccxt, deribit) and how the engine reaches it. Testnet by default; mainnet needs
// `run --live`. Units are in the names.
import { z } from 'zod';
import { TESTED_EXCHANGES } from '../../venues/ccxt/config.ts';

const pos = z.number().positive();
const nonNeg = z.number().nonnegative();
const frac = z.number().min(0).max(1);

/** ccxt exchange ids the adapter is tested against; any other is refused, naming these. */
const testedExchange = z.string().refine((x): x is (typeof TESTED_EXCHANGES)[number] => (TESTED_EXCHANGES as readonly string[]).includes(x), {
  message: `not a tested exchange; the ccxt adapter is tested on ${TESTED_EXCHANGES.join(' and ')}`,
});

export const venueSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sim'),
    market: z.string().default('BTC-PERP'),
    takerFeeBps: nonNeg.default(5),
    latencyMs: nonNeg.default(20),
    rejectProb: frac.default(0),
    timeoutProb: frac.default(0),
  }).strict(),
  z.object({ kind: z.literal('sim-http'), url: z.url(), market: z.string().default('BTC-PERP'), timeoutMs: z.number().int().positive().default(2_000) }).strict(),
  z.object({
    kind: z.literal('mango'), rpcUrl: z.url(), wsUrl: z.url().optional(),
    /** Solana keypair JSON; must not be readable by group or others (chmod 600). */
    keypairPath: z.string().min(1),
    groupName: z.string().default('mainnet.1'), market: z.string().default('BTC-PERP'),
    /** A custom ids.json group entry (a devnet fork or a local validator); wins over groupName. */
    group: z.record(z.string(), z.unknown()).optional(),
    mangoAccountPubkey: z.string().min(32).optional(),
    timeoutMs: z.number().int().positive().default(30_000),
    prioritizationFee: z.number().int().nonnegative().default(0),
    orderExpirySec: z.number().int().positive().default(60),
  }).strict(),
  /** Hyperliquid or Binance USDS-M perps through ccxt. */
  z.object({
    kind: z.literal('ccxt'),
    exchange: testedExchange,
    /** ccxt unified perp symbol: BTC/USDC:USDC (hyperliquid), BTC/USDT:USDT (binanceusdm). */
    symbol: z.string().min(1),
    /** JSON file, chmod 600: hyperliquid {walletAddress, privateKey}; binanceusdm {apiKey, secret}. */
    credentials: z.string().min(1),
    /** The exchange's testnet (ccxt sandbox mode). false = mainnet, which also needs `run --live`. */
    testnet: z.boolean().default(true),
    /** Every REST base URL replaced by this origin (a gateway, a test double). */
    apiUrl: z.url().optional(),
    timeoutMs: z.number().int().positive().default(10_000),
    /** ccxt rate limiter spacing override (ms per unit of request cost); the limiter stays on. For test doubles and gateways. */
    rateLimitMs: z.number().positive().optional(),
    /** Hyperliquid: pay ccxt's builder fee (0.01% of every order). Off unless set. */
    builderFee: z.boolean().default(false),
  }).strict(),
  /** Deribit: the vault's options book and its BTC-PERPETUAL hedge on one account (one session). */
  z.object({
    kind: z.literal('deribit'),
    /** JSON file, chmod 600: {clientId, clientSecret} of an API key with trade and read scopes. */
    credentials: z.string().min(1),
    /** test.deribit.com unless false (mainnet), which also needs `run --live`. */
    testnet: z.boolean().default(true),
    /** Override Deribit's URLs (a gateway, the test double): http(s)://HOST:PORT and ws(s)://HOST:PORT/ws/api/v2. */
    apiUrl: z.url().optional(),
    wsUrl: z.url().optional(),
    /** Answer wait before a write's outcome is unknown (a read's failed), ms. */
    timeoutMs: z.number().int().positive().default(5_000),
    perpInstrument: z.string().min(1).default('BTC-PERPETUAL'),
    /**
     * The requote budget: a local mirror of Deribit's credit bucket (capacity and refill in
     * credits, credits per second; orderCost per order-changing request). Changes that do not
     * fit wait for the next sync; a 10028 answer backs off. Default: Deribit's base tier.
     */
    credits: z.object({ capacity: pos, refillPerSec: pos, orderCost: pos }).strict().optional(),
  }).strict(),
]);
