// One text frame from Deribit's WebSocket: a response to one of our ids, a subscription
// notification, or a heartbeat message.
import { z } from 'zod';
import { wireRpcError, type WireRpcError } from './wire/schemas.ts';

export type Incoming =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number | null; error: WireRpcError }
  | { kind: 'notification'; channel: string; data: unknown }
  /** `heartbeat` is liveness only; `test_request` must be answered with public/test. */
  | { kind: 'heartbeat'; type: 'heartbeat' | 'test_request' };

const responseShape = z.object({ id: z.number().int().nullable(), result: z.unknown().optional(), error: wireRpcError.optional() });
const notificationShape = z.object({ method: z.literal('subscription'), params: z.object({ channel: z.string().min(1), data: z.unknown() }) });
const heartbeatShape = z.object({ method: z.literal('heartbeat'), params: z.object({ type: z.enum(['heartbeat', 'test_request']) }) });

/** Parses one text frame; throws (naming what is wrong, never echoing the frame) on anything else. */
export function parseIncoming(text: string): Incoming {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`deribit frame is not JSON (${text.length} chars)`);
  }
  const obj = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  if ('method' in obj) {
    const hb = heartbeatShape.safeParse(raw);
    if (hb.success) return { kind: 'heartbeat', type: hb.data.params.type };
    const n = notificationShape.safeParse(raw);
    if (n.success) return { kind: 'notification', channel: n.data.params.channel, data: n.data.params.data };
    throw new Error(`deribit frame has an unknown method '${typeof obj.method === 'string' ? obj.method.slice(0, 40) : typeof obj.method}'`);
  }
  const r = responseShape.safeParse(raw);
  if (!r.success) throw new Error('deribit frame is neither a response nor a notification');
  if (r.data.error !== undefined) return { kind: 'error', id: r.data.id, error: r.data.error };
  if (r.data.id === null) throw new Error('deribit response without an id');
  return { kind: 'result', id: r.data.id, result: r.data.result };
}
