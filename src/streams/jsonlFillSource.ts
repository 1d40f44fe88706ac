// Fills from a JSONL file, one fill object per line, followed as it grows (polling: works
// on every filesystem, including network mounts where fs.watch is unreliable).
// Offsets are the byte position of each line's start. Resume with fromOffset = the offset
// of the last committed fill: lines starting at or before it are skipped. A partial last line
// (no newline yet) waits for its newline while following; without `follow` it is read as a
// line at end of file. Malformed lines are rejected ('malformed-json') and never stop the
// valid lines around them. A file that shrinks (truncated/rotated) errors the stream.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Observable } from 'rxjs';
import { validateFillJson } from './fillValidator.ts';
import type { FillValidationContext } from './fillValidator.ts';
import { reject } from './inputTypes.ts';
import type { FillInput, Validated } from './inputTypes.ts';

export interface JsonlFillSourceOptions {
  ctx: FillValidationContext;
  /** Source name on fills and rejections (default `jsonl:<path>`). */
  source?: string;
  /** Skip lines whose start byte offset is <= fromOffset (the last committed offset). */
  fromOffset?: number;
  /** Keep reading as the file grows (default true); false reads to the end and completes. */
  follow?: boolean;
  /** Poll interval while following, ms (default 100). A missing file is waited for. */
  pollMs?: number;
  /** Lines longer than this (bytes) are rejected as 'line-too-long' without being buffered (default 64 KiB). */
  maxLineBytes?: number;
}

const NL = 0x0a;
const CHUNK = 1 << 16;

export function jsonlFillSource(path: string, opts: JsonlFillSourceOptions): Observable<Validated<FillInput>> {
  const source = opts.source ?? `jsonl:${path}`;
  const follow = opts.follow ?? true;
  const pollMs = opts.pollMs ?? 100;
  const maxLine = opts.maxLineBytes ?? 65_536;
  return new Observable<Validated<FillInput>>((sub) => {
    let closed = false;
    let timer: NodeJS.Timeout | null = null;
    let fh: FileHandle | null = null;
    // Byte position of the next unread byte, and of the start of `rest` (the partial line).
    const from = opts.fromOffset;
    let pos = from === undefined ? 0 : from;
    let skipFirst = from !== undefined;
    let rest = Buffer.alloc(0);
    let restStart = pos;

    const emitLine = (buf: Buffer, start: number): void => {
      if (skipFirst) {
        skipFirst = false;
        return;
      }
      if (buf.length > maxLine) {
        sub.next(reject(source, 'line-too-long', `line of ${buf.length} bytes > ${maxLine}`, buf.subarray(0, 2048).toString('utf8'), null, start));
        return;
      }
      const text = buf.toString('utf8').replace(/\r$/, '');
      if (text.trim().length === 0) return;
      sub.next(validateFillJson(text, opts.ctx, source, start));
    };

    // A line longer than maxLine is not buffered: its bytes are dropped as they come and it
    // is rejected once its newline (or the end of the file) arrives.
    let oversize: { start: number; bytes: number } | null = null;
    const rejectOversize = (o: { start: number; bytes: number }, head: string): void => {
      if (skipFirst) {
        skipFirst = false;
        return;
      }
      sub.next(reject(source, 'line-too-long', `line of ${o.bytes} bytes > ${maxLine}`, head, null, o.start));
    };
    let oversizeHead = '';

    const consume = (chunk: Buffer): void => {
      let buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let start = restStart;
      let i = buf.indexOf(NL);
      while (i >= 0 && !closed) {
        if (oversize !== null) {
          oversize.bytes += i;
          rejectOversize(oversize, oversizeHead);
          oversize = null;
        } else emitLine(buf.subarray(0, i), start);
        start += i + 1;
        buf = buf.subarray(i + 1);
        i = buf.indexOf(NL);
      }
      if (oversize !== null || buf.length > maxLine) {
        if (oversize === null) {
          oversize = { start, bytes: 0 };
          oversizeHead = buf.subarray(0, 2048).toString('utf8');
        }
        oversize.bytes += buf.length;
        rest = Buffer.alloc(0);
        restStart = start + buf.length;
        return;
      }
      rest = Buffer.from(buf);
      restStart = start;
    };

    const sleep = (): Promise<void> => new Promise((res) => { timer = setTimeout(res, pollMs); });

    const run = async (): Promise<void> => {
      while (!closed && fh === null) {
        try {
          fh = await open(path, 'r');
        } catch (e) {
          if (!follow || (e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
          await sleep();
        }
      }
      const buf = Buffer.alloc(CHUNK);
      while (!closed && fh !== null) {
        const { size } = await fh.stat();
        if (size < pos) throw new Error(`${path} shrank from ${pos} to ${size} bytes (truncated or rotated)`);
        while (pos < size && !closed) {
          const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, size - pos), pos);
          if (bytesRead === 0) break;
          pos += bytesRead;
          consume(buf.subarray(0, bytesRead));
        }
        if (!follow) {
          if (oversize !== null && !closed) rejectOversize(oversize, oversizeHead);
          else if (rest.length > 0 && !closed) emitLine(rest, restStart);
          sub.complete();
          return;
        }
        await sleep();
      }
    };
    run().catch((e: unknown) => { if (!closed) sub.error(e); });
    return () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const h = fh;
      fh = null;
      // Closing is best effort at teardown; a close error has nobody left to report to.
      if (h) h.close().catch(() => undefined);
    };
  });
}
