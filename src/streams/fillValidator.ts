// Validation of externally supplied fills (JSONL file, HTTP inbox). Wire shape, one object:
//   { fillId: string, vault: string, instrument: string, side: 'buy'|'sell' (the vault's side),
//     qty: number > 0 (contracts of 1 BTC), price: number > 0 (USD), at: unix ms | ISO-8601 }
// `vaultId` and `priceUsd` are accepted as aliases of `vault` and `price`. Numeric `at` of
// seconds/us/ns magnitude is converted to ms like CSV timestamps.
import { z } from 'zod';
import { numericTimeToMs, parseTimeMs } from './timeParse.ts';
import { reject } from './inputTypes.ts';
import type { FillInput, Validated } from './inputTypes.ts';

export interface FillValidationContext {
  vaults: ReadonlyMap<string, { instruments: ReadonlyMap<string, { expiryMs: number }> }>;
}

const nonEmpty = z.string().min(1).max(200);
const FillWire = z.object({
  fillId: nonEmpty,
  vault: nonEmpty,
  instrument: nonEmpty,
  side: z.enum(['buy', 'sell']),
  qty: z.number().finite().positive(),
  price: z.number().finite().positive(),
  at: z.union([z.number().finite(), z.string().min(1).max(64)]),
});

/** Reason code per field for type/value errors (missing fields are 'missing-field'). */
const FIELD_REASON: Record<string, string> = {
  side: 'bad-side', qty: 'bad-qty', price: 'bad-price', at: 'bad-time',
  fillId: 'bad-field', vault: 'bad-field', instrument: 'bad-field',
};

function normalise(raw: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = { ...raw };
  if (o.vault === undefined && o.vaultId !== undefined) o.vault = o.vaultId;
  if (o.price === undefined && o.priceUsd !== undefined) o.price = o.priceUsd;
  return o;
}

export function validateFill(
  raw: unknown, ctx: FillValidationContext, source: string, offset: number | null,
): Validated<FillInput> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject(source, 'not-an-object', `fill must be a JSON object, got ${Array.isArray(raw) ? 'array' : typeof raw}`, raw, null, offset);
  }
  const o = normalise(raw as Record<string, unknown>);
  const rawAt = typeof o.at === 'number' && Number.isFinite(o.at) ? numericTimeToMs(o.at) : null;
  const parsed = FillWire.safeParse(o);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const missing = field !== '' && o[field] === undefined;
    const reason = missing ? 'missing-field' : (FIELD_REASON[field] ?? 'bad-field');
    return reject(source, reason, `${field || 'fill'}: ${missing ? 'missing' : (issue?.message ?? 'invalid')}`, raw, rawAt, offset);
  }
  const f = parsed.data;
  const at = typeof f.at === 'number' ? numericTimeToMs(f.at) : parseTimeMs(f.at);
  if (!Number.isFinite(at) || at <= 0 || at > 8.64e15) return reject(source, 'bad-time', `at: cannot parse ${JSON.stringify(f.at)}`, raw, null, offset);
  const vault = ctx.vaults.get(f.vault);
  if (!vault) return reject(source, 'unknown-vault', `vault ${f.vault} is not configured`, raw, at, offset);
  const inst = vault.instruments.get(f.instrument);
  if (!inst) return reject(source, 'unknown-instrument', `vault ${f.vault} has no series ${f.instrument}`, raw, at, offset);
  if (inst.expiryMs <= at) {
    return reject(source, 'expired-instrument', `${f.instrument} expired at ${new Date(inst.expiryMs).toISOString()}, fill at ${new Date(at).toISOString()}`, raw, at, offset);
  }
  return {
    ok: true,
    value: { fillId: f.fillId, vaultId: f.vault, instrument: f.instrument, side: f.side, qty: f.qty, priceUsd: f.price, at, source, offset },
  };
}

/** Parses one JSON text then validates it; unparseable text is 'malformed-json'. */
export function validateFillJson(
  text: string, ctx: FillValidationContext, source: string, offset: number | null,
): Validated<FillInput> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return reject(source, 'malformed-json', e instanceof Error ? e.message : 'invalid JSON', text, null, offset);
  }
  return validateFill(raw, ctx, source, offset);
}
