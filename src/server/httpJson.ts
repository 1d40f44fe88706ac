// JSON in and out of node:http. Request bodies are size-capped so a client cannot make
// the engine buffer without bound.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error that becomes an HTTP answer `{ error, reason }` with this status. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly error: string, readonly reason: string) {
    super(`${error}: ${reason}`);
    this.name = 'HttpError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.length,
    ...headers,
  });
  res.end(body);
}

/** Reads the whole body as UTF-8; rejects with 413 past maxBytes. */
export function readBody(req: IncomingMessage, maxBytes = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(new HttpError(413, 'payload too large', `body exceeds ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { if (!failed) resolve(Buffer.concat(chunks).toString('utf8')); });
    req.on('error', (err) => { if (!failed) { failed = true; reject(err); } });
  });
}

/** Parses a JSON object body; an empty body is `{}`. Anything else is a 400 with the parser's reason. */
export async function readJsonObject(req: IncomingMessage, maxBytes?: number): Promise<Record<string, unknown>> {
  const text = await readBody(req, maxBytes);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'bad JSON', err instanceof Error ? err.message : String(err));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'bad JSON', 'body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
