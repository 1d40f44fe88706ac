// The engine's event stream (what updates() watchers get), made (and rxjs loaded) only when
// someone first watches: a backtest or a command that never watches never loads rxjs. How the
// stream ended while no one watched is kept for a watcher that comes later.
import type { Observable, Subject } from 'rxjs';
import type { EngineEvent } from './engineTypes.ts';
import { loadRx } from './loadRx.ts';

export class EngineEvents {
  private subject: Subject<EngineEvent> | null = null;
  private ended: { error: Error } | 'complete' | null = null;

  next(e: EngineEvent): void { this.subject?.next(e); }

  error(err: Error): void {
    if (this.subject) this.subject.error(err);
    else this.ended = { error: err };
  }

  complete(): void {
    if (this.subject) this.subject.complete();
    else this.ended = 'complete';
  }

  watch(): Observable<EngineEvent> {
    if (this.subject === null) {
      this.subject = new (loadRx().Subject)<EngineEvent>();
      if (this.ended === 'complete') this.subject.complete();
      else if (this.ended) this.subject.error(this.ended.error);
    }
    return this.subject.asObservable();
  }
}
