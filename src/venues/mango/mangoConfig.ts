// Configuration of the Mango v3 adapter, and the keypair loader that keeps the secret safe:
// the file must not be readable by group or others, and no error ever quotes its contents.
import { readFileSync, statSync } from 'node:fs';
import { Keypair } from '@solana/web3.js';
import { z } from 'zod';

/** A custom group in mango-client's ids.json format (strings for keys). */
const groupJsonSchema = z.object({
  cluster: z.enum(['devnet', 'mainnet', 'localnet', 'testnet']),
  name: z.string().min(1),
  quoteSymbol: z.string().min(1),
  publicKey: z.string().min(32),
  mangoProgramId: z.string().min(32),
  serumProgramId: z.string().min(32),
  oracles: z.array(z.object({ symbol: z.string(), publicKey: z.string() })),
  perpMarkets: z.array(z.object({
    name: z.string(), publicKey: z.string(), baseSymbol: z.string(), baseDecimals: z.number().int(),
    quoteDecimals: z.number().int(), marketIndex: z.number().int(), bidsKey: z.string(), asksKey: z.string(), eventsKey: z.string(),
  })),
  spotMarkets: z.array(z.unknown()),
  tokens: z.array(z.object({ symbol: z.string(), mintKey: z.string(), decimals: z.number().int(), rootKey: z.string(), nodeKeys: z.array(z.string()) })),
});
export type MangoGroupJson = z.infer<typeof groupJsonSchema>;

export const mangoConfigSchema = z.object({
  /** JSON-RPC endpoint of the cluster running a Mango v3 program. */
  rpcUrl: z.url(),
  /** WebSocket endpoint; default: web3.js derives it from rpcUrl (port + 1 when a port is given). */
  wsUrl: z.url().optional(),
  /** solana-keygen JSON file (64-byte array); mode must be 0600 or stricter. */
  keypairPath: z.string().min(1),
  /** A group of mango-client's bundled ids.json (e.g. 'mainnet.1', 'devnet.2')... */
  groupName: z.string().min(1).default('mainnet.1'),
  /** ...or a custom group entry (devnet fork, local validator); wins over groupName. */
  group: groupJsonSchema.optional(),
  perpMarket: z.string().min(1).default('BTC-PERP'),
  /** The Mango account to trade from; default: the owner's only account on the group. */
  mangoAccountPubkey: z.string().min(32).optional(),
  /** How long to await confirmation of a transaction before the outcome counts as unknown, ms. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Compute-unit price, micro-lamports (0: none). */
  prioritizationFee: z.number().int().nonnegative().default(0),
  /** Order expiry sent with every IOC, seconds after the request's `at`. */
  orderExpirySec: z.number().int().positive().default(60),
});
export type MangoConfig = z.infer<typeof mangoConfigSchema>;
export type MangoConfigInput = z.input<typeof mangoConfigSchema>;

export function parseMangoConfig(input: unknown): MangoConfig {
  const r = mangoConfigSchema.safeParse(input);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(`invalid mango config: ${first ? `${first.path.join('.')}: ${first.message}` : 'unknown error'}`);
  }
  return r.data;
}

/** Group/other permission bits; any of them set means someone else may read the key. */
const FOREIGN_PERMISSION_BITS = 0o077;

/**
 * Loads a solana-keygen keypair file. Refuses a file readable (or writable) by group or
 * others. Errors name the path and mode only, never the file's contents.
 */
export function loadKeypair(path: string): Keypair {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (e) {
    throw new Error(`cannot read keypair file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if ((mode & FOREIGN_PERMISSION_BITS) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, '0');
    throw new Error(`keypair file ${path} is accessible by group or others (mode ${octal}); run: chmod 600 ${path}`);
  }
  let raw: unknown;
  try {
    // JSON.parse errors quote the input: never let them out.
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Error(`keypair file ${path} is not valid JSON (expected a 64-number array)`);
  }
  if (!Array.isArray(raw) || raw.length !== 64 || !raw.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) {
    throw new Error(`keypair file ${path} is not a 64-byte secret key array`);
  }
  try {
    return Keypair.fromSecretKey(Uint8Array.from(raw as number[]));
  } catch {
    throw new Error(`keypair file ${path} holds an invalid secret key`);
  }
}
