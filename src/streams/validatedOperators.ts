// Small operators over Validated<T> streams: every source emits accepted and rejected
// inputs in order; the engine usually wants the values and a side channel for rejections
// (stored in rejected_inputs).
import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { RejectedInput, Validated } from './inputTypes.ts';

/** Passes accepted values on and hands each rejection to onRejected (synchronously, in order). */
export function splitValidated<T>(onRejected: (r: RejectedInput) => void): OperatorFunction<Validated<T>, T> {
  return (source) =>
    new Observable<T>((sub) =>
      source.subscribe({
        next: (v) => {
          if (v.ok) sub.next(v.value);
          else onRejected(v.rejected);
        },
        error: (e: unknown) => sub.error(e),
        complete: () => sub.complete(),
      }),
    );
}

/** Counts per rejection reason (for metrics and reports). */
export function countRejections(vs: Iterable<Validated<unknown>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of vs) if (!v.ok) out[v.rejected.reason] = (out[v.rejected.reason] ?? 0) + 1;
  return out;
}
