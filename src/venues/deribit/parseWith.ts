// Validates a Deribit payload against its wire schema. Errors name the payload and the first
// bad field, never the values (an auth answer carries tokens).
import type { z } from 'zod';

export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const where = first && first.path.length > 0 ? first.path.join('.') : '(root)';
  throw new Error(`malformed deribit ${what}: ${where}: ${first?.message ?? 'invalid'}`);
}
