// HTTP inbox for fills from a real orderbook: POST /fills with a bearer token; the body is
// one fill object or an array of them. A fill is acknowledged (200) only after `submit`
// resolves, i.e. after it is committed; valid fills are never lost because of invalid ones
// beside them. Mounted as an extra route of the HTTP server (createServer.ts).
//   401 {error, reason}                      missing or wrong bearer token
//   400 {error, reason[, rejected]}          malformed JSON, or nothing valid in the body
//   413 {error, reason: 'body-too-large'}    body over maxBodyBytes
//   200 {accepted, duplicates, rejected: [{index, reason, detail}]}
//   503 {error, reason: 'commit-failed'}     submit rejected: nothing acknowledged, retry
// `validate(raw, offset)` gets offset = index of the item in the request body.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { reject, type FillInput, type RejectedInput, type Validated } from '../streams/inputTypes.ts';
import { HttpError, readBody, sendJson } from './httpJson.ts';

export interface FillInboxOptions {
  token: string;
  validate: (raw: unknown, offset: number) => Validated<FillInput>;
  /** Commits the fills; resolves after the commit with which ids were new and which seen before. */
  submit: (fills: FillInput[]) => Promise<{ accepted: string[]; duplicates: string[] }>;
  onRejected: (r: RejectedInput[]) => void;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Source name for rejections of the request as a whole (default 'http-inbox'). */
  source?: string;
  /** Path served (default '/fills'). */
  path?: string;
}

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (!res.headersSent) sendJson(res, status, body, extra);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export function createFillInboxHandler(opts: FillInboxOptions): (req: IncomingMessage, res: ServerResponse) => void {
  if (opts.token.length === 0) throw new Error('fill inbox: empty token');
  const limit = opts.maxBodyBytes ?? 1_048_576;
  const source = opts.source ?? 'http-inbox';
  const route = opts.path ?? '/fills';
  const want = digest(opts.token);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== route) return send(res, 404, { error: 'not found', reason: 'not-found' });
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST', reason: 'method-not-allowed' }, { allow: 'POST' });
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (!m) return send(res, 401, { error: 'bearer token required', reason: 'missing-token' }, { 'www-authenticate': 'Bearer' });
    if (!timingSafeEqual(digest((m[1] ?? '').trim()), want)) {
      return send(res, 401, { error: 'wrong bearer token', reason: 'bad-token' }, { 'www-authenticate': 'Bearer' });
    }
    let text: string;
    try {
      text = await readBody(req, limit);
    } catch (err) {
      if (err instanceof HttpError && err.status === 413) return send(res, 413, { error: `body over ${limit} bytes`, reason: 'body-too-large' }, { connection: 'close' });
      throw err;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      const r = reject<FillInput>(source, 'malformed-json', e instanceof Error ? e.message : 'invalid JSON', text, null, null);
      if (!r.ok) opts.onRejected([r.rejected]);
      return send(res, 400, { error: 'malformed JSON', reason: 'malformed-json' });
    }
    const items: unknown[] = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) return send(res, 400, { error: 'empty array', reason: 'empty' });
    const valid: FillInput[] = [];
    const rejected: RejectedInput[] = [];
    const summary: { index: number; reason: string; detail: string }[] = [];
    items.forEach((item, index) => {
      const v = opts.validate(item, index);
      if (v.ok) valid.push(v.value);
      else {
        rejected.push(v.rejected);
        summary.push({ index, reason: v.rejected.reason, detail: v.rejected.detail });
      }
    });
    if (rejected.length > 0) opts.onRejected(rejected);
    if (valid.length === 0) {
      return send(res, 400, { error: 'no valid fill in the request', reason: summary[0]?.reason ?? 'invalid', rejected: summary });
    }
    let result: { accepted: string[]; duplicates: string[] };
    try {
      result = await opts.submit(valid);
    } catch (e) {
      return send(res, 503, { error: `commit failed: ${e instanceof Error ? e.message : String(e)}`, reason: 'commit-failed' });
    }
    send(res, 200, { accepted: result.accepted, duplicates: result.duplicates, rejected: summary });
  };

  return (req, res) => {
    handle(req, res).catch((e: unknown) => {
      send(res, 500, { error: e instanceof Error ? e.message : String(e), reason: 'internal' });
    });
  };
}
