// Validation of a live tick stream: each tick through a TickValidator of its own per
// subscription, in arrival order (a replayed file is validated by readCsvPrices instead).
import { Observable, type OperatorFunction } from 'rxjs';
import type { PriceTickInput, Validated } from './inputTypes.ts';
import { TickValidator, type TickValidatorConfig } from './tickValidator.ts';

export function validateTicks(cfg: Partial<TickValidatorConfig> = {}): OperatorFunction<PriceTickInput, Validated<PriceTickInput>> {
  return (source) =>
    new Observable<Validated<PriceTickInput>>((sub) => {
      const v = new TickValidator(cfg);
      return source.subscribe({
        next: (t) => sub.next(v.check(t)),
        error: (e: unknown) => sub.error(e),
        complete: () => sub.complete(),
      });
    });
}
