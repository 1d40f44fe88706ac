// The venue's fill stream over server-sent events, as an Observable that reconnects: it
// resumes after the last fill sequence it delivered (`?since=`), so a dropped connection or a
// restarted venue loses no fill and repeats none.
import { request, type Agent, type ClientRequest } from 'node:http';
import { Observable } from 'rxjs';
import type { VenueFill } from '../hedgeVenue.ts';
import { fillSchema } from './simVenueWire.ts';

export interface SseFillStreamOptions {
  baseUrl: string;
  agent: Agent;
  /** Deliver fills with sequence > sinceSeq (0: from the venue's first fill). */
  sinceSeq: number;
  /** Wait before reconnecting, ms. */
  reconnectMs: number;
}

export function sseFillStream(o: SseFillStreamOptions): Observable<VenueFill> {
  return new Observable<VenueFill>((subscriber) => {
    let lastSeq = o.sinceSeq;
    let current: ClientRequest | undefined;
    let retry: NodeJS.Timeout | undefined;
    let stopped = false;

    const reconnect = (): void => {
      current = undefined;
      if (!stopped) retry = setTimeout(connect, o.reconnectMs);
    };
    const connect = (): void => {
      retry = undefined;
      const req = request(`${o.baseUrl}/fills?since=${lastSeq}`, { agent: o.agent, headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reconnect();
          return;
        }
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (chunk: string) => {
          buf += chunk;
          let end = buf.indexOf('\n\n');
          while (end >= 0) {
            const event = buf.slice(0, end);
            buf = buf.slice(end + 2);
            end = buf.indexOf('\n\n');
            let id: number | undefined;
            let data = '';
            for (const line of event.split('\n')) {
              if (line.startsWith('id:')) id = Number(line.slice(3).trim());
              else if (line.startsWith('data:')) data += line.slice(5).trim();
            }
            if (id === undefined || data === '' || id <= lastSeq) continue;
            // A malformed fill is a broken venue: fail the stream rather than guess.
            const fill = fillSchema.safeParse(JSON.parse(data));
            if (!fill.success) {
              stopped = true;
              req.destroy();
              subscriber.error(new Error(`venue sent a malformed fill (seq ${id})`));
              return;
            }
            lastSeq = id;
            subscriber.next(fill.data);
          }
        });
        res.on('end', reconnect);
        res.on('error', () => undefined); // followed by 'close'/'end' handling via req
      });
      req.on('error', () => {
        if (current === req) reconnect();
      });
      current = req;
      req.end();
    };
    connect();
    return () => {
      stopped = true;
      if (retry !== undefined) clearTimeout(retry);
      current?.destroy();
    };
  });
}
