// Pure parsing of Pyth Hermes price updates (REST /v2/updates/price/latest and the SSE
// stream's message data share the shape { binary, parsed: [{ id, price, ema_price, metadata }] }).
// price and conf are integer strings scaled by 10^expo; publish_time is unix seconds.
import { z } from 'zod';

export const BTC_USD_FEED_ID = '0xe62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43';

export interface HermesPrice {
  /** Feed id, lower-case hex without 0x. */
  id: string;
  priceUsd: number;
  confUsd: number;
  /** publish_time * 1000, unix ms. */
  publishTimeMs: number;
}

const RpcPrice = z.object({
  price: z.string().regex(/^-?\d+$/),
  conf: z.string().regex(/^\d+$/),
  expo: z.number().int().min(-30).max(30),
  publish_time: z.number().int(),
});
const Update = z.object({
  parsed: z.array(z.object({ id: z.string(), price: RpcPrice }).passthrough()).nullish(),
}).passthrough();

export function normaliseFeedId(id: string): string {
  return id.toLowerCase().replace(/^0x/, '');
}

/** Converts an integer mantissa string and exponent to a number (exact for |mantissa| < 2^53). */
export function scaled(mantissa: string, expo: number): number {
  return Number(mantissa) * 10 ** expo;
}

/**
 * Parses one update body (text or already-parsed JSON) into prices for `feedId`.
 * Returns an error string for a body that is not a Hermes update.
 */
export function parseHermesUpdate(body: unknown, feedId: string): HermesPrice[] | { error: string; reason: 'malformed-json' | 'malformed-update' } {
  let json: unknown = body;
  if (typeof body === 'string') {
    try {
      json = JSON.parse(body);
    } catch (e) {
      return { error: `malformed JSON: ${e instanceof Error ? e.message : String(e)}`, reason: 'malformed-json' };
    }
  }
  const r = Update.safeParse(json);
  if (!r.success) return { error: `not a Hermes price update: ${r.error.issues[0]?.message ?? 'invalid'} at ${r.error.issues[0]?.path.join('.') ?? ''}`, reason: 'malformed-update' };
  const want = normaliseFeedId(feedId);
  const out: HermesPrice[] = [];
  for (const p of r.data.parsed ?? []) {
    if (normaliseFeedId(p.id) !== want) continue;
    out.push({ id: want, priceUsd: scaled(p.price.price, p.price.expo), confUsd: scaled(p.price.conf, p.price.expo), publishTimeMs: p.price.publish_time * 1000 });
  }
  return out;
}
