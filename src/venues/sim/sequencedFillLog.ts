// The venue's fills in placement order, numbered 1, 2, 3...: a replay from any sequence
// number followed by live fills, with no gap and no repeat (what GET /fills?since= serves).
import type { Observable, Subject } from 'rxjs';
import { loadRx } from './loadRx.ts';
import type { VenueFill } from '../hedgeVenue.ts';

/** A fill with its venue-wide sequence number. */
export interface SequencedFill {
  seq: number;
  fill: VenueFill;
}

export class SequencedFillLog {
  private readonly fills: VenueFill[] = [];
  /** Live fills for subscribers; made (and rxjs loaded) by the first since() call. */
  private live: Subject<SequencedFill> | null = null;
  private completed = false;

  get length(): number {
    return this.fills.length;
  }

  /** Appends durable fills and publishes them. */
  append(fills: readonly VenueFill[]): void {
    for (const fill of fills) {
      this.fills.push(fill);
      this.live?.next({ seq: this.fills.length, fill });
    }
  }

  /** Fills with seq > sinceSeq: the stored ones at once, then live ones. */
  since(sinceSeq: number): Observable<SequencedFill> {
    const rx = loadRx();
    if (this.live === null) {
      this.live = new rx.Subject<SequencedFill>();
      if (this.completed) this.live.complete();
    }
    const live = this.live;
    return new rx.Observable<SequencedFill>((subscriber) => {
      let last = sinceSeq;
      for (let i = Math.max(0, sinceSeq); i < this.fills.length && !subscriber.closed; i++) {
        last = i + 1;
        subscriber.next({ seq: last, fill: this.fills[i]! });
      }
      const sub = live.pipe(rx.filter((s) => s.seq > last)).subscribe(subscriber);
      return () => sub.unsubscribe();
    });
  }

  complete(): void {
    this.completed = true;
    this.live?.complete();
  }
}
